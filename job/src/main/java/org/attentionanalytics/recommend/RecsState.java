package org.attentionanalytics.recommend;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.attentionanalytics.session.Erasure;
import org.attentionanalytics.session.UserStateDescriptors;

/** State names of the recommendation operators (savepoints map state by them: never rename one) and their retention. */
public final class RecsState {
    /** Per user: {@link org.attentionanalytics.avro.internal.RecsHistory}. */
    public static final String HISTORY = Erasure.RECOMMENDATION_HISTORY;
    /** Per item: the gate's decayed interaction count. */
    public static final String ITEM_INTERACTIONS = "item-interactions";
    /** Per item: the gate's decayed sums of ended views' engaged time. */
    public static final String ITEM_ENGAGEMENT = "item-engagement";
    /** Every ranking subtask: each item's mean engaged time as last reported. */
    public static final String MEAN_ENGAGED = "mean-engaged";
    /** Per item: its row of the item-to-item table. */
    public static final String ITEM_ROW = "item-row";
    /** The one popularity table. */
    public static final String POPULAR = "popular-items";
    /** Per user, in the ranking: the latest MODE message (the mode and the user's top topics). */
    public static final String MODE = "recommendation-mode";
    /** Per user, in the ranking: the latest list as ranked, before the mode was applied. */
    public static final String LAST_LIST = "last-ranked-list";
    /** Per user, in the ranking: the latest INTERESTS message (the user's interest vector, top topics). */
    public static final String INTERESTS = "interest-vector";
    /** Every ranking subtask: each topic's popularity snapshots (content matching). */
    public static final String TOPIC_POPULAR = "topic-popular-items";
    /** Per topic: the topic's popularity table (content matching). */
    public static final String TOPIC_TABLE = "topic-items";
    /** Every ranking subtask: each catalog item's topics, rolled up by {@code --topic-depth}. */
    public static final String CATALOG_TOPICS = "catalog-topics";
    /** Per LSH bucket of interest vectors: its members (pseudonyms, vectors, recent items; similar users). */
    public static final String BUCKET_MEMBERS = "bucket-members";
    /** Per user, in the ranking: the SIMILAR_USERS candidates of the user's latest vector. */
    public static final String SIMILAR_USERS = "similar-users";
    /** Records waiting for the watermark, in every recommendation operator. */
    public static final String WAITING = "waiting";

    private RecsState() {}

    /**
     * @param ttlMs retention in processing time from the last write, ms (as the per-user state, {@code --state-ttl}); 0: none
     */
    public static <T extends SpecificRecordBase> ValueStateDescriptor<T> value(String name, Class<T> type, long ttlMs) {
        return UserStateDescriptors.withTtl(new ValueStateDescriptor<>(name, new AvroTypeInfo<>(type)), ttlMs);
    }
}
