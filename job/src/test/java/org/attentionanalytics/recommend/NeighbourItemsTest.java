package org.attentionanalytics.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.attentionanalytics.recommend.NeighbourItems.Candidate;
import org.attentionanalytics.recommend.SimilarUsers.Neighbour;
import org.junit.jupiter.api.Test;

/** {@link NeighbourItems}: similarity-weighted sums and the minimum-support rule, by hand. */
class NeighbourItemsTest {
    static final List<Neighbour> NEIGHBOURS =
            List.of(new Neighbour("v1", 0.9), new Neighbour("v2", 0.6), new Neighbour("v3", 0.3));
    static final Map<String, Map<String, Double>> ITEMS = Map.of(
            "v1", Map.of("a", 1.0, "b", 3.0, "d", 5.0),
            "v2", Map.of("a", 1.0, "c", 1.0),
            "v3", Map.of("a", 2.0, "b", 1.0, "c", 1.0));

    @Test
    void sumsSimilarityTimesWeightOverTheNeighboursThatHaveTheItem() {
        List<Candidate> c = NeighbourItems.score(NEIGHBOURS, ITEMS, 2, Set.of(), 10);
        // b: 0.9 x 3 + 0.3 x 1 = 3.0 (2 users); a: 0.9 x 1 + 0.6 x 1 + 0.3 x 2 = 2.1 (3); c: 0.6 + 0.3 = 0.9 (2).
        // d: only v1 has it, below the minimum of 2: never proposed, however high 0.9 x 5 = 4.5 would rank.
        assertThat(c).extracting(Candidate::item).containsExactly("b", "a", "c");
        assertThat(c.get(0).score()).isCloseTo(3.0, within(1e-12));
        assertThat(c.get(1).score()).isCloseTo(2.1, within(1e-12));
        assertThat(c.get(2).score()).isCloseTo(0.9, within(1e-12));
        assertThat(c).extracting(Candidate::support).containsExactly(2, 3, 2);
    }

    @Test
    void theMinimumSupportExclusionsAndSize() {
        assertThat(NeighbourItems.score(NEIGHBOURS, ITEMS, 3, Set.of(), 10))
                .extracting(Candidate::item)
                .containsExactly("a");
        assertThat(NeighbourItems.score(NEIGHBOURS, ITEMS, 1, Set.of(), 10))
                .extracting(Candidate::item)
                .containsExactly("d", "b", "a", "c");
        assertThat(NeighbourItems.score(NEIGHBOURS, ITEMS, 2, Set.of("b"), 10))
                .extracting(Candidate::item)
                .containsExactly("a", "c");
        assertThat(NeighbourItems.score(NEIGHBOURS, ITEMS, 2, Set.of(), 1))
                .extracting(Candidate::item)
                .containsExactly("b");
        // a neighbour without items (not in the map) adds nothing
        assertThat(NeighbourItems.score(List.of(new Neighbour("v9", 1.0)), ITEMS, 1, Set.of(), 10))
                .isEmpty();
    }

    @Test
    void theOrderOfTheNeighboursDoesNotChangeTheSums() {
        List<Neighbour> reversed = List.of(NEIGHBOURS.get(2), NEIGHBOURS.get(1), NEIGHBOURS.get(0));
        assertThat(NeighbourItems.score(reversed, ITEMS, 2, Set.of(), 10))
                .isEqualTo(NeighbourItems.score(NEIGHBOURS, ITEMS, 2, Set.of(), 10));
    }

    @Test
    void refusesASupportBelowOne() {
        assertThatThrownBy(() -> NeighbourItems.score(NEIGHBOURS, ITEMS, 0, Set.of(), 10))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
