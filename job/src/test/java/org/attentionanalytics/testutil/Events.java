package org.attentionanalytics.testutil;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;

/** Named instants and event builders, so tests read like the scenario (flink-training style). */
public final class Events {
    /** Monday 2025-01-06 09:00:00 UTC. */
    public static final long T0 = Instant.parse("2025-01-06T09:00:00Z").toEpochMilli();

    private static int seq;

    private Events() {}

    /** T0 plus minutes and seconds. */
    public static long at(int minutes, int seconds) {
        return T0 + Duration.ofMinutes(minutes).plusSeconds(seconds).toMillis();
    }

    public static long minutes(long m) {
        return Duration.ofMinutes(m).toMillis();
    }

    /** A ClickEvent after the door: {@code user} is already a pseudonym. */
    public static AttentionEvent click(String user, EventType type, String item, long at, String... topics) {
        return AttentionEvent.newBuilder()
                .setKind(EventKind.CLICK)
                .setEventId("e" + (++seq))
                .setUser(user)
                .setEventTime(at)
                .setEventType(type)
                .setItemId(item)
                .setTopics(List.of(topics))
                .build();
    }

    public static AttentionEvent view(String user, String item, long at, String... topics) {
        return click(user, EventType.VIEW, item, at, topics);
    }

    /** A DwellEvent of {@code ms} engaged milliseconds ending at {@code at}. */
    public static AttentionEvent dwell(String user, String item, long ms, long at) {
        return AttentionEvent.newBuilder()
                .setKind(EventKind.DWELL)
                .setEventId("e" + (++seq))
                .setUser(user)
                .setEventTime(at)
                .setEventType(EventType.OTHER)
                .setItemId(item)
                .setDwellMs(ms)
                .build();
    }

    /**
     * An AttentionBudget after the door: event time = {@code updated_at}, {@code minutes} category ->
     * daily minutes.
     */
    public static AttentionEvent budget(
            String user, long updatedAt, String zone, boolean alertsEnabled, java.util.Map<String, Long> minutes) {
        return AttentionEvent.newBuilder()
                .setKind(EventKind.BUDGET)
                .setEventId("b" + (++seq))
                .setUser(user)
                .setEventTime(updatedAt)
                .setTimeZone(zone)
                .setBudgetMinutes(minutes)
                .setAlertsEnabled(alertsEnabled)
                .build();
    }

    /** The same event with a time_zone. */
    public static AttentionEvent inZone(AttentionEvent e, String zone) {
        return AttentionEvent.newBuilder(e).setTimeZone(zone).build();
    }

    /** The same event with another id. */
    public static AttentionEvent withId(AttentionEvent e, String id) {
        return AttentionEvent.newBuilder(e).setEventId(id).build();
    }
}
