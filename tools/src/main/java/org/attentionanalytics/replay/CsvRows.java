package org.attentionanalytics.replay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVRecord;
import org.attentionanalytics.avro.EventType;

/**
 * Rows of a generic delimited file, mapped by {@link ReplayOptions#columns}, {@link
 * ReplayOptions#timeFormat} and {@link ReplayOptions#eventTypes}. A row is a ClickEvent of its type;
 * with a non-empty {@code dwell_ms} it also gives a DwellEvent of that many ms ending at {@code
 * event_time + dwell_ms} (the EB-NeRD convention). A row of type DWELL gives only a DwellEvent
 * ending at {@code event_time} and needs {@code dwell_ms}. A non-empty {@code topic} gives topics =
 * [topic] (on both events).
 */
final class CsvRows implements RowMapper {
    /** The field names of {@code --columns}. */
    static final List<String> FIELDS = List.of("user_id", "event_time", "event_type", "item_id", "topic", "dwell_ms");

    static final String DWELL = "DWELL";

    private final Events events;
    private final TimeParser time;
    private final Map<String, Integer> columns;
    private final Map<String, String> eventTypes = new HashMap<>();

    /**
     * @param headerNames the header row's names (empty without a header): the default columns
     * @throws IllegalArgumentException for unknown field names, negative indexes, no user_id or
     *     event_time column, or an unknown TYPE in the event-type mapping
     */
    CsvRows(ReplayOptions opts, Events events, TimeParser time, List<String> headerNames) {
        this.events = events;
        this.time = time;
        this.columns = opts.columns != null ? new LinkedHashMap<>(opts.columns) : columnsFromHeader(headerNames);
        for (Map.Entry<String, Integer> c : columns.entrySet()) {
            if (!FIELDS.contains(c.getKey()) || c.getValue() < 0) {
                throw new IllegalArgumentException("--columns: bad entry " + c.getKey() + "=" + c.getValue()
                        + "; names: " + FIELDS + ", indexes from 0");
            }
        }
        if (!columns.containsKey("user_id") || !columns.containsKey("event_time")) {
            String found = opts.columns != null
                    ? "--columns has " + (columns.isEmpty() ? "none" : String.join(", ", columns.keySet()))
                    : headerNames.isEmpty()
                            ? "the file has no header row (--no-header)"
                            : "the header has " + String.join(", ", headerNames);
            throw new IllegalArgumentException(
                    "csv needs user_id and event_time columns: name them so in the header row, or map "
                            + "them with --columns user_id=INDEX,event_time=INDEX (0-based); " + found);
        }
        if (opts.eventTypes != null) {
            opts.eventTypes.forEach((raw, type) -> {
                String t = type.strip().toUpperCase(Locale.ROOT);
                if (!t.equals(DWELL) && !isEventType(t)) {
                    throw new IllegalArgumentException("--event-types: unknown type '" + type + "' for '" + raw + "'");
                }
                eventTypes.put(raw, t);
            });
        }
    }

    /**
     * Checks that every mapped column exists in a file {@code width} columns wide.
     *
     * @param what the file's width in words, for the message (e.g. {@code x.csv's header has 3 columns})
     * @throws IllegalArgumentException naming the first {@code --columns} entry past the last column
     */
    void checkWidth(String what, int width) {
        for (Map.Entry<String, Integer> c : columns.entrySet()) {
            if (c.getValue() >= width) {
                throw new IllegalArgumentException("--columns " + c.getKey() + "=" + c.getValue() + ": " + what
                        + " (indexes 0 to " + (width - 1) + ")");
            }
        }
    }

    private static Map<String, Integer> columnsFromHeader(List<String> headerNames) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int i = 0; i < headerNames.size(); i++) {
            String name = headerNames.get(i).strip().toLowerCase(Locale.ROOT);
            if (FIELDS.contains(name)) {
                out.putIfAbsent(name, i);
            }
        }
        return out;
    }

    private static boolean isEventType(String symbol) {
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
        String user = value(row, "user_id");
        Instant at = time.parse(value(row, "event_time"));
        String item = Events.emptyToNull(value(row, "item_id"));
        String topic = Events.emptyToNull(value(row, "topic"));
        List<String> topics = topic == null ? List.of() : List.of(topic);
        String dwellText = Events.emptyToNull(value(row, "dwell_ms"));
        Long dwellMs = dwellText == null ? null : Math.round(Double.parseDouble(dwellText));

        String type = type(value(row, "event_type"));
        if (type.equals(DWELL)) {
            if (dwellMs == null) {
                throw new IllegalArgumentException("DWELL row without dwell_ms");
            }
            return List.of(events.dwell(rowNumber, user, at, item, dwellMs, null, topics));
        }
        List<ReplayEvent> out = new ArrayList<>(2);
        out.add(events.click(rowNumber, user, at, EventType.valueOf(type), item, topics));
        if (dwellMs != null) {
            out.add(events.dwell(rowNumber, user, at.plusMillis(dwellMs), item, dwellMs, null, topics));
        }
        return out;
    }

    /** An EventType symbol or DWELL: mapped, else the upper-cased raw value if valid, else OTHER; VIEW without a column. */
    private String type(String raw) {
        if (raw == null) {
            return EventType.VIEW.name();
        }
        String mapped = eventTypes.get(raw);
        if (mapped != null) {
            return mapped;
        }
        String upper = raw.strip().toUpperCase(Locale.ROOT);
        return upper.equals(DWELL) || isEventType(upper) ? upper : EventType.OTHER.name();
    }

    /** The field's text, or null when the field has no column. */
    private String value(CSVRecord row, String field) {
        Integer index = columns.get(field);
        if (index == null) {
            return null;
        }
        if (index >= row.size()) {
            throw new IllegalArgumentException("no column " + index + " (" + field + "): row has " + row.size());
        }
        return row.get(index);
    }
}
