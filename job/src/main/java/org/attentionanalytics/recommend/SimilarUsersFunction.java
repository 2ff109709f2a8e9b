package org.attentionanalytics.recommend;

import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.util.Collector;
import org.attentionanalytics.avro.internal.BucketMembers;
import org.attentionanalytics.avro.internal.NeighbourhoodMessage;
import org.attentionanalytics.avro.internal.RankMessage;

/**
 * The buckets of similar users, keyed by bucket key: the Flink adapter of {@link UserBuckets}. Joins
 * and leaves wait for the watermark and are applied one event time at a time (leaves first, then
 * by user), so the answers do not depend on arrival order; each JOIN's answer (a SIMILAR message
 * at its time) goes to the ranking. State: {@value RecsState#BUCKET_MEMBERS}, pseudonyms with their
 * vectors and recent items, left by an erasure and kept at most the state retention.
 */
public final class SimilarUsersFunction extends EventTimeOrderedFunction<Long, NeighbourhoodMessage, RankMessage> {
    private static final long serialVersionUID = 1L;

    private static final Comparator<NeighbourhoodMessage> ORDER = Comparator.comparing(
                    NeighbourhoodMessage::getKind, Comparator.reverseOrder()) // LEAVE before JOIN
            .thenComparing(NeighbourhoodMessage::getUser);

    private final RecsSettings settings;
    private final long ttlMs;
    private transient UserBuckets engine;
    private transient ValueState<BucketMembers> members;

    /** @param ttlMs the state retention ({@code --state-ttl}), ms: also how long a member stays without a new JOIN */
    public SimilarUsersFunction(RecsSettings settings, long ttlMs) {
        super(NeighbourhoodMessage.class);
        this.settings = settings;
        this.ttlMs = ttlMs;
    }

    @Override
    void openState() {
        engine = new UserBuckets(
                settings.minSimilarUsers(), settings.size() * RecsSettings.POPULAR_CANDIDATES_PER_SLOT, ttlMs);
        members = getRuntimeContext().getState(RecsState.value(RecsState.BUCKET_MEMBERS, BucketMembers.class, ttlMs));
    }

    @Override
    Comparator<NeighbourhoodMessage> order() {
        return ORDER;
    }

    @Override
    long timeOf(NeighbourhoodMessage message) {
        return message.getTime();
    }

    @Override
    void apply(List<NeighbourhoodMessage> messages, long t, Context ctx, Collector<RankMessage> out) throws Exception {
        BucketMembers bucket = members.value();
        if (bucket == null) {
            bucket = BucketMembers.newBuilder().build();
        }
        engine.apply(bucket, messages, t).forEach(out::collect);
        if (bucket.getMembers().isEmpty()) {
            members.clear();
        } else {
            members.update(bucket);
        }
    }
}
