package org.attentionanalytics.recommend;

import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;
import org.attentionanalytics.avro.RecommendationReason;

/**
 * How much each source of candidates counts in a list ({@code --recs.weight.*}, DESIGN.md section
 * 12), for {@link Blend}. POPULAR is not weighed: it fills what the sources leave.
 *
 * @param similarToRecent item-to-item over the user's recent items ({@code SIMILAR_TO_RECENT}), at least 0
 * @param matchesInterests content matching of the interest vector ({@code MATCHES_INTERESTS}), at least 0
 * @param similarUsers what users with similar interest vectors viewed ({@code SIMILAR_USERS}), at least 0
 */
public record SourceWeights(double similarToRecent, double matchesInterests, double similarUsers)
        implements Serializable {
    /** Part 1's ranking: item-to-item alone. */
    public static final SourceWeights ITEM_TO_ITEM = new SourceWeights(1, 0, 0);

    /** @throws IllegalArgumentException for a negative or non-finite weight, or no source on */
    public SourceWeights {
        Blend.check(RecommendationReason.SIMILAR_TO_RECENT, similarToRecent);
        Blend.check(RecommendationReason.MATCHES_INTERESTS, matchesInterests);
        Blend.check(RecommendationReason.SIMILAR_USERS, similarUsers);
        if (similarToRecent == 0 && matchesInterests == 0 && similarUsers == 0) {
            throw new IllegalArgumentException("at least one source needs a weight above 0");
        }
    }

    /** @return whether the job needs the per-topic tables and the interest vectors at the ranking */
    public boolean contentMatching() {
        return matchesInterests > 0;
    }

    /** @return whether the job needs the buckets of similar users */
    public boolean similarUsersOn() {
        return similarUsers > 0;
    }

    /** @return the blend of the sources, or null when item-to-item is the only one (its scores are kept as summed) */
    public Blend blend() {
        if (!contentMatching() && !similarUsersOn()) {
            return null;
        }
        Map<RecommendationReason, Double> w = new EnumMap<>(RecommendationReason.class);
        w.put(RecommendationReason.SIMILAR_TO_RECENT, similarToRecent);
        w.put(RecommendationReason.MATCHES_INTERESTS, matchesInterests);
        w.put(RecommendationReason.SIMILAR_USERS, similarUsers);
        return new Blend(w);
    }
}
