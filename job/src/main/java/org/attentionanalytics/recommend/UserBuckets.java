package org.attentionanalytics.recommend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.attentionanalytics.avro.internal.BucketMembers;
import org.attentionanalytics.avro.internal.NeighbourhoodKind;
import org.attentionanalytics.avro.internal.NeighbourhoodMessage;
import org.attentionanalytics.avro.internal.RankMessage;
import org.attentionanalytics.avro.internal.RankMessageKind;

/**
 * One locality-sensitive-hashing bucket of interest vectors (DESIGN.md section 12): its members
 * (the latest {@link RecsSettings#BUCKET_MEMBERS} to join, none older than the state retention),
 * and each joining user's candidates from them. A JOIN is answered with a SIMILAR message: the
 * {@link RecsSettings#SIMILAR_USERS} members nearest to the user by exact cosine ({@link
 * SimilarUsers#nearest}), their recent items scored by {@link NeighbourItems} (each a weight of 1),
 * only those at least {@code minSupport} of them viewed, none of the user's own recent items. Plain
 * Java: the caller applies one event time's messages at a time, in event-time order.
 */
public final class UserBuckets {
    private final int minSupport;
    private final int size;
    private final long ttlMs;

    /**
     * @param minSupport fewest distinct neighbours an item needs ({@code --recs.min-similar-users})
     * @param size most candidates per answer
     * @param ttlMs members whose JOIN is older than this (event time) are dropped; 0: never
     */
    public UserBuckets(int minSupport, int size, long ttlMs) {
        this.minSupport = minSupport;
        this.size = size;
        this.ttlMs = ttlMs;
    }

    /**
     * Applies {@code messages} (all of event time {@code t}: the leaves and joins first, in their
     * order), then answers each JOIN from the members as they stand.
     *
     * @return the answers, one per JOIN, for the ranking
     */
    public List<RankMessage> apply(BucketMembers bucket, List<NeighbourhoodMessage> messages, long t) {
        Map<String, NeighbourhoodMessage> members = new TreeMap<>();
        for (NeighbourhoodMessage m : bucket.getMembers()) {
            if (ttlMs == 0 || m.getTime() > t - ttlMs) {
                members.put(m.getUser(), m);
            }
        }
        List<NeighbourhoodMessage> joins = new ArrayList<>();
        for (NeighbourhoodMessage m : messages) {
            if (m.getKind() == NeighbourhoodKind.LEAVE) {
                members.remove(m.getUser());
            } else {
                members.put(m.getUser(), m);
                joins.add(m);
            }
        }
        List<NeighbourhoodMessage> kept = new ArrayList<>(members.values());
        if (kept.size() > RecsSettings.BUCKET_MEMBERS) {
            kept.sort(Comparator.comparingLong(NeighbourhoodMessage::getTime)
                    .reversed()
                    .thenComparing(NeighbourhoodMessage::getUser));
            kept = new ArrayList<>(kept.subList(0, RecsSettings.BUCKET_MEMBERS));
            kept.sort(Comparator.comparing(NeighbourhoodMessage::getUser));
        }
        bucket.setMembers(kept);
        Set<String> keptUsers = new HashSet<>();
        kept.forEach(m -> keptUsers.add(m.getUser()));
        List<RankMessage> answers = new ArrayList<>();
        for (NeighbourhoodMessage join : joins) {
            if (keptUsers.contains(join.getUser()) && members.get(join.getUser()) == join) { // its latest join
                answers.add(answer(join, kept, t));
            }
        }
        return answers;
    }

    private RankMessage answer(NeighbourhoodMessage user, List<NeighbourhoodMessage> members, long t) {
        Map<String, Map<String, Double>> vectors = new HashMap<>();
        Map<String, Map<String, Double>> itemsOf = new HashMap<>();
        for (NeighbourhoodMessage m : members) {
            if (!m.getUser().equals(user.getUser())) {
                vectors.put(m.getUser(), SimilarUsers.vector(m.getTopics(), m.getWeights()));
                Map<String, Double> items = new HashMap<>();
                m.getItems().forEach(i -> items.put(i, 1.0));
                itemsOf.put(m.getUser(), items);
            }
        }
        List<SimilarUsers.Neighbour> neighbours = SimilarUsers.nearest(
                SimilarUsers.vector(user.getTopics(), user.getWeights()), vectors, RecsSettings.SIMILAR_USERS, 0);
        List<String> items = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        for (NeighbourItems.Candidate c :
                NeighbourItems.score(neighbours, itemsOf, minSupport, new HashSet<>(user.getItems()), size)) {
            items.add(c.item());
            scores.add(c.score());
        }
        return RankMessage.newBuilder()
                .setUser(user.getUser())
                .setKind(RankMessageKind.SIMILAR)
                .setTime(t)
                .setItems(items)
                .setScores(scores)
                .build();
    }
}
