package org.attentionanalytics.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.attentionanalytics.avro.internal.ItemRow;
import org.junit.jupiter.api.Test;

/** {@link ItemTable}: co-occurrence, cosine, decay and the top-k bound, by hand. */
class ItemTableTest {
    static final long H = 86_400_000L; // half-life: one day
    static final long T0 = 1_700_000_000_000L;

    @Test
    void cosineOfCooccurrenceOverCounts() {
        ItemTable table = new ItemTable(H, 10);
        ItemRow a = ItemTable.emptyRow(T0);
        table.setCount(a, 3, T0); // a seen in 3 interactions
        table.addPair(a, "b", 2, T0); // a and b together in two sessions, b seen twice
        table.addPair(a, "b", 2, T0);
        table.addPair(a, "c", 4, T0); // once with c, c seen 4 times
        ItemTable.Neighbours n = table.query(a, 5);
        assertThat(n.items()).containsExactly("b", "c");
        // cos(a,b) = 2 / sqrt(3 * 2) = 0.81650; cos(a,c) = 1 / sqrt(3 * 4) = 0.28868
        assertThat(n.similarities().get(0)).isCloseTo(0.81650, within(1e-5));
        assertThat(n.similarities().get(1)).isCloseTo(0.28868, within(1e-5));
        assertThat(table.query(a, 1).items()).containsExactly("b");
    }

    @Test
    void countsDecayAlikeSoTimeAloneDoesNotChangeTheCosine() {
        ItemTable table = new ItemTable(H, 10);
        ItemRow a = ItemTable.emptyRow(T0);
        table.setCount(a, 2, T0);
        table.addPair(a, "b", 2, T0); // cos = 1 / sqrt(2 * 2) = 0.5
        assertThat(table.query(a, 1).similarities().get(0)).isCloseTo(0.5, within(1e-12));
        // one half-life later: n(a) = 2 * 0.5 + 1 = 2, n(b) = 2 * 0.5 + 1 = 2, C(a,b) = 1 * 0.5 + 1 = 1.5
        table.setCount(a, 2, T0 + H);
        table.addPair(a, "b", 2, T0 + H);
        assertThat(table.query(a, 1).similarities().get(0)).isCloseTo(1.5 / 2, within(1e-12));
        // an older count report than the row's does not replace it
        table.setCount(a, 100, T0);
        assertThat(table.query(a, 1).similarities().get(0)).isCloseTo(0.75, within(1e-12));
    }

    @Test
    void theTopKListKeepsTheKBestTiesByItemId() {
        ItemTable table = new ItemTable(H, 2);
        ItemRow a = ItemTable.emptyRow(T0);
        table.setCount(a, 3, T0);
        table.addPair(a, "b", 2, T0);
        table.addPair(a, "b", 2, T0); // 2 / sqrt(6) = 0.8165
        table.addPair(a, "c", 4, T0); // 1 / sqrt(12) = 0.2887
        table.addPair(a, "d", 1, T0); // 1 / sqrt(3) = 0.5774
        table.trim(a);
        assertThat(a.getNeighbours()).containsExactlyInAnyOrder("b", "d");
        assertThat(table.query(a, 5).items()).containsExactly("b", "d");

        ItemRow x = ItemTable.emptyRow(T0);
        table.setCount(x, 1, T0);
        table.addPair(x, "z", 1, T0);
        table.addPair(x, "y", 1, T0);
        table.addPair(x, "w", 1, T0); // all three: 1 / sqrt(1 * 1) = 1
        table.trim(x);
        assertThat(table.query(x, 5).items()).containsExactly("w", "y");
    }

    @Test
    void farApartTimesMoveTheReferenceWithoutChangingValues() {
        ItemTable table = new ItemTable(H, 10);
        ItemRow a = ItemTable.emptyRow(T0);
        table.setCount(a, 1, T0);
        table.addPair(a, "b", 1, T0);
        long later = T0 + 100 * H; // beyond Decay.REBASE_HALF_LIVES
        table.setCount(a, 1, later); // the old interaction has decayed to 2^-100: n(a) = 1 now
        table.addPair(a, "c", 1, later);
        assertThat(a.getReferenceTime()).isEqualTo(later);
        ItemTable.Neighbours n = table.query(a, 5);
        assertThat(n.items()).containsExactly("c", "b");
        assertThat(n.similarities().get(0)).isCloseTo(1.0, within(1e-12));
    }
}
