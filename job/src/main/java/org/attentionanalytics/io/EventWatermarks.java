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
 * before it is marked idle, so going idle never withholds it. Idleness counts on Flink's input
 * activity clock, which stands still while the source is back-pressured or paused for alignment,
 * so a partition with unread events is never marked idle (FLIP-471).
 *
 * <p>The event sources share one watermark alignment group ({@link #ALIGNMENT_GROUP}, FLIP-182 and
 * FLIP-217): a source, or a Kafka partition, whose watermark is more than {@code maxDrift} ahead
 * of the slowest one pauses until the others catch up. Reading a backlog, the topics would
 * otherwise advance at their own pace (the one with fewer records per hour runs ahead in event
 * time), and the per-user operator would hold the faster topic's events, up to an hour of them,
 * until the watermark reached them. Alignment changes when records are read, not the watermark.
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

    /** The watermark alignment group of the event sources (clickstream, dwell time, Snowplow). */
    public static final String ALIGNMENT_GROUP = "attention-events";

    /**
     * How often the aligned sources report their watermarks and learn how far they may go (Flink's
     * default is 1 s): as often as they emit watermarks by default, so that a source reading a
     * backlog runs at most this long past the drift.
     */
    static final Duration ALIGNMENT_UPDATE_INTERVAL = Duration.ofMillis(200);

    /**
     * @param outOfOrderness bound on how late an event may arrive and still be in order
     * @param idleness a partition without events this long stops holding the watermark back
     * @param maxDrift how far a source's watermark may run ahead of the slowest event source's (0: no alignment)
     */
    public static WatermarkStrategy<SourceRecord> strategy(
            Duration outOfOrderness, Duration idleness, Duration maxDrift) {
        return aligned(strategy(outOfOrderness.toMillis(), idleness.toMillis()), maxDrift);
    }

    /**
     * The strategy of a bounded run: as {@link #strategy} but a partition is never marked idle (see
     * the class comment for why).
     *
     * @param outOfOrderness bound on how late an event may arrive and still be in order
     * @param maxDrift how far a source's watermark may run ahead of the slowest event source's (0: no alignment)
     */
    public static WatermarkStrategy<SourceRecord> boundedStrategy(Duration outOfOrderness, Duration maxDrift) {
        return aligned(strategy(outOfOrderness.toMillis(), NEVER_IDLE), maxDrift);
    }

    /** Idleness that never comes: the generator compares {@code activity clock - lastEventAt >= idleMs}. */
    static final long NEVER_IDLE = Long.MAX_VALUE;

    private static WatermarkStrategy<SourceRecord> aligned(WatermarkStrategy<SourceRecord> s, Duration maxDrift) {
        return maxDrift.isZero() ? s : s.withWatermarkAlignment(ALIGNMENT_GROUP, maxDrift, ALIGNMENT_UPDATE_INTERVAL);
    }

    private static WatermarkStrategy<SourceRecord> strategy(long bound, long idleMs) {
        return WatermarkStrategy.<SourceRecord>forGenerator(ctx -> new ClockCappedGenerator(
                        bound, idleMs, System::currentTimeMillis, ctx.getInputActivityClock()::relativeTimeMillis))
                .withTimestampAssigner((r, kafkaTimestamp) ->
                        r.getEvent() != null ? r.getEvent().getEventTime() : kafkaTimestamp);
    }

    /**
     * Bounded out-of-orderness, the maximum capped at the processing clock, idleness by events only,
     * counted on the input activity clock.
     */
    static final class ClockCappedGenerator implements WatermarkGenerator<SourceRecord> {
        private final long bound;
        private final long idleMs;
        private final LongSupplier clock;
        private final LongSupplier activityClock;
        private long maxEventTime = Long.MIN_VALUE;
        private long emitted = Long.MIN_VALUE;
        /** On {@link #activityClock}, ms. */
        private long lastEventAt;

        private boolean idle;

        /**
         * @param clock processing time, ms since the epoch: the cap of the watermark
         * @param activityClock ms, advancing only while the source may read (Flink's input activity
         *     clock): the clock of idleness
         */
        ClockCappedGenerator(long bound, long idleMs, LongSupplier clock, LongSupplier activityClock) {
            this.bound = bound;
            this.idleMs = idleMs;
            this.clock = clock;
            this.activityClock = activityClock;
            this.lastEventAt = activityClock.getAsLong();
        }

        @Override
        public void onEvent(SourceRecord record, long timestamp, WatermarkOutput output) {
            if (record.getEvent() == null) {
                return;
            }
            maxEventTime = Math.max(maxEventTime, timestamp);
            lastEventAt = activityClock.getAsLong();
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
            if (activityClock.getAsLong() - lastEventAt >= idleMs) {
                idle = true;
                output.markIdle();
            }
        }
    }
}
