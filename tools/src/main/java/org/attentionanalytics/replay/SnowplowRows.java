package org.attentionanalytics.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.attentionanalytics.io.SnowplowLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dataset kind {@code snowplow} ({@link DatasetKind#SNOWPLOW}): Snowplow events, published as
 * enriched TSV lines ({@link SnowplowLine}, the format of the job's {@code --snowplow} door) to the
 * Snowplow topic.
 *
 * <p>Two layouts, told apart by the first line: when it is a CSV header naming {@code event_id}
 * (split at commas, quotes removed), the file is a <b>warehouse CSV</b>: a header of Snowplow's
 * atomic-event column names (any subset, any order), one event per row; the web_page context may
 * come as the column {@value #WEB_PAGE_COLUMN} (a JSON array such as {@code [{"id":"..."}]}), which
 * is put into {@code contexts} as the self-describing contexts JSON the door reads (next to the
 * entities of a {@code contexts} column, if there is one). Other columns (other contexts, unstruct
 * event columns) are ignored. Timestamps (columns ending in {@code tstamp}) may be {@code
 * yyyy-MM-dd HH:mm:ss[.fff]} or with {@code T}, and with a trailing {@code Z} or {@code UTC}; they are
 * written as {@code yyyy-MM-dd HH:mm:ss.SSS} (UTC). Tabs and line breaks inside values become spaces.
 * Otherwise the file is <b>enriched TSV</b>: one 131-field tab-separated line per event, no header,
 * published as it is. Blank lines are ignored in both layouts (not counted as rows).
 *
 * <p>Rows the replay cannot read are skipped and counted ({@link SkippedRows}): {@code invalid} for a
 * TSV line without 131 fields or a web_page column that is no JSON array; {@code bad_time} for a
 * timestamp that does not parse, or neither {@code derived_tstamp} nor {@code collector_tstamp}. Everything
 * else (no user id, no web_page id, bots, ...) is for the door to judge: its dead letters.
 *
 * <p>Order and key: events go out sorted by {@code derived_tstamp}, else {@code collector_tstamp}
 * (ties keep file order), keyed by the first set of {@code domain_userid}, {@code user_id}, {@code
 * network_userid} (the browser cookie first: a user who logs in mid-page keeps one key), else
 * {@code event_id}.
 */
public final class SnowplowRows {
    private static final Logger LOG = LoggerFactory.getLogger(SnowplowRows.class);
    private static final int LOGGED_SKIPS = 10;

    /** The warehouse column of the web_page context. */
    public static final String WEB_PAGE_COLUMN = "contexts_com_snowplowanalytics_snowplow_web_page_1_0_0";

    private static final String CONTEXTS_SCHEMA = "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0";
    private static final String WEB_PAGE_SCHEMA = "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0";
    private static final List<String> KEYS = List.of("domain_userid", "user_id", "network_userid", "event_id");

    private static final DateTimeFormatter READ_TSTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart()
            .appendLiteral(' ')
            .optionalEnd()
            .optionalStart()
            .appendLiteral('T')
            .optionalEnd()
            .appendPattern("HH:mm:ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .toFormatter(Locale.ROOT);
    private static final DateTimeFormatter WRITE_TSTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static final ObjectMapper JSON = new ObjectMapper();

    private SnowplowRows() {}

    /**
     * One event to publish.
     *
     * @param eventTime {@code derived_tstamp}, else {@code collector_tstamp}
     * @param key the Kafka key (see the class comment)
     * @param line the enriched TSV line, 131 fields, no line break
     */
    public record Line(Instant eventTime, String key, String line) {}

    /**
     * What a file gave.
     *
     * @param lines sorted by event time, ties in file order
     * @param rows data rows read (header and blank lines not counted), skipped ones included
     * @param skipped the rows that gave no line, by reason
     * @param warehouse true for the warehouse CSV layout, false for enriched TSV
     */
    public record Result(List<Line> lines, long rows, SkippedRows skipped, boolean warehouse) {}

    /** True when the file's first line is a warehouse CSV header (names {@code event_id}). */
    public static boolean isWarehouseCsv(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = in.readLine();
            while (first != null && first.isBlank()) {
                first = in.readLine();
            }
            if (first == null) {
                return false;
            }
            if (first.startsWith("\uFEFF")) {
                first = first.substring(1);
            }
            return Arrays.stream(first.split(","))
                    .map(s -> s.strip().replace("\"", ""))
                    .anyMatch("event_id"::equals);
        }
    }

    /**
     * Checks the file before anything starts: not empty; a warehouse CSV has {@code event_id} and a
     * {@code derived_tstamp} or {@code collector_tstamp} column.
     *
     * @throws IllegalArgumentException saying what does not fit
     */
    public static void checkLayout(Path file) throws IOException {
        String name = file.getFileName().toString();
        boolean empty;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            empty = in.lines().allMatch(String::isBlank);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (empty) {
            throw new IllegalArgumentException(name + " is empty: no Snowplow event");
        }
        if (isWarehouseCsv(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                    CSVParser parser = csvFormat().parse(in)) {
                checkHeader(name, parser.getHeaderNames());
            }
        }
    }

    private static void checkHeader(String name, List<String> header) {
        if (!header.contains("derived_tstamp") && !header.contains("collector_tstamp")) {
            throw new IllegalArgumentException(name + " is not snowplow: a warehouse CSV needs a derived_tstamp or "
                    + "collector_tstamp column; its header: " + String.join(", ", header));
        }
    }

    /**
     * Reads the whole file; skipped rows are counted, the first few logged.
     *
     * @throws IOException when the file cannot be read, or a warehouse CSV does not parse
     * @throws IllegalArgumentException when the warehouse header lacks a time column
     */
    public static Result read(Path file) throws IOException {
        String name = file.getFileName().toString();
        SkippedRows skipped = new SkippedRows();
        List<Line> out = new ArrayList<>();
        long rows = 0;
        boolean warehouse = isWarehouseCsv(file);
        if (warehouse) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                    CSVParser parser = csvFormat().parse(in)) {
                List<String> header = parser.getHeaderNames();
                checkHeader(name, header);
                Iterator<CSVRecord> records = parser.iterator();
                while (true) {
                    long rowNumber = rows + 1;
                    CSVRecord row = DatasetReader.next(
                            records,
                            e -> new IOException(
                                    name + ": cannot parse row " + rowNumber + " (line "
                                            + parser.getCurrentLineNumber() + " or the lines before it): "
                                            + e.getMessage(),
                                    e));
                    if (row == null) {
                        break;
                    }
                    rows++;
                    try {
                        out.add(fromCsv(header, row));
                    } catch (RowSkipped e) {
                        skip(name, skipped, rows, e);
                    }
                }
            }
        } else {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String text;
                while ((text = in.readLine()) != null) {
                    if (text.isBlank()) {
                        continue;
                    }
                    rows++;
                    try {
                        out.add(fromTsv(text));
                    } catch (RowSkipped e) {
                        skip(name, skipped, rows, e);
                    }
                }
            }
        }
        if (skipped.total() > 0) {
            LOG.warn("{}: skipped {} of {} rows: {}", name, skipped.total(), rows, skipped.describe());
        }
        out.sort(Comparator.comparing(Line::eventTime)); // stable: ties keep file order
        return new Result(out, rows, skipped, warehouse);
    }

    /** As {@link #read}, then {@link SkippedRows#check} with {@code --max-skipped}. */
    public static Result readAccepted(Path file, long maxSkipped) throws IOException {
        Result r = read(file);
        r.skipped().check(file.getFileName().toString(), r.rows(), r.lines().size(), maxSkipped);
        return r;
    }

    private static void skip(String name, SkippedRows skipped, long row, RowSkipped e) {
        skipped.add(row, e.reason(), e.getMessage());
        if (skipped.total() <= LOGGED_SKIPS) {
            LOG.warn("{}: skipped row {} ({}): {}", name, row, e.reason().label(), e.getMessage());
        }
    }

    private static CSVFormat csvFormat() {
        return CSVFormat.DEFAULT
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .setIgnoreEmptyLines(true)
                .get();
    }

    /** An enriched TSV line as it is, checked for 131 fields and its event time. */
    static Line fromTsv(String text) {
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        SnowplowLine l;
        try {
            l = SnowplowLine.parse(text.getBytes(StandardCharsets.UTF_8));
        } catch (SnowplowLine.Malformed e) {
            throw new RowSkipped(SkipReason.INVALID, e.getMessage());
        }
        Instant time;
        try {
            time = l.tstamp(SnowplowLine.DERIVED_TSTAMP);
            if (time == null) {
                time = l.tstamp(SnowplowLine.COLLECTOR_TSTAMP);
            }
        } catch (SnowplowLine.Malformed e) {
            throw new RowSkipped(SkipReason.BAD_TIME, e.getMessage());
        }
        if (time == null) {
            throw new RowSkipped(SkipReason.BAD_TIME, "derived_tstamp and collector_tstamp are empty");
        }
        String key = null;
        for (String k : KEYS) {
            key = l.get(SnowplowLine.index(k));
            if (key != null) {
                break;
            }
        }
        return new Line(time, key, text);
    }

    /** A warehouse row rebuilt as an enriched TSV line. */
    static Line fromCsv(List<String> header, CSVRecord row) {
        Map<String, String> byName = new HashMap<>();
        for (int i = 0; i < header.size() && i < row.size(); i++) {
            byName.put(header.get(i), row.get(i));
        }
        return fromColumns(byName);
    }

    /**
     * The enriched TSV writer (of the warehouse CSV rows, and of the local demo's traffic with
     * {@code --snowplow}): values by Snowplow's column names, as a warehouse row has them, to one
     * line of {@value SnowplowLine#FIELD_COUNT} fields. Unknown names are ignored, missing ones
     * empty; tabs and line breaks in values become spaces; timestamps (names ending in {@code
     * tstamp}) are read as the class comment says and written {@code yyyy-MM-dd HH:mm:ss.SSS} UTC
     * ({@link #tstamp(Instant)}); the column {@value #WEB_PAGE_COLUMN} (a JSON array or object) is
     * added to {@code contexts} as the web_page context.
     *
     * @throws IllegalArgumentException for a timestamp that does not parse, a web_page column or
     *     {@code contexts} that is no JSON, or neither {@code derived_tstamp} nor {@code
     *     collector_tstamp}
     */
    public static Line fromColumns(Map<String, String> byName) {
        String[] fields = new String[SnowplowLine.FIELD_COUNT];
        Arrays.fill(fields, "");
        for (Map.Entry<String, String> e : byName.entrySet()) {
            int index = SnowplowLine.FIELDS.indexOf(e.getKey());
            if (index < 0 || e.getValue() == null) {
                continue;
            }
            String value = e.getValue().replaceAll("[\t\r\n]", " ");
            if (e.getKey().endsWith("tstamp") && !value.isBlank()) {
                value = WRITE_TSTAMP.format(tstamp(e.getKey(), value));
            }
            fields[index] = value;
        }
        String webPage = byName.get(WEB_PAGE_COLUMN);
        if (webPage != null && !webPage.isBlank()) {
            fields[SnowplowLine.CONTEXTS] = withWebPage(fields[SnowplowLine.CONTEXTS], webPage);
        }
        return fromTsv(String.join("\t", fields));
    }

    /** @return {@code time} as Snowplow writes timestamps: {@code yyyy-MM-dd HH:mm:ss.SSS}, UTC */
    public static String tstamp(Instant time) {
        return WRITE_TSTAMP.format(time);
    }

    private static Instant tstamp(String column, String value) {
        String v = value.strip();
        if (v.endsWith(" UTC")) {
            v = v.substring(0, v.length() - 4);
        } else if (v.endsWith("Z")) {
            v = v.substring(0, v.length() - 1);
        }
        try {
            return LocalDateTime.parse(v, READ_TSTAMP).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new RowSkipped(
                    SkipReason.BAD_TIME, column + " '" + value + "' is not a timestamp yyyy-MM-dd HH:mm:ss.SSS (UTC)");
        }
    }

    /** The contexts JSON with the web_page entities of the warehouse column added. */
    private static String withWebPage(String contexts, String webPageColumn) {
        JsonNode pages;
        try {
            pages = JSON.readTree(webPageColumn);
        } catch (JsonProcessingException e) {
            throw new RowSkipped(SkipReason.INVALID, WEB_PAGE_COLUMN + " is no JSON");
        }
        if (pages.isObject()) {
            pages = JSON.createArrayNode().add(pages);
        }
        if (!pages.isArray()) {
            throw new RowSkipped(SkipReason.INVALID, WEB_PAGE_COLUMN + " is no JSON array");
        }
        ObjectNode root;
        try {
            JsonNode existing = contexts.isEmpty() ? null : JSON.readTree(contexts);
            root = existing instanceof ObjectNode o && o.path("data").isArray()
                    ? o
                    : JSON.createObjectNode().put("schema", CONTEXTS_SCHEMA);
        } catch (JsonProcessingException e) {
            throw new RowSkipped(SkipReason.INVALID, "contexts is no JSON");
        }
        ArrayNode data = root.has("data") ? (ArrayNode) root.get("data") : root.putArray("data");
        for (JsonNode page : pages) {
            data.addObject().put("schema", WEB_PAGE_SCHEMA).set("data", page);
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
