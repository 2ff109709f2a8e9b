package org.attentionanalytics.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.attentionanalytics.avro.internal.ItemEngagement;
import org.junit.jupiter.api.Test;

/** {@link MeanEngaged}: decayed means per view, by hand. */
class MeanEngagedTest {
    static final long T = 1_700_000_000_000L;
    static final long H = 3_600_000L; // half-life 1 h

    @Test
    void theMeanOfViewsOfOneTime() {
        ItemEngagement e = MeanEngaged.empty(T);
        assertThat(MeanEngaged.mean(e)).isNaN();
        MeanEngaged.add(e, 60_000, T, H);
        MeanEngaged.add(e, 120_000, T, H);
        assertThat(MeanEngaged.mean(e)).isCloseTo(90_000, within(1e-9));
    }

    /**
     * 60 s at T and 120 s at T + H: at T + H the first weighs 1/2: (30 + 120) s / 1.5 views = 100 s,
     * whichever is added first.
     */
    @Test
    void olderViewsWeighLessWhateverTheOrder() {
        ItemEngagement inOrder = MeanEngaged.empty(T);
        MeanEngaged.add(inOrder, 60_000, T, H);
        MeanEngaged.add(inOrder, 120_000, T + H, H);
        ItemEngagement late = MeanEngaged.empty(T + H);
        MeanEngaged.add(late, 120_000, T + H, H);
        MeanEngaged.add(late, 60_000, T, H);
        assertThat(MeanEngaged.mean(inOrder)).isCloseTo(100_000, within(1e-6));
        assertThat(MeanEngaged.mean(late)).isCloseTo(100_000, within(1e-6));
        assertThat(inOrder.getViews()).isCloseTo(1.5, within(1e-12));
    }
}
