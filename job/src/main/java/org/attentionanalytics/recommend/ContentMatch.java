package org.attentionanalytics.recommend;

import java.util.ArrayList;
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
     * @param interests the user's interest vector, topic → weight (any scale)
     * @param topTopics the interest topics to take candidates from, best first (at most {@link #TOPICS} used)
     * @param perTopic a topic's popularity snapshot (items by descending count), or null
     * @param itemTopics an item's topic vector (topic → weight), or null when unknown: the item is not matched
     * @param excluded items never proposed
     * @return the candidates with a score above 0, best first (ties by item id), at most {@code size}
     */
    public static List<Blend.Scored> match(
            Map<String, Double> interests,
            List<String> topTopics,
            Function<String, PopularItems> perTopic,
            Function<String, Map<String, Double>> itemTopics,
            Set<String> excluded,
            int size) {
        Map<String, Double> share = new HashMap<>(); // an item's best share of its topic's top count
        for (String topic : topTopics.subList(0, Math.min(TOPICS, topTopics.size()))) {
            PopularItems snapshot = perTopic.apply(topic);
            if (snapshot == null
                    || snapshot.getCounts().isEmpty()
                    || !(snapshot.getCounts().get(0) > 0)) {
                continue;
            }
            double best = snapshot.getCounts().get(0);
            for (int i = 0; i < snapshot.getItems().size(); i++) {
                String item = snapshot.getItems().get(i);
                if (!excluded.contains(item)) {
                    share.merge(item, snapshot.getCounts().get(i) / best, Math::max);
                }
            }
        }
        List<String> items = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        double norm = SimilarUsers.norm(interests);
        for (Map.Entry<String, Double> e : share.entrySet()) {
            Map<String, Double> v = itemTopics.apply(e.getKey());
            double s = v == null ? 0 : SimilarUsers.cosine(interests, norm, v) * e.getValue();
            if (s > 0) {
                items.add(e.getKey());
                scores.add(s);
            }
        }
        List<Blend.Scored> out = new ArrayList<>();
        for (int i : TopItems.top(items, scores::get, size)) {
            out.add(new Blend.Scored(items.get(i), scores.get(i)));
        }
        return out;
    }
}
