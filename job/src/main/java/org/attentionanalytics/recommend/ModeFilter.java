package org.attentionanalytics.recommend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.attentionanalytics.avro.RecommendationMode;
import org.attentionanalytics.avro.RecommendedItem;

/**
 * Shows less but better when the user is overloaded (DESIGN.md section 12): applies the user's
 * recommendation mode ({@code attention.RecommendationModes}) and spent budgets to a ranked list.
 * <ul>
 *   <li>{@code QUIET}: no items.
 *   <li>{@code FOCUSED}: only items with a topic among the user's top topics; of the first {@code
 *       2 x focusedSize} such items of the ranked list, the {@code focusedSize} with the longest mean
 *       engaged time per view, best first (an item without a known time after those with one; ties
 *       keep the ranked order).
 *   <li>Any mode: no item in a category whose daily budget the user has spent today.
 * </ul>
 */
public final class ModeFilter {
    private ModeFilter() {}

    /**
     * What the job knows of the user at the list's time.
     *
     * @param topTopics the interest vector's top topics
     * @param spentCategories categories whose daily budget the user has spent on the list's local day
     */
    public record UserContext(RecommendationMode mode, Set<String> topTopics, Set<String> spentCategories) {}

    /** What the job knows of an item. */
    public interface ItemFacts {
        /** @return the item's catalog topics, empty when unknown */
        Set<String> topics(String item);

        /** @return the budget categories the item's topics fall in, empty when none */
        Set<String> categories(String item);

        /** @return the mean engaged ms per ended view of the item, {@code NaN} when unknown */
        double meanEngagedMs(String item);
    }

    /**
     * @param ranked the list as ranked, best first
     * @param size items in a NORMAL list
     * @param focusedSize items in a FOCUSED list ({@code --recs.focused-size})
     * @return the list to show, a new list
     */
    public static List<RecommendedItem> apply(
            List<RecommendedItem> ranked, UserContext user, ItemFacts items, int size, int focusedSize) {
        if (user.mode() == RecommendationMode.QUIET) {
            return new ArrayList<>();
        }
        List<RecommendedItem> allowed = new ArrayList<>();
        for (RecommendedItem i : ranked) {
            if (!spent(items.categories(i.getItemId()), user.spentCategories())) {
                allowed.add(i);
            }
        }
        if (user.mode() != RecommendationMode.FOCUSED) {
            return new ArrayList<>(allowed.subList(0, Math.min(size, allowed.size())));
        }
        List<RecommendedItem> topical = new ArrayList<>();
        for (RecommendedItem i : allowed) {
            if (topical.size() == 2 * focusedSize) {
                break;
            }
            if (!disjoint(items.topics(i.getItemId()), user.topTopics())) {
                topical.add(i);
            }
        }
        // stable sort: equal or unknown times keep the ranked order
        topical.sort(
                Comparator.comparingDouble((RecommendedItem i) -> engagedOrMinus(items.meanEngagedMs(i.getItemId())))
                        .reversed());
        return new ArrayList<>(topical.subList(0, Math.min(focusedSize, topical.size())));
    }

    private static double engagedOrMinus(double ms) {
        return Double.isNaN(ms) ? -1 : ms;
    }

    private static boolean spent(Set<String> categories, Set<String> spentCategories) {
        return !disjoint(categories, spentCategories);
    }

    private static boolean disjoint(Set<String> a, Set<String> b) {
        for (String x : a) {
            if (b.contains(x)) {
                return false;
            }
        }
        return true;
    }
}
