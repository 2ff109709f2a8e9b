package org.attentionanalytics.recommend;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.attentionanalytics.avro.RecommendationReason;
import org.attentionanalytics.avro.internal.RankMessage;
import org.attentionanalytics.avro.internal.RankMessageKind;

/**
 * The candidates of the sources beside item-to-item for one list (DESIGN.md section 12): content
 * matching from the user's interest vector ({@link ContentMatch}) and similar users from their
 * buckets' answers ({@link UserBuckets}), for {@link Ranking#rank} to blend. Plain Java.
 */
final class RankingSources {
    private RankingSources() {}

    /**
     * @param vector the user's latest INTERESTS message, or null (no content candidates)
     * @param similar the user's merged SIMILAR answers ({@link #merge}), or null
     * @param candidatesOf each topic's content candidates in force at the request's time, or null
     */
    static Map<RecommendationReason, List<Blend.Scored>> of(
            SourceWeights weights,
            RankMessage request,
            RankMessage vector,
            RankMessage similar,
            Function<String, ContentMatch.Candidates> candidatesOf,
            int size) {
        Map<RecommendationReason, List<Blend.Scored>> out = new EnumMap<>(RecommendationReason.class);
        if (weights.contentMatching() && vector != null) {
            out.put(
                    RecommendationReason.MATCHES_INTERESTS,
                    ContentMatch.match(
                            SimilarUsers.vector(vector.getItems(), vector.getScores()),
                            vector.getItems(),
                            candidatesOf,
                            new HashSet<>(request.getItems()),
                            size));
        }
        if (weights.similarUsersOn() && similar != null) {
            List<Blend.Scored> scored = new ArrayList<>();
            for (int i = 0; i < similar.getItems().size(); i++) {
                scored.add(new Blend.Scored(
                        similar.getItems().get(i), similar.getScores().get(i)));
            }
            out.put(RecommendationReason.SIMILAR_USERS, scored);
        }
        return out;
    }

    /**
     * Merges the answers of one vector's buckets (all of one time): an item's score is its best in any
     * bucket (a neighbour sharing several buckets counts once per item), so every item kept had the
     * minimum support within one bucket.
     *
     * @return one SIMILAR message of the answers' user and time, items by id
     */
    static RankMessage merge(List<RankMessage> answers) {
        Map<String, Double> best = new TreeMap<>();
        for (RankMessage a : answers) {
            for (int i = 0; i < a.getItems().size(); i++) {
                best.merge(a.getItems().get(i), a.getScores().get(i), Math::max);
            }
        }
        RankMessage first = answers.get(0);
        return RankMessage.newBuilder()
                .setUser(first.getUser())
                .setKind(RankMessageKind.SIMILAR)
                .setTime(first.getTime())
                .setItems(new ArrayList<>(best.keySet()))
                .setScores(new ArrayList<>(best.values()))
                .build();
    }
}
