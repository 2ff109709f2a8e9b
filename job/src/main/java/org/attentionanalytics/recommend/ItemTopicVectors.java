package org.attentionanalytics.recommend;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.attentionanalytics.avro.internal.ItemTopics;

/**
 * The items' topic vectors for content matching ({@link ContentMatch}), built once per catalog
 * record rather than once per candidate of every list. The ranking forgets an item's vector when
 * its record changes ({@link #forget}); after a restore they are built again as they are needed.
 * Holds at most as many items as the broadcast state. Not state: a cache on the task's heap.
 */
final class ItemTopicVectors {
    private final Map<String, Map<String, Double>> cache = new HashMap<>();

    /** @return the item's topic vector (topic → weight; do not change it), or null when the catalog has no topics for it */
    Map<String, Double> of(String item, ReadOnlyBroadcastState<String, ItemTopics> catalog) throws Exception {
        Map<String, Double> v = cache.get(item);
        if (v == null) {
            ItemTopics record = catalog.get(item);
            if (record == null) {
                return null;
            }
            v = SimilarUsers.vector(record.getTopics(), record.getWeights());
            cache.put(item, v);
        }
        return v;
    }

    /** The item's record changed or went: its vector is built again when next needed. */
    void forget(String item) {
        cache.remove(item);
    }
}
