package org.attentionanalytics.recommend;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Content-based matching (Pazzani and Billsus, "Content-based recommendation systems", The
 * Adaptive Web, 2007; as Flipboard and Feedly match articles to followed topics): per topic, the
 * items most viewed lately (decayed view counts, half-life H); an item's score for a user is the
 * cosine of the item's catalog topic vector and the user's interest vector. Candidates are the top
 * items of the user's top topics. Counts are kept against a reference time ({@link Decay}), so
 * adding in any order gives the same sums; trimming a topic to its top items is the one step that
 * depends on the order, so the job adds views in event-time order and a replay gives the same table.
 */
public final class ContentMatch {
    private final long halfLifeMs;
    private final int perTopic;
    private final Map<String, Map<String, Double>> counts = new HashMap<>();
    private long reference = Long.MIN_VALUE;

    /**
     * @param halfLifeMs the counts' half-life, ms
     * @param perTopic items kept per topic (the table is trimmed to them when it doubles)
     */
    public ContentMatch(long halfLifeMs, int perTopic) {
        this.halfLifeMs = halfLifeMs;
        this.perTopic = perTopic;
    }

    /** Counts a view of {@code item}, whose catalog topics are {@code topics}, at event time {@code t} (ms). */
    public void view(String item, Set<String> topics, long t) {
        if (reference == Long.MIN_VALUE) {
            reference = t;
        } else if (Decay.needsRebase(t, reference, halfLifeMs)) {
            rebase(t);
        }
        double amount = Decay.toReference(t, reference, halfLifeMs);
        for (String topic : topics) {
            Map<String, Double> table = counts.computeIfAbsent(topic, k -> new HashMap<>());
            table.merge(item, amount, Double::sum);
            if (table.size() > 2 * perTopic) {
                List<String> keep = top(table, perTopic);
                table.keySet().retainAll(new LinkedHashSet<>(keep));
            }
        }
    }

    private void rebase(long t) {
        double factor = Decay.toReference(reference, t, halfLifeMs);
        for (Map<String, Double> table : counts.values()) {
            table.replaceAll((k, v) -> v * factor);
        }
        reference = t;
    }

    /** @return the topic's items by descending decayed count (ties by item id), at most {@code n} */
    public List<String> topItems(String topic, int n) {
        return top(counts.getOrDefault(topic, Map.of()), n);
    }

    /** @return the decayed view count of {@code item} under {@code topic} at event time {@code t} */
    public double count(String topic, String item, long t) {
        Double v = counts.getOrDefault(topic, Map.of()).get(item);
        return v == null ? 0 : v * Decay.toReference(reference, t, halfLifeMs);
    }

    private static List<String> top(Map<String, Double> table, int n) {
        List<String> items = new ArrayList<>(table.keySet());
        List<String> out = new ArrayList<>();
        for (int i : TopItems.top(items, k -> table.get(items.get(k)), n)) {
            out.add(items.get(i));
        }
        return out;
    }

    /** A candidate and its cosine with the user's interests. */
    public record Match(String item, double score) {}

    /**
     * @param interests the user's interest vector, topic → weight
     * @param topTopics the topics to take candidates from (the vector's top ones)
     * @param itemTopics each candidate's catalog topic vector; an item without one is not matched
     * @param excluded items never proposed
     * @return the candidates with a cosine above 0, best first (ties by item id), at most {@code size}
     */
    public List<Match> match(
            Map<String, Double> interests,
            List<String> topTopics,
            Map<String, Map<String, Double>> itemTopics,
            Set<String> excluded,
            int size) {
        Set<String> candidates = new LinkedHashSet<>();
        for (String topic : topTopics) {
            candidates.addAll(topItems(topic, perTopic));
        }
        List<String> items = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        for (String item : candidates) {
            Map<String, Double> v = itemTopics.get(item);
            if (v == null || excluded.contains(item)) {
                continue;
            }
            double s = SimilarUsers.cosine(interests, v);
            if (s > 0) {
                items.add(item);
                scores.add(s);
            }
        }
        List<Match> out = new ArrayList<>();
        for (int i : TopItems.top(items, scores::get, size)) {
            out.add(new Match(items.get(i), scores.get(i)));
        }
        return out;
    }
}
