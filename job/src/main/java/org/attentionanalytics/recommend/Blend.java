package org.attentionanalytics.recommend;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.attentionanalytics.avro.RecommendationReason;
import org.attentionanalytics.avro.RecommendedItem;

/**
 * Blends the candidates of several sources into one ranked list: a weighted hybrid (Burke, "Hybrid
 * recommender systems: survey and experiments", User Modeling and User-Adapted Interaction, 2002).
 * Each source's scores are divided by that source's best score among its candidates, so every
 * source's best is 1 whatever its unit (summed cosines, similarity-weighted views, a cosine); then
 * an item's blended score is the sum over the sources that propose it of weight x normalized
 * score, and its reason is the source with the largest part (ties: the order of {@link
 * RecommendationReason}). Best first, ties by item id.
 */
public final class Blend {
    private final Map<RecommendationReason, Double> weights;

    /**
     * @param weights each source's weight, at least 0; a source without a weight is left out
     * @throws IllegalArgumentException for a negative or non-finite weight
     */
    public Blend(Map<RecommendationReason, Double> weights) {
        weights.forEach(Blend::check);
        this.weights = new EnumMap<>(weights);
    }

    /** @throws IllegalArgumentException when {@code weight} is negative or not finite */
    static void check(RecommendationReason source, double weight) {
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight of " + source + " must be a number >= 0, got " + weight);
        }
    }

    /** An item and a source's score for it (the source's own unit, above 0). */
    public record Scored(String item, double score) {}

    /**
     * @param candidates each source's candidates (an item at most once per source)
     * @param size most items returned
     */
    public List<RecommendedItem> blend(Map<RecommendationReason, List<Scored>> candidates, int size) {
        Map<String, double[]> parts = new HashMap<>(); // TopItems orders them, ties by id
        RecommendationReason[] reasons = RecommendationReason.values();
        for (RecommendationReason source : reasons) {
            List<Scored> list = candidates.getOrDefault(source, List.of());
            double w = weights.getOrDefault(source, 0.0);
            double best = 0;
            for (Scored s : list) {
                best = Math.max(best, s.score());
            }
            if (w == 0 || best <= 0) {
                continue;
            }
            for (Scored s : list) {
                if (s.score() > 0) {
                    parts.computeIfAbsent(s.item(), k -> new double[reasons.length])[source.ordinal()] =
                            w * s.score() / best;
                }
            }
        }
        List<String> items = new ArrayList<>(parts.keySet());
        List<Double> scores = new ArrayList<>();
        List<RecommendationReason> why = new ArrayList<>();
        for (String item : items) {
            double[] p = parts.get(item);
            double sum = 0;
            int top = 0;
            for (int r = 0; r < p.length; r++) {
                sum += p[r];
                if (p[r] > p[top]) {
                    top = r;
                }
            }
            scores.add(sum);
            why.add(reasons[top]);
        }
        List<RecommendedItem> out = new ArrayList<>();
        for (int i : TopItems.top(items, scores::get, size)) {
            out.add(new RecommendedItem(items.get(i), scores.get(i), why.get(i)));
        }
        return out;
    }
}
