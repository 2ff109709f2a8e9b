package org.attentionanalytics.interest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Topic codes and their weights: {@code --topic-depth} roll-up (DESIGN.md section 2) and the
 * merging of duplicates that a roll-up creates.
 *
 * <p>A topic list comes with a parallel weight list (as in {@code AttentionEvent.topics} and {@code
 * topic_weights}); an empty weight list means equal shares. Weights are relative: only their
 * proportions matter to the interest vector (DESIGN.md section 6).
 */
public final class Topics {
    private Topics() {}

    /**
     * Topics and parallel weights.
     *
     * @param topics distinct topic codes, in order of first appearance
     * @param weights parallel to {@code topics}, or empty for equal shares
     */
    public record Weighted(List<String> topics, List<Double> weights) {
        /** No topics. */
        public static final Weighted NONE = new Weighted(List.of(), List.of());

        /** Whether there is no topic. */
        public boolean isEmpty() {
            return topics.isEmpty();
        }
    }

    /**
     * The first {@code depth} dot-separated segments of {@code topic}: {@code rollUp("appliances.kitchen.kettle", 2)}
     * is {@code appliances.kitchen}. A topic with at most {@code depth} segments is returned as it is.
     *
     * @param depth number of segments to keep; {@code <= 0} keeps the topic unchanged
     * @return the rolled-up topic (null stays null)
     */
    public static String rollUp(String topic, int depth) {
        if (topic == null || depth <= 0) {
            return topic;
        }
        int end = -1;
        for (int kept = 0; kept < depth; kept++) {
            end = topic.indexOf('.', end + 1);
            if (end < 0) {
                return topic;
            }
        }
        return topic.substring(0, end);
    }

    /**
     * Rolls every topic up to {@code depth} segments and merges the duplicates. Null and empty topics
     * are dropped (with their weights).
     *
     * <ul>
     *   <li>Equal shares ({@code weights} empty, or not of the same size as {@code topics}, which is
     *       read as equal shares too): the distinct rolled-up topics in order of first appearance,
     *       weights empty. So {@code [a.x, a.y, b]} at depth 1 gives {@code [a, b]}: each half of the
     *       signal, as the item is about two topics.
     *   <li>Weighted: the distinct rolled-up topics in order of first appearance, each with the sum
     *       of its weights: {@code [a.x 0.5, a.y 0.25, b 0.25]} at depth 1 gives {@code [a 0.75, b
     *       0.25]}. Weights are not normalised here.
     * </ul>
     *
     * @param topics topic codes, may contain duplicates
     * @param weights parallel weights, or empty for equal shares
     * @param depth {@code --topic-depth}; {@code <= 0} only merges duplicates
     * @return the merged topics; the input lists themselves when nothing changes
     */
    public static Weighted rollUp(List<String> topics, List<Double> weights, int depth) {
        boolean weighted = !weights.isEmpty() && weights.size() == topics.size();
        if (weighted) {
            Map<String, Double> merged = new LinkedHashMap<>();
            for (int i = 0; i < topics.size(); i++) {
                String t = rollUp(topics.get(i), depth);
                if (t != null && !t.isEmpty()) {
                    merged.merge(t, weights.get(i), Double::sum);
                }
            }
            if (merged.size() == topics.size() && sameTopics(merged.keySet(), topics)) {
                return new Weighted(topics, weights);
            }
            return new Weighted(new ArrayList<>(merged.keySet()), new ArrayList<>(merged.values()));
        }
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (String topic : topics) {
            String t = rollUp(topic, depth);
            if (t != null && !t.isEmpty()) {
                distinct.add(t);
            }
        }
        if (distinct.size() == topics.size() && sameTopics(distinct, topics) && weights.isEmpty()) {
            return new Weighted(topics, weights);
        }
        return new Weighted(new ArrayList<>(distinct), List.of());
    }

    /**
     * Weights scaled to sum to 1 (the proportions of {@code weights}).
     *
     * @param weights finite and {@code > 0}, at least one
     * @return a new list, parallel to {@code weights}
     */
    public static List<Double> normalised(List<Double> weights) {
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        List<Double> out = new ArrayList<>(weights.size());
        for (double w : weights) {
            out.add(w / sum);
        }
        return out;
    }

    private static boolean sameTopics(Iterable<String> merged, List<String> original) {
        int i = 0;
        for (String t : merged) {
            if (!t.equals(original.get(i++))) {
                return false;
            }
        }
        return true;
    }
}
