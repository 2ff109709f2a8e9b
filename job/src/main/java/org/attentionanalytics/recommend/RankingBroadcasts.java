package org.attentionanalytics.recommend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.attentionanalytics.avro.internal.CatalogUpdate;
import org.attentionanalytics.avro.internal.ItemTopics;
import org.attentionanalytics.avro.internal.PopularItems;
import org.attentionanalytics.avro.internal.TopicPopularity;
import org.attentionanalytics.interest.Topics;

/**
 * What every ranking subtask keeps of its broadcast input ({@link RankingFunction}): the popularity
 * snapshots, overall by time and per topic, each looked up as it stood at a request's time; and
 * each item's topics (the latest record wins). A snapshot is kept while a request may still need
 * it: the latest one at or before the watermark minus the allowed lateness, and those after.
 */
final class RankingBroadcasts {
    private RankingBroadcasts() {}

    /**
     * A catalog record: the item's topics rolled up by {@code topicDepth}, or none after a tombstone.
     *
     * @return whether the item's topics changed (the same topics reported again change nothing)
     */
    static boolean catalog(CatalogUpdate c, BroadcastState<String, ItemTopics> topics, int topicDepth)
            throws Exception {
        if (c.getDeadLetter() != null || c.getItemId().isEmpty()) {
            return false;
        }
        if (c.getDeleted() || c.getTopics().isEmpty()) {
            boolean had = topics.contains(c.getItemId());
            topics.remove(c.getItemId());
            return had;
        }
        Topics.Weighted w = Topics.rollUp(c.getTopics(), c.getWeights(), topicDepth);
        ItemTopics rolled = new ItemTopics(w.topics(), w.weights());
        if (rolled.equals(topics.get(c.getItemId()))) {
            return false;
        }
        topics.put(c.getItemId(), rolled);
        return true;
    }

    /** @return the item's topic names, none when unknown */
    static Set<String> topicsOf(ReadOnlyBroadcastState<String, ItemTopics> catalog, String item) throws Exception {
        ItemTopics t = catalog.get(item);
        return t == null ? Set.of() : Set.copyOf(t.getTopics());
    }

    /**
     * Keeps a snapshot: the overall table's by its time, a topic's ({@code topic} set) in the topic's
     * list; drops those no request can need any more.
     *
     * @param horizon the watermark minus the allowed lateness, or {@code Long.MIN_VALUE} before the first watermark
     */
    static void keep(
            PopularItems snapshot,
            BroadcastState<Long, PopularItems> overall,
            BroadcastState<String, TopicPopularity> perTopic,
            long horizon)
            throws Exception {
        if (snapshot.getTopic().isEmpty()) {
            overall.put(snapshot.getTime(), snapshot);
            List<Long> times = new ArrayList<>();
            for (Map.Entry<Long, PopularItems> e : overall.entries()) {
                times.add(e.getKey());
            }
            long from = oldestNeeded(times, horizon);
            for (long time : times) {
                if (time < from) {
                    overall.remove(time);
                }
            }
            return;
        }
        TopicPopularity list = perTopic.get(snapshot.getTopic());
        List<PopularItems> kept = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        if (list != null) {
            for (PopularItems p : list.getSnapshots()) {
                times.add(p.getTime());
            }
        }
        times.add(snapshot.getTime());
        long from = oldestNeeded(times, horizon);
        if (list != null) {
            for (PopularItems p : list.getSnapshots()) {
                if (p.getTime() >= from && p.getTime() != snapshot.getTime()) {
                    kept.add(p);
                }
            }
        }
        kept.add(snapshot);
        kept.sort((a, b) -> Long.compare(a.getTime(), b.getTime()));
        perTopic.put(snapshot.getTopic(), new TopicPopularity(kept));
    }

    /** @return the time of the latest snapshot at or before {@code horizon} (older ones are not needed), or the minimum */
    private static long oldestNeeded(List<Long> times, long horizon) {
        long from = Long.MIN_VALUE;
        if (horizon == Long.MIN_VALUE) {
            return from;
        }
        for (long time : times) {
            if (time <= horizon) {
                from = Math.max(from, time);
            }
        }
        return from;
    }

    /** @return the latest overall snapshot whose time is not after {@code t}, or null */
    static PopularItems popularAt(ReadOnlyBroadcastState<Long, PopularItems> snapshots, long t) throws Exception {
        PopularItems best = null;
        for (Map.Entry<Long, PopularItems> e : snapshots.immutableEntries()) {
            if (e.getKey() <= t && (best == null || e.getKey() > best.getTime())) {
                best = e.getValue();
            }
        }
        return best;
    }

    /** @return the topic's latest snapshot whose time is not after {@code t}, or null */
    static PopularItems topicAt(ReadOnlyBroadcastState<String, TopicPopularity> perTopic, String topic, long t)
            throws Exception {
        TopicPopularity list = perTopic.get(topic);
        PopularItems best = null;
        if (list != null) {
            for (PopularItems p : list.getSnapshots()) {
                if (p.getTime() <= t) {
                    best = p; // ascending time
                }
            }
        }
        return best;
    }
}
