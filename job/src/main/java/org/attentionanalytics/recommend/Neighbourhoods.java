package org.attentionanalytics.recommend;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.attentionanalytics.avro.internal.NeighbourhoodKind;
import org.attentionanalytics.avro.internal.NeighbourhoodMessage;
import org.attentionanalytics.avro.internal.RankMessage;
import org.attentionanalytics.avro.internal.RankMessageKind;
import org.attentionanalytics.avro.internal.RecsHistory;

/**
 * The user's side of similar users (DESIGN.md section 12): puts the user in the locality-sensitive
 * hashing buckets of their interest vector ({@link SimilarUsers}, {@link #BANDS} bands of {@link
 * #ROWS_PER_BAND} hyperplane bits of its {@link RecsSettings#MEMBER_TOPICS} top topics), where
 * {@link UserBuckets} finds their neighbours. A new vector joins its buckets with the user's {@link
 * RecsSettings#MEMBER_ITEMS} most recent items (the same buckets at most every {@link
 * RecsSettings#REJOIN_MS}) and leaves the previous vector's buckets it is no longer in; an erasure
 * leaves them all. A vector without a direction joins none, and tells the ranking at once that it
 * has no candidates. Plain Java; the buckets joined and when are kept in the history ({@code
 * buckets}, {@code joined_at}).
 */
public final class Neighbourhoods {
    /**
     * Bands of the hashing. A pair at cosine 0.9 shares a bucket with probability 0.75, at 0.7 with
     * 0.33, at 0.3 with 0.03 ({@code 1 - (1 - p^8)^4}, {@code p = 1 - acos(s)/π}).
     */
    public static final int BANDS = 4;
    /** Hyperplane bits per band. */
    public static final int ROWS_PER_BAND = 8;
    /** The hyperplanes' seed: fixed, so buckets stay the same across restarts and savepoints. */
    public static final long SEED = 0x5EED_0F_A77E47L;

    private final SimilarUsers lsh = new SimilarUsers(BANDS, ROWS_PER_BAND, SEED);

    /**
     * Joins the buckets of the user's interest vector at {@code t}.
     *
     * @param topics the vector's top topics; {@code weights} parallel to them
     */
    public void interests(
            RecsHistory h, String user, long t, List<String> topics, List<Double> weights, UserHistory.Out out) {
        int n = Math.min(RecsSettings.MEMBER_TOPICS, Math.min(topics.size(), weights.size()));
        List<String> top = new ArrayList<>(topics.subList(0, n));
        List<Double> topWeights = new ArrayList<>(weights.subList(0, n));
        long[] keys = lsh.buckets(SimilarUsers.vector(top, topWeights));
        Set<Long> joined = new HashSet<>();
        List<Long> kept = new ArrayList<>();
        for (long key : keys) {
            joined.add(key);
            kept.add(key);
        }
        boolean joinedLately = h.getJoinedAt() != Long.MIN_VALUE
                && t >= h.getJoinedAt()
                && t - h.getJoinedAt() < RecsSettings.REJOIN_MS;
        if (!kept.isEmpty() && kept.equals(h.getBuckets()) && joinedLately) {
            return; // the same buckets, joined lately: the candidates of that join hold
        }
        h.setJoinedAt(t);
        for (long old : h.getBuckets()) {
            if (!joined.contains(old)) {
                out.toBucket(leave(old, user, t));
            }
        }
        List<String> items = new ArrayList<>(h.getRecentItems()
                .subList(
                        0,
                        Math.min(RecsSettings.MEMBER_ITEMS, h.getRecentItems().size())));
        for (long key : keys) {
            out.toBucket(NeighbourhoodMessage.newBuilder()
                    .setBucket(key)
                    .setUser(user)
                    .setKind(NeighbourhoodKind.JOIN)
                    .setTime(t)
                    .setTopics(top)
                    .setWeights(topWeights)
                    .setItems(items)
                    .build());
        }
        if (keys.length == 0) { // no bucket answers: the ranking forgets the last vector's candidates now
            out.toRanking(RankMessage.newBuilder()
                    .setUser(user)
                    .setKind(RankMessageKind.SIMILAR)
                    .setTime(t)
                    .build());
        }
        h.setBuckets(kept);
    }

    /** Leaves every bucket the user is in (an erasure at {@code t}). */
    public static void leaveAll(RecsHistory h, String user, long t, UserHistory.Out out) {
        for (long key : h.getBuckets()) {
            out.toBucket(leave(key, user, t));
        }
        h.setBuckets(new ArrayList<>());
    }

    private static NeighbourhoodMessage leave(long bucket, String user, long t) {
        return NeighbourhoodMessage.newBuilder()
                .setBucket(bucket)
                .setUser(user)
                .setKind(NeighbourhoodKind.LEAVE)
                .setTime(t)
                .build();
    }
}
