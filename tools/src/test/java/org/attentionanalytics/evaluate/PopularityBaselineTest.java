package org.attentionanalytics.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PopularityBaselineTest {
    @Test
    void mostViewedFirstTiesByItemId() {
        PopularityBaseline pop = new PopularityBaseline();
        assertThat(pop.top(20)).isEmpty();
        for (String item : new String[] {"c", "b", "a", "b", "c", "a"}) {
            pop.add(item);
        }
        // a 2, b 2, c 2: by id
        assertThat(pop.top(20)).containsExactly("a", "b", "c");
        pop.add("c");
        // c 3, then a 2, b 2
        assertThat(pop.top(20)).containsExactly("c", "a", "b");
        assertThat(pop.top(2)).containsExactly("c", "a");
    }
}
