package org.attentionanalytics.replay;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVRecord;

/**
 * Where the fields of a {@code csv} dataset are: the column of each field name ({@code --columns},
 * else the header's names), the columns of the {@code --explode} lists, and which values mean
 * absent ({@code --null-values}). Reads a row's field as text, or null when absent.
 */
final class CsvColumns {
    /** The field names of {@code --columns}. */
    static final List<String> FIELDS = List.of(
            "user_id",
            "event_time",
            "event_type",
            "item_id",
            "topic",
            "dwell_ms",
            "event_id",
            "session_id",
            "view_id",
            "user_agent");

    private final Map<String, Integer> columns;
    private final Map<ExplodeSpec, Integer> lists = new LinkedHashMap<>();
    private final Set<String> nullValues;

    /**
     * @param headerNames the header row's names (empty without a header): the default columns, and
     *     the names that {@code --explode} may use
     * @throws IllegalArgumentException for unknown field names, negative indexes, no user_id or
     *     event_time column, or an {@code --explode} column name that is not in the header
     */
    CsvColumns(ReplayOptions opts, List<String> headerNames) {
        this.columns = opts.columns != null ? new LinkedHashMap<>(opts.columns) : columnsFromHeader(headerNames);
        this.nullValues =
                Set.copyOf(opts.rows.nullValues.stream().map(String::strip).toList());
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
        for (ExplodeSpec spec : opts.rows.explode) {
            lists.put(spec, spec.index() >= 0 ? spec.index() : headerIndex(spec, headerNames));
        }
    }

    private static int headerIndex(ExplodeSpec spec, List<String> headerNames) {
        for (int i = 0; i < headerNames.size(); i++) {
            if (headerNames.get(i).strip().toLowerCase(Locale.ROOT).equals(spec.column())) {
                return i;
            }
        }
        throw new IllegalArgumentException("--explode " + spec + ": no column '" + spec.column() + "' in "
                + (headerNames.isEmpty()
                        ? "a file without header (give its 0-based index)"
                        : "the header: " + String.join(", ", headerNames)));
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

    /**
     * Checks that every mapped column exists in a file {@code width} columns wide.
     *
     * @param what the file's width in words, for the message (e.g. {@code x.csv's header has 3 columns})
     * @param lists whether to check the {@code --explode} columns too (a header has them; a first row
     *     may lack a trailing list column, which is then an empty list)
     * @throws IllegalArgumentException naming the first {@code --columns} or {@code --explode} entry
     *     past the last column
     */
    void checkWidth(String what, int width, boolean lists) {
        for (Map.Entry<String, Integer> c : columns.entrySet()) {
            if (c.getValue() >= width) {
                throw new IllegalArgumentException("--columns " + c.getKey() + "=" + c.getValue() + ": " + what
                        + " (indexes 0 to " + (width - 1) + ")");
            }
        }
        if (!lists) {
            return;
        }
        this.lists.forEach((spec, index) -> {
            if (index >= width) {
                throw new IllegalArgumentException(
                        "--explode " + spec + ": " + what + " (indexes 0 to " + (width - 1) + ")");
            }
        });
    }

    /** Whether the field has a column. */
    boolean has(String field) {
        return columns.containsKey(field);
    }

    /**
     * The field's text; null when the field has no column or its value is one of {@code
     * --null-values}.
     *
     * @throws RowSkipped ({@link SkipReason#MISSING_COLUMN}) when the row is too short for the column
     */
    String value(CSVRecord row, String field) {
        Integer index = columns.get(field);
        return index == null ? null : at(row, index, field);
    }

    /**
     * The {@code --explode} lists with their columns' text (null when absent), in option order. A
     * row too short for a list column has an empty list there (a row typed without its trailing
     * separators), not a missing column.
     */
    Map<ExplodeSpec, String> lists(CSVRecord row) {
        Map<ExplodeSpec, String> out = new LinkedHashMap<>();
        lists.forEach((spec, index) -> out.put(spec, index >= row.size() ? null : at(row, index, spec.column())));
        return out;
    }

    private String at(CSVRecord row, int index, String field) {
        if (index >= row.size()) {
            throw new RowSkipped(
                    SkipReason.MISSING_COLUMN,
                    "no column " + index + " (" + field + "): row has " + row.size() + " columns");
        }
        String text = row.get(index);
        return nullValues.contains(text.strip()) ? null : text;
    }
}
