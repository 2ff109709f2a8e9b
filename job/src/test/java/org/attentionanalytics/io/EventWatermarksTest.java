package org.attentionanalytics.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.attentionanalytics.avro.DeadLetter;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.junit.jupiter.api.Test;

/** The per-partition watermark generator with a controlled processing clock. */
class EventWatermarksTest {
    long now = 1_000_000;
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
            new EventWatermarks.ClockCappedGenerator(30_000, 60_000, () -> now);

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
        EventWatermarks.ClockCappedGenerator quick = new EventWatermarks.ClockCappedGenerator(30_000, 100, () -> now);
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
                new EventWatermarks.ClockCappedGenerator(30_000, EventWatermarks.NEVER_IDLE, () -> now);
        bounded.onPeriodicEmit(output);
        bounded.onEvent(event(), now - 100_000, output);
        now += 365L * 24 * 3_600_000;
        bounded.onPeriodicEmit(output);
        bounded.onEvent(deadLetter(), now, output);
        now += 365L * 24 * 3_600_000;
        bounded.onPeriodicEmit(output);
        assertThat(out).containsExactly("wm " + (1_000_000 - 130_001));
    }
}
