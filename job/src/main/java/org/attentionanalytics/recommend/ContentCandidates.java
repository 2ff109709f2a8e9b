package org.attentionanalytics.recommend;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.attentionanalytics.avro.internal.ItemTopics;
import org.attentionanalytics.avro.internal.PopularItems;

/**
 * The ranking's content-matching candidates per topic ({@link ContentMatch.Candidates}): each
 * topic's popularity snapshot with its items' shares and topic vectors, built once per snapshot
 * rather than once per list, and built again when one of its items' catalog topics change ({@link
 * #changed}). Not state: a cache on the task's heap, as large as the topics and catalog items in
 * the broadcast state; after a restore it fills again as lists need it.
 */
final class ContentCandidates {
    private record Cached(PopularItems snapshot, ContentMatch.Candidates candidates) {}

    private final Map<String, Map<String, Double>> vectors = new HashMap<>();
    private final Map<String, Cached> byTopic = new HashMap<>();
    /** The topics whose cached candidates hold each item. */
    private final Map<String, Set<String>> topicsOfItem = new HashMap<>();

    /**
     * @param snapshot the topic's popularity snapshot in force, or null
     * @return its candidates, or null without a snapshot
     */
    ContentMatch.Candidates of(
            String topic, PopularItems snapshot, ReadOnlyBroadcastState<String, ItemTopics> catalog) {
        if (snapshot == null) {
            return null;
        }
        Cached c = byTopic.get(topic);
        if (c == null || c.snapshot() != snapshot) {
            if (c != null) {
                forget(topic, c.snapshot());
            }
            c = new Cached(snapshot, ContentMatch.Candidates.of(snapshot, item -> vector(item, catalog)));
            byTopic.put(topic, c);
            for (String item : snapshot.getItems()) {
                topicsOfItem.computeIfAbsent(item, i -> new HashSet<>()).add(topic);
            }
        }
        return c.candidates();
    }

    /** The items of {@code topic}'s replaced snapshot are no longer among its candidates. */
    private void forget(String topic, PopularItems replaced) {
        for (String item : replaced.getItems()) {
            Set<String> topics = topicsOfItem.get(item);
            if (topics != null && topics.remove(topic) && topics.isEmpty()) {
                topicsOfItem.remove(item);
            }
        }
    }

    private Map<String, Double> vector(String item, ReadOnlyBroadcastState<String, ItemTopics> catalog) {
        Map<String, Double> v = vectors.get(item);
        if (v == null) {
            ItemTopics record;
            try {
                record = catalog.get(item);
            } catch (Exception e) { // declared by the interface; the broadcast state is on the heap
                throw new IllegalStateException(e);
            }
            if (record == null) {
                return null;
            }
            v = SimilarUsers.vector(record.getTopics(), record.getWeights());
            vectors.put(item, v);
        }
        return v;
    }

    /** The item's catalog topics changed or went: the candidates of the topics it is in are built again when next needed. */
    void changed(String item) {
        vectors.remove(item);
        Set<String> topics = topicsOfItem.remove(item);
        if (topics != null) {
            topics.forEach(byTopic::remove);
        }
    }
}
