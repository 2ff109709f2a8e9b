package org.attentionanalytics.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.attentionanalytics.avro.DeadLetter;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.junit.jupiter.api.Test;

/** The per-partition watermark generator with controlled processing and input activity clocks. */
class EventWatermarksTest {
    long now = 1_000_000;
    /** Flink's input activity clock: here it runs with {@link #now} unless a test holds it. */
    long active = 0;

    final List<String> out = new ArrayList<>();
    final WatermarkOutput output = new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark w) {
            out.add("wm " + w.getTimestamp());
        }

        @Override
        public void markIdle() {
            out.add("idle");
        }

        @Override
        public void markActive() {
            out.add("active");
        }
    };
    final EventWatermarks.ClockCappedGenerator gen =
            new EventWatermarks.ClockCappedGenerator(30_000, 60_000, () -> now, () -> now - 1_000_000 + active);

    static SourceRecord event() {
        return SourceRecord.newBuilder().setEvent(new AttentionEvent()).build();
    }

    static SourceRecord deadLetter() {
        return SourceRecord.newBuilder().setDeadLetter(new DeadLetter()).build();
    }

    @Test
    void boundedOutOfOrderness() {
        gen.onEvent(event(), now - 100_000, output);
        gen.onPeriodicEmit(output);
        assertThat(out).containsExactly("wm " + (now - 130_001));
    }

    @Test
    void neverAheadOfTheClock() {
        gen.onEvent(event(), now + 5 * 60_000, output); // 5 min in the future: accepted, but capped
        gen.onPeriodicEmit(output);
        assertThat(out).containsExactly("wm " + (now - 30_001));
    }

    @Test
    void deadLettersNeitherMoveTheWatermarkNorKeepThePartitionActive() {
        gen.onEvent(event(), now - 100_000, output);
        gen.onPeriodicEmit(output);
        for (int i = 0; i < 7; i++) {
            now += 10_000;
            gen.onEvent(deadLetter(), now, output);
            gen.onPeriodicEmit(output);
        }
        // the clock-capped watermark stays at the last event; after 60 s without events: idle
        assertThat(out).containsExactly("wm " + (1_000_000 - 130_001), "idle");
        gen.onEvent(event(), now, output);
        gen.onPeriodicEmit(output);
        assertThat(out).endsWith("active", "wm " + (now - 30_001));
    }

    @Test
    void aPartitionThatNeverHadAnEventGoesIdle() {
        now += 60_000;
        gen.onPeriodicEmit(output);
        assertThat(out).containsExactly("idle");
    }

    /**
     * Idleness shorter than the periodic interval (here 100 ms, periods 200 ms): the watermark of the
     * events seen is emitted before the partition goes idle, not withheld for good.
     */
    @Test
    void theWatermarkIsEmittedBeforeThePartitionGoesIdle() {
        EventWatermarks.ClockCappedGenerator quick =
                new EventWatermarks.ClockCappedGenerator(30_000, 100, () -> now, () -> now);
        quick.onEvent(event(), now - 100_000, output);
        now += 200;
        quick.onPeriodicEmit(output);
        now += 200;
        quick.onPeriodicEmit(output);
        assertThat(out).containsExactly("wm " + (1_000_000 - 130_001), "idle");
    }

    /** A bounded run: a partition is never marked idle, however long it is silent. */
    @Test
    void aBoundedRunNeverGoesIdle() {
        EventWatermarks.ClockCappedGenerator bounded =
                new EventWatermarks.ClockCappedGenerator(30_000, EventWatermarks.NEVER_IDLE, () -> now, () -> now);
        bounded.onPeriodicEmit(output);
        bounded.onEvent(event(), now - 100_000, output);
        now += 365L * 24 * 3_600_000;
        bounded.onPeriodicEmit(output);
        bounded.onEvent(deadLetter(), now, output);
        now += 365L * 24 * 3_600_000;
        bounded.onPeriodicEmit(output);
        assertThat(out).containsExactly("wm " + (1_000_000 - 130_001));
    }

    /**
     * Back-pressured or paused for alignment, the source does not read, and Flink's input activity
     * clock stands still: however long that lasts on the processing clock, the partition is not
     * marked idle (its unread events would otherwise become late once the others move on). Once the
     * source may read again, 60 s of activity clock without an event make it idle.
     */
    @Test
    void aPausedSourceIsNotMarkedIdle() {
        gen.onEvent(event(), now - 100_000, output);
        gen.onPeriodicEmit(output);
        active = -10 * 60_000; // the activity clock held for the 10 minutes to come
        now += 10 * 60_000;
        gen.onPeriodicEmit(output);
        assertThat(out).containsExactly("wm " + (1_000_000 - 130_001));
        now += 60_000; // reading again: 60 s without an event
        gen.onPeriodicEmit(output);
        assertThat(out).containsExactly("wm " + (1_000_000 - 130_001), "idle");
    }

    /**
     * The event sources share one alignment group with the drift given, updated every 200 ms; a drift
     * of 0 turns alignment off (Flink's "disabled" parameters), in unbounded and bounded runs alike.
     */
    @Test
    void theEventSourcesAreAlignedWithinTheDrift() {
        var unbounded = EventWatermarks.strategy(Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(1))
                .getAlignmentParameters();
        assertThat(unbounded.getWatermarkGroup()).isEqualTo("attention-events");
        assertThat(unbounded.getMaxAllowedWatermarkDrift()).isEqualTo(60_000);
        assertThat(unbounded.getUpdateInterval()).isEqualTo(200);
        var bounded = EventWatermarks.boundedStrategy(Duration.ofSeconds(30), Duration.ofSeconds(45))
                .getAlignmentParameters();
        assertThat(bounded.getWatermarkGroup()).isEqualTo("attention-events");
        assertThat(bounded.getMaxAllowedWatermarkDrift()).isEqualTo(45_000);
        assertThat(EventWatermarks.boundedStrategy(Duration.ofSeconds(30), Duration.ZERO)
                        .getAlignmentParameters()
                        .isEnabled())
                .isFalse();
    }
}
