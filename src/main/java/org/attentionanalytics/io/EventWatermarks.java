package org.attentionanalytics.io;

import java.time.Duration;
import java.util.function.LongSupplier;
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
 * clock and close other users' sessions early.
 *
 * <p>Only events count: dead letters and bot records neither move the watermark nor keep a
 * partition active. A partition without an event for {@code idleness} (processing time) is marked
 * idle, so it holds no one back, even while it still carries bad records or crawler traffic
 * (Flink's {@code withIdleness} would count those as activity and let such a partition freeze
 * event time for the whole job). While a partition is idle its watermark does not advance; the
 * next event makes it active again.
 */
public final class EventWatermarks {
  private EventWatermarks() {}

  /**
   * @param outOfOrderness bound on how late an event may arrive and still be in order
   * @param idleness a partition without events this long stops holding the watermark back
   */
  public static WatermarkStrategy<SourceRecord> strategy(Duration outOfOrderness, Duration idleness) {
    long bound = outOfOrderness.toMillis();
    long idleMs = idleness.toMillis();
    return WatermarkStrategy.<SourceRecord>forGenerator(ctx -> new ClockCappedGenerator(bound, idleMs, System::currentTimeMillis))
        .withTimestampAssigner((r, kafkaTimestamp) -> r.getEvent() != null ? r.getEvent().getEventTime() : kafkaTimestamp);
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
      long now = clock.getAsLong();
      if (!idle && now - lastEventAt >= idleMs) {
        idle = true;
        output.markIdle();
      }
      if (idle || maxEventTime == Long.MIN_VALUE) {
        return;
      }
      long wm = Math.min(maxEventTime, now) - bound - 1;
      if (wm > emitted) {
        emitted = wm;
        output.emitWatermark(new Watermark(wm));
      }
    }
  }
}
