package org.attentionanalytics.replay;

import java.time.Instant;
import org.apache.avro.specific.SpecificRecordBase;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DwellEvent;

/**
 * One event read from a dataset: a {@link ClickEvent} (for the clickstream topic) or a {@link
 * DwellEvent} (for the dwell-time topic), with its event time and raw user id at hand for sorting
 * and keying.
 *
 * @param eventTime the record's {@code event_time} (UTC); for a DwellEvent the end of the interval
 * @param userId the record's raw {@code user_id}, the Kafka key
 * @param record the ClickEvent or DwellEvent
 */
public record ReplayEvent(Instant eventTime, String userId, SpecificRecordBase record) {

    /** @throws IllegalArgumentException when {@code record} is neither a ClickEvent nor a DwellEvent */
    public ReplayEvent {
        if (!(record instanceof ClickEvent || record instanceof DwellEvent)) {
            throw new IllegalArgumentException("not a ClickEvent or DwellEvent: " + record);
        }
    }

    /** An event for a ClickEvent. */
    public static ReplayEvent of(ClickEvent click) {
        return new ReplayEvent(click.getEventTime(), click.getUserId(), click);
    }

    /** An event for a DwellEvent. */
    public static ReplayEvent of(DwellEvent dwell) {
        return new ReplayEvent(dwell.getEventTime(), dwell.getUserId(), dwell);
    }

    /**
     * An event for a ClickEvent or a DwellEvent.
     *
     * @throws IllegalArgumentException for any other record
     */
    public static ReplayEvent of(SpecificRecordBase record) {
        if (record instanceof ClickEvent c) {
            return of(c);
        }
        if (record instanceof DwellEvent d) {
            return of(d);
        }
        throw new IllegalArgumentException("not a ClickEvent or DwellEvent: " + record);
    }

    /** True for a DwellEvent, false for a ClickEvent. */
    public boolean isDwell() {
        return record instanceof DwellEvent;
    }

    /** The record's {@code event_id}. */
    public String eventId() {
        return record instanceof ClickEvent c ? c.getEventId() : ((DwellEvent) record).getEventId();
    }

    /** The ClickEvent. @throws ClassCastException when this is a DwellEvent */
    public ClickEvent click() {
        return (ClickEvent) record;
    }

    /** The DwellEvent. @throws ClassCastException when this is a ClickEvent */
    public DwellEvent dwell() {
        return (DwellEvent) record;
    }
}
