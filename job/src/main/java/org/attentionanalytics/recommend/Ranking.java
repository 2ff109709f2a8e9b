package org.attentionanalytics.recommend;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.attentionanalytics.avro.Recommendation;
import org.attentionanalytics.avro.RecommendationMode;
import org.attentionanalytics.avro.RecommendationReason;
import org.attentionanalytics.avro.RecommendedItem;
import org.attentionanalytics.avro.internal.PopularItems;
import org.attentionanalytics.avro.internal.RankMessage;

/**
 * Ranks one list (DESIGN.md section 12). Item-to-item ({@code SIMILAR_TO_RECENT}, Linden et al.
 * 2003): a candidate's score is the sum, over the user's recent items, of recency weight x cosine
 * similarity. With a {@link Blend}, those candidates and the other sources' ({@code
 * MATCHES_INTERESTS}: {@link ContentMatch}; {@code SIMILAR_USERS}: {@link UserBuckets}) are blended into one order and the scores are the blended
 * ones. Best first; excluded items never appear; the most popular items fill the rest ({@code
 * POPULAR}, score = decayed interaction count). Sums add the contributions in ascending order, so
 * the result does not depend on the order the answers arrived in.
 */
public final class Ranking {
    private final int size;
    private final Blend blend;

    /** @param size items per list; item-to-item only, scores as summed */
    public Ranking(int size) {
        this(size, null);
    }

    /**
     * @param size items per list
     * @param blend how the sources are weighed, or null: item-to-item only, scores as summed
     */
    public Ranking(int size, Blend blend) {
        this.size = size;
        this.blend = blend;
    }

    /**
     * @param request the REQUEST: its time, as_of and the items to exclude
     * @param answers the SCORES answering it (any order)
     * @param popular the popularity snapshot in force at the request's time, or null
     */
    public Recommendation rank(String user, RankMessage request, List<RankMessage> answers, PopularItems popular) {
        return rank(user, request, answers, popular, Map.of());
    }

    /**
     * @param others the other sources' candidates, used with a {@link Blend} ({@link RankingSources}:
     *     MATCHES_INTERESTS, SIMILAR_USERS; excluded items are dropped here)
     */
    public Recommendation rank(
            String user,
            RankMessage request,
            List<RankMessage> answers,
            PopularItems popular,
            Map<RecommendationReason, List<Blend.Scored>> others) {
        Set<String> excluded = new HashSet<>(request.getItems());
        Map<String, List<Double>> contributions = new HashMap<>(); // TopItems orders them, ties by id
        for (RankMessage a : answers) {
            for (int i = 0; i < a.getItems().size(); i++) {
                String item = a.getItems().get(i);
                if (!excluded.contains(item)) {
                    contributions
                            .computeIfAbsent(item, k -> new ArrayList<>())
                            .add(a.getScores().get(i));
                }
            }
        }
        List<String> candidates = new ArrayList<>(contributions.keySet());
        List<Double> scores = new ArrayList<>();
        for (String item : candidates) {
            List<Double> parts = contributions.get(item);
            parts.sort(null);
            double sum = 0;
            for (double p : parts) {
                sum += p;
            }
            scores.add(sum);
        }
        List<RecommendedItem> items = new ArrayList<>();
        if (blend == null) {
            for (int i : TopItems.top(candidates, scores::get, size)) {
                items.add(
                        new RecommendedItem(candidates.get(i), scores.get(i), RecommendationReason.SIMILAR_TO_RECENT));
            }
        } else {
            List<Blend.Scored> similar = new ArrayList<>();
            for (int i = 0; i < candidates.size(); i++) {
                similar.add(new Blend.Scored(candidates.get(i), scores.get(i)));
            }
            Map<RecommendationReason, List<Blend.Scored>> sources = new EnumMap<>(RecommendationReason.class);
            others.forEach((source, list) -> sources.put(
                    source,
                    list.stream().filter(c -> !excluded.contains(c.item())).toList()));
            sources.put(RecommendationReason.SIMILAR_TO_RECENT, similar);
            items.addAll(blend.blend(sources, size));
        }
        Set<String> listed = new HashSet<>();
        items.forEach(i -> listed.add(i.getItemId()));
        if (popular != null) {
            for (int i = 0; i < popular.getItems().size() && items.size() < size; i++) {
                String item = popular.getItems().get(i);
                if (!excluded.contains(item) && listed.add(item)) {
                    items.add(new RecommendedItem(item, popular.getCounts().get(i), RecommendationReason.POPULAR));
                }
            }
        }
        return Recommendation.newBuilder()
                .setUser(user)
                .setAsOf(java.time.Instant.ofEpochMilli(request.getAsOf()))
                .setMode(RecommendationMode.NORMAL)
                .setItems(items)
                .build();
    }
}
