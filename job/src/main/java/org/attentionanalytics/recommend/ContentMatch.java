package org.attentionanalytics.recommend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.attentionanalytics.avro.internal.PopularItems;

/**
 * Content-based matching (Pazzani and Billsus, "Content-based recommendation systems", The Adaptive
 * Web, 2007; as Flipboard and Feedly match articles to followed topics). The candidates are the
 * most viewed recent items of the user's {@link #TOPICS} top interest topics (per-topic decayed
 * counts, {@link Popularity} keyed by topic). A candidate's score is the cosine of its topic vector
 * and the user's interest vector, times its count relative to the most viewed item of the topic it
 * was found in (1 for that item): items of the same topics, whose cosines are equal, then rank by
 * how much they are viewed. An item found in several topics keeps its best share.
 */
public final class ContentMatch {
    /** The user's top interest topics whose items are candidates. */
    public static final int TOPICS = 3;

    private ContentMatch() {}

    /**
     * An item's topic vector as parallel arrays, with its Euclidean norm. {@code replaced} is set
     * when the item's catalog topics change, so that candidates holding it are built again.
     */
    public static final class ItemVector {
        private final String[] topics;
        private final double[] weights;
        private final double norm;
        boolean replaced;

        /** @param vector topic → weight */
        public ItemVector(Map<String, Double> vector) {
            topics = new String[vector.size()];
            weights = new double[vector.size()];
            int i = 0;
            for (Map.Entry<String, Double> e : vector.entrySet()) {
                topics[i] = e.getKey();
                weights[i++] = e.getValue();
            }
            norm = SimilarUsers.norm(vector);
        }

        /** @return the cosine with {@code interests} of Euclidean norm {@code interestsNorm} (above 0) */
        double cosine(Map<String, Double> interests, double interestsNorm) {
            if (norm == 0) {
                return 0;
            }
            double dot = 0;
            for (int i = 0; i < topics.length; i++) {
                Double w = interests.get(topics[i]);
                if (w != null) {
                    dot += weights[i] * w;
                }
            }
            return dot / (interestsNorm * norm);
        }
    }

    /**
     * A topic's popularity snapshot as content-matching candidates: each item (by descending count)
     * with its share of the top count and its topic vector; items without topics are left out.
     *
     * @param shares each item's count divided by the top count, in (0, 1]
     * @param vectors each item's topic vector
     */
    public record Candidates(List<String> items, double[] shares, List<ItemVector> vectors) {
        /**
         * @param snapshot a topic's snapshot (items by descending count)
         * @param itemTopics an item's topic vector, or null when unknown
         * @return its candidates, or null when the snapshot has no item with a count above 0
         */
        public static Candidates of(PopularItems snapshot, Function<String, ItemVector> itemTopics) {
            if (snapshot == null
                    || snapshot.getCounts().isEmpty()
                    || !(snapshot.getCounts().get(0) > 0)) {
                return null;
            }
            double best = snapshot.getCounts().get(0);
            List<String> items = new ArrayList<>();
            List<ItemVector> vectors = new ArrayList<>();
            double[] shares = new double[snapshot.getItems().size()];
            for (int i = 0; i < snapshot.getItems().size(); i++) {
                ItemVector v = itemTopics.apply(snapshot.getItems().get(i));
                if (v != null) {
                    shares[items.size()] = snapshot.getCounts().get(i) / best;
                    items.add(snapshot.getItems().get(i));
                    vectors.add(v);
                }
            }
            return new Candidates(items, Arrays.copyOf(shares, items.size()), vectors);
        }

        /** @return whether one of the items' topics changed since these were built */
        boolean anyReplaced() {
            for (ItemVector v : vectors) {
                if (v.replaced) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * @param interests the user's interest vector, topic → weight (any scale)
     * @param topTopics the interest topics to take candidates from, best first (at most {@link #TOPICS} used)
     * @param perTopic a topic's candidates ({@link Candidates#of}), or null
     * @param excluded items never proposed
     * @return the candidates with a score above 0, best first (ties by item id), at most {@code size}
     */
    public static List<Blend.Scored> match(
            Map<String, Double> interests,
            List<String> topTopics,
            Function<String, Candidates> perTopic,
            Set<String> excluded,
            int size) {
        Map<String, Double> scored = new HashMap<>(); // cosine x share; an item in several topics keeps its best
        double norm = SimilarUsers.norm(interests);
        for (String topic : topTopics.subList(0, Math.min(TOPICS, topTopics.size()))) {
            Candidates c = perTopic.apply(topic);
            if (c == null || norm == 0) {
                continue;
            }
            for (int i = 0; i < c.items().size(); i++) {
                String item = c.items().get(i);
                double s = c.vectors().get(i).cosine(interests, norm) * c.shares()[i];
                if (s > 0 && !excluded.contains(item)) {
                    scored.merge(item, s, Math::max);
                }
            }
        }
        List<String> items = new ArrayList<>(scored.size());
        double[] scores = new double[scored.size()];
        for (Map.Entry<String, Double> e : scored.entrySet()) {
            scores[items.size()] = e.getValue();
            items.add(e.getKey());
        }
        List<Blend.Scored> out = new ArrayList<>();
        for (int i : TopItems.top(items, j -> scores[j], size)) {
            out.add(new Blend.Scored(items.get(i), scores[i]));
        }
        return out;
    }
}
