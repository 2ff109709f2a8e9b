package org.attentionanalytics.io;

import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.attentionanalytics.avro.internal.SourceRecord;

/**
 * Watermarks of the control sources ({@code attention-budgets}, {@code privacy-requests}; DESIGN.md
 * section 4): per Kafka partition like {@link EventWatermarks}, with the record's event time
 * ({@code updated_at}, {@code requested_at}) as its timestamp, but every partition is idle from the
 * first periodic emit on and for good: it never emits a watermark and never becomes active.
 *
 * <p>Why not {@link EventWatermarks} itself: these topics are silent for hours, then carry one
 * record whose event time has nothing to do with the events' progress. With the events' generator
 * that record would make its partition active again with a watermark at the record's time; if that
 * is above the job's current watermark, the whole job's event time would stop there until the
 * partition went idle again ({@code --idleness}, 1 min by default, after every control record); if
 * it is below, Flink ignores the partition (an unaligned channel) until it catches up. Control
 * records carry no event-time progress of their own, so they contribute none: the job's event time
 * is the events' alone, it is never held back and never regresses, whatever arrives on these topics
 * and when. The per-user operator places a control record among a user's events by its timestamp
 * against that watermark. Records of an idle partition still flow; a bounded run still ends at
 * the latest offsets.
 *
 * <p>A bounded run ({@link #boundedStrategy}) is the exception: there the control sources hold
 * event time back until they have read their topics to the end, then give Flink's final watermark,
 * so every control record published before the events is in place before the events of its time
 * are applied, however the sources' reading interleaves: a replay gives the same outputs every run
 * (a focus-blocks record read after its block's events would miss them).
 */
public final class ControlWatermarks {
    private ControlWatermarks() {}

    /** @return the strategy of both control sources: timestamps from the record, no watermarks, always idle */
    public static WatermarkStrategy<SourceRecord> strategy() {
        return WatermarkStrategy.<SourceRecord>forGenerator(ctx -> new AlwaysIdle())
                .withTimestampAssigner(ControlWatermarks::timestamp);
    }

    /**
     * @return the strategy of the control sources of a bounded run: timestamps from the record, no
     *     watermark and never idle, so event time waits for the end of these (small) topics
     */
    public static WatermarkStrategy<SourceRecord> boundedStrategy() {
        return WatermarkStrategy.<SourceRecord>noWatermarks().withTimestampAssigner(ControlWatermarks::timestamp);
    }

    /** @return the control record's event time, or the Kafka timestamp of a dead letter */
    private static long timestamp(SourceRecord r, long kafkaTimestamp) {
        return r.getEvent() != null ? r.getEvent().getEventTime() : kafkaTimestamp;
    }

    /** Marks its partition idle once, at the first periodic emit, and never emits a watermark. */
    static final class AlwaysIdle implements WatermarkGenerator<SourceRecord> {
        private boolean idle;

        @Override
        public void onEvent(SourceRecord record, long timestamp, WatermarkOutput output) {
            // no event-time progress from control records
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            if (!idle) {
                idle = true;
                output.markIdle();
            }
        }
    }
}
