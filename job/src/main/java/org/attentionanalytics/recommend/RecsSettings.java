package org.attentionanalytics.recommend;

import java.io.Serializable;

/**
 * The recommendations' options (DESIGN.md section 12).
 *
 * @param size items per list ({@code --recs.size})
 * @param minIntervalMs least event time between two lists of a user after views, ms; 0: after every view
 * @param excludeWithinMs items the user viewed this recently (event time, ms) are not proposed; 0: off
 * @param halfLifeMs half-life of every count (co-occurrence, interactions, popularity), ms
 * @param neighbours the k most similar items kept per item
 * @param maxUserInteractions kMax: a user's interactions are counted while their decayed count is below it
 * @param maxItemInteractions fMax: an item's interactions are counted while its decayed count is below it
 * @param minSimilarUsers fewest distinct similar users an item needs to be proposed as SIMILAR_USERS
 * @param latenessMs allowed lateness, ms: how long an erasure keeps dropping signals from before it
 * @param erasureInEventTime true (bounded runs): an erasure takes effect at its event time, after
 *     the lists of the views before it; false (live): on arrival, as in the per-user operator
 */
public record RecsSettings(
        int size,
        long minIntervalMs,
        long excludeWithinMs,
        long halfLifeMs,
        int neighbours,
        double maxUserInteractions,
        double maxItemInteractions,
        int minSimilarUsers,
        long latenessMs,
        boolean erasureInEventTime)
        implements Serializable {
    /** Recent items whose neighbours a list is built from, most recent first. */
    public static final int CONTEXT_ITEMS = 5;
    /** Recently viewed items kept per user (context and exclusion). */
    public static final int RECENT_ITEMS = 50;
    /** Counted items kept per session: a repeat among them is not counted again. */
    public static final int SESSION_ITEMS = 20;
    /** A counted view pairs with the session's last this many counted items. */
    public static final int PAIR_WINDOW = 10;
    /**
     * Sessions whose counted items are kept per user, the latest: a closed session can still reopen
     * (a late event within the lateness, or a client session's next event) without pairing again.
     */
    public static final int SESSIONS = 3;
    /** Bought items kept per user (never proposed again). */
    public static final int PURCHASES = 50;
    /** The most similar users of a bucket a user's SIMILAR_USERS candidates come from. */
    public static final int SIMILAR_USERS = 20;
    /** Largest {@code --recs.min-similar-users}: no item could have more supporters than {@link #SIMILAR_USERS}. */
    public static final int MAX_MIN_SIMILAR_USERS = SIMILAR_USERS;
    /** Members an LSH bucket keeps, the latest to join. */
    public static final int BUCKET_MEMBERS = 50;
    /** A member's recent items a bucket keeps (what its neighbours may be proposed). */
    public static final int MEMBER_ITEMS = 10;
    /** A member's top interest topics a bucket keeps and hashes (the similarity of two users). */
    public static final int MEMBER_TOPICS = 5;
    /**
     * Least event time between two joins of the same buckets by a user, ms: a user's vector changes
     * every minute with events, its buckets seldom; the candidates of the last join hold meanwhile.
     */
    public static final long REJOIN_MS = 10 * 60_000L;
    /** Items the popularity table keeps, per item of a list. */
    public static final int POPULAR_CANDIDATES_PER_SLOT = 10;

    /** @return neighbours a row sends for one query: enough to fill a list after exclusions */
    public int queryLimit() {
        return Math.min(neighbours, 2 * size);
    }
}
