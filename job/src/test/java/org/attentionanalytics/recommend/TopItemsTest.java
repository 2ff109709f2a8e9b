package org.attentionanalytics.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link TopItems}: the bounded heap of {@code top} gives the first n of the full order, ties by id. */
class TopItemsTest {
    static final List<String> ITEMS = List.of("b", "a", "c", "d", "e");
    static final double[] SCORES = {1, 1, 2, 0.5, 1};

    @Test
    void topIsThePrefixOfTheOrderWithTiesByItemId() {
        // c 2; then a, b, e at 1 (by id); d 0.5
        assertThat(TopItems.order(ITEMS, i -> SCORES[i])).containsExactly(2, 1, 0, 4, 3);
        assertThat(TopItems.top(ITEMS, i -> SCORES[i], 1)).containsExactly(2);
        assertThat(TopItems.top(ITEMS, i -> SCORES[i], 2)).containsExactly(2, 1);
        assertThat(TopItems.top(ITEMS, i -> SCORES[i], 3)).containsExactly(2, 1, 0);
        assertThat(TopItems.top(ITEMS, i -> SCORES[i], 4)).containsExactly(2, 1, 0, 4);
        assertThat(TopItems.top(ITEMS, i -> SCORES[i], 9)).containsExactly(2, 1, 0, 4, 3);
        assertThat(TopItems.top(ITEMS, i -> SCORES[i], 0)).isEmpty();
    }
}
