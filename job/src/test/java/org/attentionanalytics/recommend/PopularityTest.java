package org.attentionanalytics.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.attentionanalytics.avro.internal.PopularItems;
import org.junit.jupiter.api.Test;

/** {@link Popularity}: the largest reported counts, decayed to the snapshot's time. */
class PopularityTest {
    static final long H = 86_400_000L;
    static final long T0 = 1_700_000_000_000L;

    @Test
    void keepsTheLargestCountsAndDecaysThemToTheSnapshot() {
        Popularity p = new Popularity(H, 2);
        PopularItems table = Popularity.empty(T0);
        p.report(table, "c", 3, T0);
        p.report(table, "a", 5, T0);
        p.report(table, "b", 3, T0);
        p.report(table, "d", 1, T0);
        p.trim(table); // 4 items: no more than twice the capacity, kept
        assertThat(table.getItems()).hasSize(4);
        p.report(table, "e", 2, T0);
        p.trim(table); // 5: down to the capacity: a 5, then b and c tie at 3: b first by id
        assertThat(table.getItems()).containsExactlyInAnyOrder("a", "b");
        PopularItems snapshot = p.snapshot(table, T0 + H, 5); // one half-life later: 2.5 and 1.5
        assertThat(snapshot.getItems()).containsExactly("a", "b");
        assertThat(snapshot.getCounts().get(0)).isCloseTo(2.5, within(1e-12));
        assertThat(snapshot.getCounts().get(1)).isCloseTo(1.5, within(1e-12));
        assertThat(snapshot.getTime()).isEqualTo(T0 + H);
        // a later report replaces the item's count: c at 4 one half-life on beats b (1.5 by then)
        p.report(table, "c", 4, T0 + H);
        p.trim(table);
        assertThat(p.snapshot(table, T0 + H, 1).getItems()).containsExactly("c");
    }
}
