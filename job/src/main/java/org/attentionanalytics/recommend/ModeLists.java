package org.attentionanalytics.recommend;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.attentionanalytics.attention.CategoryRules;
import org.attentionanalytics.avro.Recommendation;
import org.attentionanalytics.avro.RecommendationMode;
import org.attentionanalytics.avro.RecommendedItem;
import org.attentionanalytics.avro.internal.RankMessage;

/**
 * The ranking's lists with the user's recommendation mode applied (DESIGN.md section 12): the
 * user's latest MODE message says the mode, top topics and spent budget categories, {@link
 * ModeFilter} does the rest with the items' topics and their categories. No MODE message yet:
 * NORMAL, nothing spent. A FOCUSED list prefers the items with the longest mean engaged time per
 * view; an item without one comes after those with one.
 */
final class ModeLists {
    private final int size;
    private final int focusedSize;
    private final Function<String, Set<String>> topicsOf;
    private final ToDoubleFunction<String> meanEngagedOf;
    private final CategoryRules rules;

    /**
     * @param topicsOf an item's catalog topics (rolled up as the interest vector's), empty when unknown
     * @param meanEngagedOf an item's mean engaged ms per view, {@code NaN} when unknown
     * @param rules the budget categories of topics ({@code --category-rules}), as the per-user operator's
     */
    ModeLists(
            int size,
            int focusedSize,
            Function<String, Set<String>> topicsOf,
            ToDoubleFunction<String> meanEngagedOf,
            CategoryRules rules) {
        this.size = size;
        this.focusedSize = focusedSize;
        this.topicsOf = topicsOf;
        this.meanEngagedOf = meanEngagedOf;
        this.rules = rules;
    }

    /** @return whether lists under {@code mode} may lose items, so they are ranked longer: FOCUSED, or budgets spent */
    static boolean narrows(RankMessage mode) {
        return modeOf(mode) == RecommendationMode.FOCUSED
                || mode != null && !mode.getSpentCategories().isEmpty();
    }

    /** @return {@code ranked} with the mode of {@code mode} (null: NORMAL) applied, a new record */
    Recommendation apply(Recommendation ranked, RankMessage mode) {
        return withItems(ranked.getUser(), ranked.getAsOf(), ranked.getItems(), mode);
    }

    /**
     * The record that announces a switch at the MODE message's time (or the last list's, when that
     * is later: a late event's MODE): the user's last ranked list (none: empty) without the items
     * excluded at that time (viewed since, bought), with the new mode applied.
     */
    Recommendation onSwitch(String user, RankMessage mode, Recommendation lastRanked) {
        List<RecommendedItem> items = new ArrayList<>();
        if (lastRanked != null) {
            Set<String> excluded = new HashSet<>(mode.getExcluded());
            for (RecommendedItem i : lastRanked.getItems()) {
                if (!excluded.contains(i.getItemId())) {
                    items.add(i);
                }
            }
        }
        // a MODE told after a late event carries that event's time: the record never goes back before the list
        Instant asOf = Instant.ofEpochMilli(mode.getTime());
        if (lastRanked != null && lastRanked.getAsOf().isAfter(asOf)) {
            asOf = lastRanked.getAsOf();
        }
        return withItems(user, asOf, items, mode);
    }

    private Recommendation withItems(String user, Instant asOf, List<RecommendedItem> items, RankMessage mode) {
        RecommendationMode m = modeOf(mode);
        Set<String> top = mode == null ? Set.of() : new HashSet<>(mode.getItems());
        Set<String> spent = mode == null ? Set.of() : new HashSet<>(mode.getSpentCategories());
        List<RecommendedItem> shown =
                ModeFilter.apply(items, new ModeFilter.UserContext(m, top, spent), facts(), size, focusedSize);
        return Recommendation.newBuilder()
                .setUser(user)
                .setAsOf(asOf)
                .setMode(m)
                .setItems(shown)
                .build();
    }

    /** @return the mode a MODE message names; NORMAL for none or a name this version does not know */
    static RecommendationMode modeOf(RankMessage mode) {
        if (mode == null) {
            return RecommendationMode.NORMAL;
        }
        for (RecommendationMode m : RecommendationMode.values()) {
            if (m.name().equals(mode.getMode())) {
                return m;
            }
        }
        return RecommendationMode.NORMAL;
    }

    private ModeFilter.ItemFacts facts() {
        return new ModeFilter.ItemFacts() {
            @Override
            public Set<String> topics(String item) {
                return topicsOf.apply(item);
            }

            @Override
            public Set<String> categories(String item) {
                Set<String> categories = new HashSet<>();
                for (String topic : topicsOf.apply(item)) {
                    categories.add(rules.categoryOf(topic));
                }
                return categories;
            }

            @Override
            public double meanEngagedMs(String item) {
                return meanEngagedOf.applyAsDouble(item);
            }
        };
    }
}
