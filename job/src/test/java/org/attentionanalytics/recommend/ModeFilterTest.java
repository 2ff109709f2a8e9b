package org.attentionanalytics.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.attentionanalytics.avro.RecommendationMode;
import org.attentionanalytics.avro.RecommendationReason;
import org.attentionanalytics.avro.RecommendedItem;
import org.attentionanalytics.recommend.ModeFilter.UserContext;
import org.junit.jupiter.api.Test;

/** {@link ModeFilter} on a small catalog, by hand. */
class ModeFilterTest {
    /** item -> (topic, mean engaged ms; NaN unknown); topic "games" is in category "entertainment". */
    static final Map<String, String> TOPIC =
            Map.of("a", "news", "b", "games", "c", "science", "d", "news", "e", "science", "f", "news", "g", "science");

    static final Map<String, Double> ENGAGED = Map.of(
            "a", 20_000.0, "b", 90_000.0, "c", 45_000.0, "d", 120_000.0, "e", Double.NaN, "f", 60_000.0, "g", 60_000.0);

    static final ModeFilter.ItemFacts FACTS = new ModeFilter.ItemFacts() {
        @Override
        public Set<String> topics(String item) {
            return TOPIC.containsKey(item) ? Set.of(TOPIC.get(item)) : Set.of();
        }

        @Override
        public Set<String> categories(String item) {
            return "games".equals(TOPIC.get(item)) ? Set.of("entertainment") : Set.of();
        }

        @Override
        public double meanEngagedMs(String item) {
            return ENGAGED.getOrDefault(item, Double.NaN);
        }
    };

    /** Ranked a (best) to g, then "x", an item the catalog does not know. */
    static final List<RecommendedItem> RANKED = List.of("a", "b", "c", "d", "e", "f", "g", "x").stream()
            .map(i -> new RecommendedItem(i, 1.0, RecommendationReason.SIMILAR_TO_RECENT))
            .toList();

    static List<String> ids(List<RecommendedItem> items) {
        return items.stream().map(RecommendedItem::getItemId).toList();
    }

    static List<String> apply(RecommendationMode mode, Set<String> spent) {
        return ids(ModeFilter.apply(RANKED, new UserContext(mode, Set.of("news", "science"), spent), FACTS, 5, 3));
    }

    @Test
    void normalKeepsTheRankedOrderUpToTheSize() {
        assertThat(apply(RecommendationMode.NORMAL, Set.of())).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void focusedTakesTheTopicalItemsWithTheLongestEngagedTime() {
        // topical (news, science) in ranked order: a, c, d, e, f, g; the first 2 x 3 = 6 of them are
        // a 20 s, c 45 s, d 120 s, e unknown, f 60 s, g 60 s: d, then f and g (tied, ranked order), 3 items
        assertThat(apply(RecommendationMode.FOCUSED, Set.of())).containsExactly("d", "f", "g");
    }

    @Test
    void focusedLooksOnlyAtTheFirstTwiceTheSizeTopicalItems() {
        List<String> out = ids(ModeFilter.apply(
                RANKED, new UserContext(RecommendationMode.FOCUSED, Set.of("news", "science"), Set.of()), FACTS, 5, 2));
        // first 4 topical: a 20 s, c 45 s, d 120 s, e unknown: d, c (f and g, 60 s, are beyond the 4)
        assertThat(out).containsExactly("d", "c");
    }

    @Test
    void quietShowsNothing() {
        assertThat(apply(RecommendationMode.QUIET, Set.of())).isEmpty();
    }

    @Test
    void aSpentCategoryGetsNoItemsInAnyMode() {
        assertThat(apply(RecommendationMode.NORMAL, Set.of("entertainment"))).containsExactly("a", "c", "d", "e", "f");
        assertThat(apply(RecommendationMode.NORMAL, Set.of("sport"))).containsExactly("a", "b", "c", "d", "e");
    }
}
