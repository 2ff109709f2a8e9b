package org.attentionanalytics.io;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.attentionanalytics.avro.internal.SourceRecord;

/**
 * Watermarks of the event sources, per Kafka partition (DESIGN.md section 4): bounded
 * out-of-orderness and idleness, and never ahead of the processing clock. The watermark is
 * {@code min(max event time seen, processing time) - outOfOrderness - 1 ms}, so an event up to
 * {@code --max-future} ahead (device clock skew) is accepted but cannot carry event time past the
 * clock and close other users' sessions early. Dead letters and bot markers do not move it.
 */
public final class EventWatermarks {
  private EventWatermarks() {}

  /**
   * @param outOfOrderness bound on how late an event may arrive and still be in order
   * @param idleness a partition silent this long stops holding the watermark back
   */
  public static WatermarkStrategy<SourceRecord> strategy(Duration outOfOrderness, Duration idleness) {
    long bound = outOfOrderness.toMillis();
    return WatermarkStrategy.<SourceRecord>forGenerator(ctx -> new ClockCappedGenerator(bound))
        .withTimestampAssigner((r, kafkaTimestamp) -> r.getEvent() != null ? r.getEvent().getEventTime() : kafkaTimestamp)
        .withIdleness(idleness);
  }

  /** Bounded out-of-orderness, with the maximum capped at the processing clock. */
  static final class ClockCappedGenerator implements WatermarkGenerator<SourceRecord> {
    private final long bound;
    private long maxEventTime = Long.MIN_VALUE;
    private long emitted = Long.MIN_VALUE;

    ClockCappedGenerator(long bound) {
      this.bound = bound;
    }

    @Override
    public void onEvent(SourceRecord record, long timestamp, WatermarkOutput output) {
      if (record.getEvent() != null && timestamp > maxEventTime) {
        maxEventTime = timestamp;
      }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
      if (maxEventTime == Long.MIN_VALUE) {
        return;
      }
      long wm = Math.min(maxEventTime, System.currentTimeMillis()) - bound - 1;
      if (wm > emitted) {
        emitted = wm;
        output.emitWatermark(new Watermark(wm));
      }
    }
  }
}
