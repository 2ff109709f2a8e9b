package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.attentionanalytics.testutil.MemoryIo;
import org.junit.jupiter.api.Test;

/**
 * Which runs align the event sources' watermarks ({@code --max-watermark-drift}): every unbounded
 * run; a bounded run only where the sources can be paused safely (not Kafka's, FLINK-39728).
 */
class EventSourceAlignmentTest {
    private static JobOptions options(boolean bounded, String drift) {
        JobOptions o = JobOptions.defaults();
        o.bounded = bounded;
        o.maxWatermarkDrift = Duration.parse(drift);
        return o;
    }

    @Test
    void kafkaAlignsUnboundedRunsOnly() {
        var unbounded = AttentionJob.eventWatermarks(options(false, "PT1M"), JobIo.KAFKA)
                .getAlignmentParameters();
        assertThat(unbounded.isEnabled()).isTrue();
        assertThat(unbounded.getMaxAllowedWatermarkDrift()).isEqualTo(60_000);
        assertThat(AttentionJob.eventWatermarks(options(true, "PT1M"), JobIo.KAFKA)
                        .getAlignmentParameters()
                        .isEnabled())
                .isFalse();
    }

    @Test
    void aSourceThatCanPauseIsAlignedInABoundedRunToo() {
        var bounded = AttentionJob.eventWatermarks(options(true, "PT45S"), new MemoryIo("alignment-test", s -> s))
                .getAlignmentParameters();
        assertThat(bounded.isEnabled()).isTrue();
        assertThat(bounded.getMaxAllowedWatermarkDrift()).isEqualTo(45_000);
    }

    @Test
    void aDriftOfZeroTurnsAlignmentOff() {
        assertThat(AttentionJob.eventWatermarks(options(false, "PT0S"), JobIo.KAFKA)
                        .getAlignmentParameters()
                        .isEnabled())
                .isFalse();
    }
}
