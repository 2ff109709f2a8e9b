package org.attentionanalytics.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RankingScoreTest {
    @Test
    void recallAndMrrAtKOverAllAndNewItems() {
        RankingScore score = new RankingScore(3);
        score.add(List.of("x", "y", "z"), "y", true); // rank 2: 1/2, new
        score.add(List.of("x", "y", "z", "w"), "w", false); // rank 4 > k: miss
        score.add(null, "x", true); // no list: miss, new
        score.add(List.of("x"), "x", false); // rank 1: 1
        RankingScore.Figures f = score.figures();
        // hits 2 of 4; MRR (1/2 + 0 + 0 + 1) / 4 = 0.375
        assertThat(f.recall()).isEqualTo(0.5);
        assertThat(f.mrr()).isCloseTo(0.375, within(1e-12));
        // new: views 1 and 3, one hit at rank 2: recall 1/2, MRR (1/2 + 0) / 2
        assertThat(f.newItemRecall()).isEqualTo(0.5);
        assertThat(f.newItemMrr()).isCloseTo(0.25, within(1e-12));
        assertThat(f.viewsScored()).isEqualTo(4);
        assertThat(f.newItemViewsScored()).isEqualTo(2);
        // lists for 3 of 4 views
        assertThat(f.coverage()).isEqualTo(0.75);
    }

    @Test
    void nothingScoredGivesZeros() {
        assertThat(new RankingScore(20).figures()).isEqualTo(new RankingScore.Figures(0, 0, 0, 0, 0, 0, 0));
        assertThatThrownBy(() -> new RankingScore(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
