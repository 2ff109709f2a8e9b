package org.attentionanalytics.io;

import java.time.Instant;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.common.Saturating;

/**
 * The event-time rule every door applies (DESIGN.md section 3): a time more than {@code
 * --max-future} ahead of the processing clock is {@code FUTURE_TIMESTAMP}, one before 1970 is
 * {@code TOO_LATE}.
 *
 * @param reason why the time is refused
 * @param detail the dead letter's detail, naming the field and the time
 */
record EventTimeCheck(DeadLetterReason reason, String detail) {

    /**
     * @param field the input field the time came from, for the detail
     * @param nowMs the processing clock, ms
     * @param maxFutureMs {@code --max-future}, ms
     * @return the refusal of {@code at}, or null when the doors accept it
     */
    static EventTimeCheck refusal(String field, Instant at, long nowMs, long maxFutureMs) {
        long ms = at.toEpochMilli();
        if (ms > Saturating.add(nowMs, maxFutureMs)) {
            return new EventTimeCheck(
                    DeadLetterReason.FUTURE_TIMESTAMP,
                    field + " " + at + " is more than " + maxFutureMs / 1000 + " s ahead of the processing clock");
        }
        if (ms < RecordDoor.EARLIEST_TIME_MS) {
            return new EventTimeCheck(
                    DeadLetterReason.TOO_LATE,
                    field + " " + Instant.ofEpochMilli(ms)
                            + " is before 1970-01-01T00:00:00Z, the earliest time the job accepts");
        }
        return null;
    }
}
