package org.attentionanalytics.io;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.common.Saturating;

/**
 * Watermarks of the event sources, per Kafka partition (DESIGN.md section 4): bounded
 * out-of-orderness and idleness, and never ahead of the processing clock. The watermark is
 * {@code min(max event time seen, processing time) - outOfOrderness - 1 ms}, so an event up to
 * {@code --max-future} ahead (device clock skew) is accepted but cannot carry event time past the
 * clock and close other users' sessions early.
 *
 * <p>Only events count: dead letters and bot records neither move the watermark nor keep a
 * partition active. A partition without an event for {@code idleness} (processing time) is marked
 * idle, so it holds no one back, even while it still carries bad records or crawler traffic
 * (Flink's {@code withIdleness} would count those as activity and let such a partition freeze
 * event time for the whole job). While a partition is idle its watermark does not advance; the
 * next event makes it active again. A partition's watermark for the events it has seen is emitted
 * before it is marked idle, so going idle never withholds it.
 *
 * <p>A bounded run ({@code --bounded}) uses {@link #boundedStrategy}: no idleness at all. Every
 * partition of a bounded run ends, so none can freeze event time, and an idle source breaks the
 * end of the run in Flink 2.2: a source task that is idle when it reaches the end of its input
 * loses its final {@code MAX} watermark ({@code SourceOperatorStreamTask.advanceToEndOfEventTime}
 * emits it into {@code RecordWriterOutput}/{@code ChainingOutput}, which drop watermarks while the
 * announced status is {@code IDLE}; FLINK-40499, open), so events still waiting for the watermark
 * in the per-user operator were never applied; and while it is idle, another source that has
 * already finished carries event time to {@code MAX} ahead of its records, which then became
 * {@code TOO_LATE}. Without idleness a partition behind the others holds event time back until it
 * has been read, which is what a replay wants.
 */
public final class EventWatermarks {
    private EventWatermarks() {}

    /**
     * @param outOfOrderness bound on how late an event may arrive and still be in order
     * @param idleness a partition without events this long stops holding the watermark back
     */
    public static WatermarkStrategy<SourceRecord> strategy(Duration outOfOrderness, Duration idleness) {
        return strategy(outOfOrderness.toMillis(), idleness.toMillis());
    }

    /**
     * The strategy of a bounded run: as {@link #strategy} but a partition is never marked idle (see
     * the class comment for why).
     *
     * @param outOfOrderness bound on how late an event may arrive and still be in order
     */
    public static WatermarkStrategy<SourceRecord> boundedStrategy(Duration outOfOrderness) {
        return strategy(outOfOrderness.toMillis(), NEVER_IDLE);
    }

    /** Idleness that never comes: the generator compares {@code now - lastEventAt >= idleMs}. */
    static final long NEVER_IDLE = Long.MAX_VALUE;

    private static WatermarkStrategy<SourceRecord> strategy(long bound, long idleMs) {
        return WatermarkStrategy.<SourceRecord>forGenerator(
                        ctx -> new ClockCappedGenerator(bound, idleMs, System::currentTimeMillis))
                .withTimestampAssigner((r, kafkaTimestamp) ->
                        r.getEvent() != null ? r.getEvent().getEventTime() : kafkaTimestamp);
    }

    /** Bounded out-of-orderness, the maximum capped at the processing clock, idleness by events only. */
    static final class ClockCappedGenerator implements WatermarkGenerator<SourceRecord> {
        private final long bound;
        private final long idleMs;
        private final LongSupplier clock;
        private long maxEventTime = Long.MIN_VALUE;
        private long emitted = Long.MIN_VALUE;
        private long lastEventAt;
        private boolean idle;

        ClockCappedGenerator(long bound, long idleMs, LongSupplier clock) {
            this.bound = bound;
            this.idleMs = idleMs;
            this.clock = clock;
            this.lastEventAt = clock.getAsLong();
        }

        @Override
        public void onEvent(SourceRecord record, long timestamp, WatermarkOutput output) {
            if (record.getEvent() == null) {
                return;
            }
            maxEventTime = Math.max(maxEventTime, timestamp);
            lastEventAt = clock.getAsLong();
            if (idle) {
                idle = false;
                output.markActive();
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            if (idle) {
                return; // no new event since: nothing to emit
            }
            long now = clock.getAsLong();
            // First the watermark of the events seen so far (an idleness shorter than the periodic
            // interval would otherwise withhold it for good), then idleness.
            if (maxEventTime != Long.MIN_VALUE) {
                long wm = Saturating.add(Math.min(maxEventTime, now), -bound - 1); // never wraps around
                if (wm > emitted) {
                    emitted = wm;
                    output.emitWatermark(new Watermark(wm));
                }
            }
            if (now - lastEventAt >= idleMs) {
                idle = true;
                output.markIdle();
            }
        }
    }
}
