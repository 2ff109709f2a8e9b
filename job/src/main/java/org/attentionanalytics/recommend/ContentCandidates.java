package org.attentionanalytics.recommend;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.attentionanalytics.avro.internal.ItemTopics;
import org.attentionanalytics.avro.internal.PopularItems;

/**
 * The ranking's content-matching candidates per topic ({@link ContentMatch.Candidates}): each
 * topic's popularity snapshot with its items' shares and topic vectors, built once per snapshot
 * rather than once per list, and built again when one of its items' catalog topics change or an
 * item gets topics ({@link #changed}). Not state: a cache on the task's heap, as large as the
 * topics and catalog items in the broadcast state; after a restore it fills again as lists need it.
 */
final class ContentCandidates {
    private record Cached(PopularItems snapshot, long added, ContentMatch.Candidates candidates) {}

    private final Map<String, ContentMatch.ItemVector> vectors = new HashMap<>();
    private final Map<String, Cached> byTopic = new HashMap<>();
    /** Counts the items that got topics: candidates built before may lack one. */
    private long added;

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
        if (c == null
                || c.snapshot() != snapshot
                || c.added() != added
                || c.candidates() != null && c.candidates().anyReplaced()) {
            c = new Cached(snapshot, added, ContentMatch.Candidates.of(snapshot, item -> vector(item, catalog)));
            byTopic.put(topic, c);
        }
        return c.candidates();
    }

    private ContentMatch.ItemVector vector(String item, ReadOnlyBroadcastState<String, ItemTopics> catalog) {
        ContentMatch.ItemVector v = vectors.get(item);
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
            v = new ContentMatch.ItemVector(SimilarUsers.vector(record.getTopics(), record.getWeights()));
            vectors.put(item, v);
        }
        return v;
    }

    /**
     * The item's catalog topics changed or went ({@code existed}), or came: the candidates holding
     * it, or all that may lack it, are built again.
     */
    void changed(String item, boolean existed) {
        ContentMatch.ItemVector v = vectors.remove(item);
        if (v != null) {
            v.replaced = true;
        }
        if (!existed) {
            added++;
        }
    }
}
