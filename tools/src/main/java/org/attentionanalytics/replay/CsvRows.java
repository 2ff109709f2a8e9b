package org.attentionanalytics.replay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVRecord;
import org.attentionanalytics.avro.EventType;

/**
 * Rows of a generic delimited file, mapped by {@link CsvColumns} ({@code --columns}, {@code
 * --null-values}), {@link ReplayOptions#timeFormat} and {@link ReplayOptions#eventTypes}. A row is a
 * ClickEvent of its type; with a non-empty {@code dwell_ms} it also gives a DwellEvent of that many
 * ms ending at {@code event_time + dwell_ms} (the EB-NeRD convention). A row of type DWELL gives
 * only a DwellEvent ending at {@code event_time} and needs {@code dwell_ms}; a row of type HEARTBEAT
 * gives only a DwellEvent of kind HEARTBEAT at {@code event_time} without dwell_ms. A non-empty
 * {@code topic} gives topics = [topic] (on the row's own events). {@code session_id}, {@code
 * view_id} and {@code user_agent} are copied into every event of the row.
 *
 * <p>Event ids: the row's {@code event_id} (a DwellEvent next to a ClickEvent: {@code
 * <event_id>/dwell}); without an event_id column, or when it is empty, {@code
 * <file>:<row>:<kind>}. Each {@code --explode} element is a ClickEvent with id {@code <base>/<n>},
 * base the event_id or {@code <file>:<row>}, n counting the row's elements from 0 over all lists; a
 * row too short for a list column has an empty list there (a missing required column skips the row
 * as {@link SkipReason#MISSING_COLUMN}).
 */
final class CsvRows implements RowMapper {
    /** The field names of {@code --columns}. */
    static final List<String> FIELDS = CsvColumns.FIELDS;

    static final String DWELL = "DWELL";
    static final String HEARTBEAT = "HEARTBEAT";

    private final Events events;
    private final TimeParser time;
    private final CsvColumns columns;
    private final boolean rowEvents;
    private final Map<String, String> eventTypes = new HashMap<>();

    /**
     * @param headerNames the header row's names (empty without a header): the default columns
     * @throws IllegalArgumentException for a column mapping that {@link CsvColumns} refuses, or an
     *     unknown TYPE in the event-type mapping
     */
    CsvRows(ReplayOptions opts, Events events, TimeParser time, List<String> headerNames) {
        this.events = events;
        this.time = time;
        this.columns = new CsvColumns(opts, headerNames);
        this.rowEvents = opts.rows.rowEvents;
        if (opts.eventTypes != null) {
            opts.eventTypes.forEach((raw, type) -> {
                String t = type.strip().toUpperCase(Locale.ROOT);
                if (!isType(t)) {
                    throw new IllegalArgumentException("--event-types: unknown type '" + type + "' for '" + raw + "'");
                }
                eventTypes.put(raw, t);
            });
        }
    }

    /** See {@link CsvColumns#checkWidth}. */
    void checkWidth(String what, int width, boolean lists) {
        columns.checkWidth(what, width, lists);
    }

    /** An EventType symbol, DWELL or HEARTBEAT. */
    private static boolean isType(String symbol) {
        if (symbol.equals(DWELL) || symbol.equals(HEARTBEAT)) {
            return true;
        }
        for (EventType t : EventType.values()) {
            if (t.name().equals(symbol)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<String> requiredColumns() {
        return List.of(); // by index: checked per row
    }

    @Override
    public List<ReplayEvent> map(CSVRecord row, long rowNumber) {
        String user = Events.emptyToNull(columns.value(row, "user_id"));
        if (user == null) {
            throw new RowSkipped(SkipReason.NO_USER, "no user_id");
        }
        Instant at = time.parse(columns.value(row, "event_time"));
        String item = Events.emptyToNull(columns.value(row, "item_id"));
        String topic = Events.emptyToNull(columns.value(row, "topic"));
        List<String> topics = topic == null ? List.of() : List.of(topic);
        Long dwellMs = dwellMs(Events.emptyToNull(columns.value(row, "dwell_ms")));
        String eventId = Events.emptyToNull(columns.value(row, "event_id"));
        Events.Tracking tracking = new Events.Tracking(
                Events.emptyToNull(columns.value(row, "session_id")),
                Events.emptyToNull(columns.value(row, "view_id")),
                Events.emptyToNull(columns.value(row, "user_agent")));

        List<ReplayEvent> out = new ArrayList<>(2);
        if (rowEvents) {
            String type = type(row);
            if (type.equals(DWELL)) {
                if (dwellMs == null) {
                    throw new RowSkipped(SkipReason.INVALID, "DWELL row without dwell_ms");
                }
                out.add(events.dwell(id(eventId, rowNumber, "dwell"), user, at, item, dwellMs, null, topics, tracking));
            } else if (type.equals(HEARTBEAT)) {
                out.add(events.heartbeat(id(eventId, rowNumber, "heartbeat"), user, at, item, topics, tracking));
            } else {
                EventType t = EventType.valueOf(type);
                out.add(events.click(
                        id(eventId, rowNumber, t.name().toLowerCase(Locale.ROOT)),
                        user,
                        at,
                        t,
                        item,
                        topics,
                        tracking));
                if (dwellMs != null) {
                    String dwellId = eventId != null ? eventId + "/dwell" : events.eventId(rowNumber, "dwell");
                    out.add(events.dwell(dwellId, user, dwellEnd(at, dwellMs), item, dwellMs, null, topics, tracking));
                }
            }
        }
        String base = eventId != null ? eventId : events.rowId(rowNumber);
        int n = 0;
        for (Map.Entry<ExplodeSpec, String> list : columns.lists(row).entrySet()) {
            for (String element : list.getKey().elements(list.getValue())) {
                out.add(events.click(base + "/" + n++, user, at, list.getKey().type(), element, List.of(), tracking));
            }
        }
        return out;
    }

    private String id(String eventId, long rowNumber, String kind) {
        return eventId != null ? eventId : events.eventId(rowNumber, kind);
    }

    /** Strict: see {@link CsvNumber}; a fraction is rounded to whole ms. */
    private static Long dwellMs(String text) {
        return text == null ? null : CsvNumber.parse("dwell_ms", text, 1, true);
    }

    /**
     * {@code at + dwellMs}: the end of the DwellEvent next to a ClickEvent.
     *
     * @throws RowSkipped ({@link SkipReason#BAD_NUMBER}) when the end is beyond what an event time
     *     (epoch ms in a long) can hold
     */
    private static Instant dwellEnd(Instant at, long dwellMs) {
        try {
            return Instant.ofEpochMilli(Math.addExact(at.toEpochMilli(), dwellMs));
        } catch (ArithmeticException e) {
            throw new RowSkipped(
                    SkipReason.BAD_NUMBER,
                    "dwell_ms '" + dwellMs + "' puts the dwell's end beyond the range of event times",
                    e);
        }
    }

    /**
     * An EventType symbol, DWELL or HEARTBEAT: mapped, else the upper-cased raw value if valid, else
     * OTHER; VIEW without an event_type column, OTHER for an absent value in the column.
     */
    private String type(CSVRecord row) {
        if (!columns.has("event_type")) {
            return EventType.VIEW.name();
        }
        String raw = columns.value(row, "event_type");
        if (raw == null) {
            return EventType.OTHER.name();
        }
        String mapped = eventTypes.get(raw);
        if (mapped != null) {
            return mapped;
        }
        String upper = raw.strip().toUpperCase(Locale.ROOT);
        return isType(upper) ? upper : EventType.OTHER.name();
    }
}
