package org.attentionanalytics.replay;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Options of the dataset replay, as a picocli mixin ({@code @Mixin ReplayOptions}) so that every
 * command that replays a dataset shows the same names, defaults and descriptions in {@code --help}.
 * Build one in code with {@link #parse(String...)}.
 *
 * <p>Time: naive timestamps (without zone or offset) are read as local times in {@code
 * --time-zone} (at a daylight-saving overlap the earlier offset, in a gap shifted forward by the
 * gap's length, as {@link java.time.LocalDateTime#atZone} does). Timestamps with an explicit zone or offset (REES46's {@code ... UTC}, ISO-8601 with
 * {@code Z} or {@code +01:00}) and epoch numbers are not shifted. When {@code --time-zone} is not UTC,
 * its IANA id is also written into every event's {@code time_zone} field (the user's zone, used by
 * the job for day boundaries); with UTC the field stays null, which the job reads as UTC.
 *
 * <p>The options {@code --columns}, {@code --time-format}, {@code --event-types}, {@code
 * --separator}, {@code --[no-]header} and those of {@link RowOptions} except {@code --max-skipped}
 * apply to the {@code csv} kind only; the other kinds have fixed layouts with a header row.
 */
public class ReplayOptions {

    @Option(
            names = "--dataset",
            paramLabel = "KIND:PATH",
            converter = DatasetSpec.Converter.class,
            description =
                    "Dataset to replay: KIND:PATH with KIND one of ebnerd-history, ebnerd-behaviors, rees46, csv, snowplow.")
    public DatasetSpec dataset;

    @Option(
            names = "--catalog",
            paramLabel = "csv:PATH",
            converter = CatalogSpec.Converter.class,
            description =
                    "Content catalog to publish before the events, to the catalog topic keyed by item_id: csv:PATH, a CSV file with a header "
                            + "row and the columns item_id, topic and optionally weight (default 1.0); an item's rows make one ContentProfile. "
                            + "Without --dataset only the catalog is published.")
    public CatalogSpec catalog;

    @Option(
            names = "--budgets",
            paramLabel = "csv:PATH",
            converter = CsvSpec.Converter.class,
            description =
                    "Attention budgets to publish before the events, to the budgets topic keyed by user_id: csv:PATH with a header row and the "
                            + "columns user_id, time_zone, category, minutes (daily minutes; one row per category, a user's rows make one AttentionBudget) "
                            + "and optionally updated_at (epoch ms or ISO-8601 UTC) and alerts_enabled (true/false, default true). Without updated_at a "
                            + "budget takes the dataset's first event time, so it governs the whole replay. A bad row is a usage error naming its line.")
    public CsvSpec budgets;

    @Option(
            names = "--erasures",
            paramLabel = "csv:PATH",
            converter = CsvSpec.Converter.class,
            description =
                    "Erasure requests to publish among the events, to the privacy-requests topic keyed by user_id: csv:PATH with a header "
                            + "row and the columns user_id and time (epoch ms or ISO-8601 UTC). Each goes out in event-time order, after the dataset's "
                            + "events of the same time; request_id is <file name>:<row>:erasure. A bad row is a usage error naming its line.")
    public CsvSpec erasures;

    @Option(
            names = "--focus-blocks",
            paramLabel = "csv:PATH",
            converter = CsvSpec.Converter.class,
            description =
                    "Focus blocks to publish before the events (after the budgets), to the focus-blocks topic keyed by user_id: csv:PATH with a "
                            + "header row and the columns user_id, name and optionally start, end (a one-off block: epoch ms or ISO-8601 UTC), days "
                            + "(MON+TUE...), local_start, local_end (HH:mm: a weekly block), focus_categories (a+b), pomodoro (25/5/15/4), time_zone, "
                            + "updated_at. One row per block; a user's rows make one FocusBlocks record. Without updated_at the blocks take the "
                            + "dataset's first event time. A bad row is a usage error naming its line.")
    public CsvSpec focusBlocks;

    @Option(
            names = "--speedup",
            defaultValue = "0",
            paramLabel = "N",
            description =
                    "Replay event-time gaps N times faster in wall-clock time (1 = real time); 0 = as fast as possible. Default: ${DEFAULT-VALUE}")
    public double speedup;

    @Option(
            names = "--max-wait",
            defaultValue = KafkaWait.MAX_WAIT,
            paramLabel = "DURATION",
            converter = KafkaWait.MaxWaitConverter.class,
            description =
                    "How long to wait for an absent Kafka broker, at the start or in the middle, before giving up with an error "
                            + "(e.g. 30 s, 10 min, 2 h, PT1H); meanwhile a line on stderr says what the replay waits for; the producer's own retries "
                            + "write each record once. Default: ${DEFAULT-VALUE}")
    public Duration maxWait;

    @Option(
            names = "--time-zone",
            defaultValue = "UTC",
            paramLabel = "ZONE",
            converter = ZoneConverter.class,
            description =
                    "IANA zone in which naive timestamps are read (EB-NeRD: Europe/Copenhagen). When not UTC it is also written as the events' time_zone. Default: ${DEFAULT-VALUE}")
    public ZoneId timeZone;

    @Option(
            names = "--replay-format",
            defaultValue = "avro",
            paramLabel = "avro|json",
            converter = ReplayFormat.Converter.class,
            description =
                    "Encoding of the published values: avro (Avro single-object encoding) or json (one JSON object, the schema's field names, event_time in epoch ms). Default: ${DEFAULT-VALUE}")
    public ReplayFormat replayFormat;

    @Option(
            names = "--columns",
            split = ",",
            paramLabel = "NAME=INDEX",
            description =
                    "csv: 0-based column of each field; names: user_id, event_time (required), event_type, item_id, topic, dwell_ms, "
                            + "event_id, session_id, view_id, user_agent. Default: the header's column names that equal these names. "
                            + "Without event_id, ids are <file>:<row>:<kind>; with it, the row's event has the row's event_id (its "
                            + "extra DwellEvent <event_id>/dwell).")
    public Map<String, Integer> columns;

    @Option(
            names = "--time-format",
            defaultValue = "ISO-8601",
            paramLabel = "FORMAT",
            description =
                    "csv: ISO-8601 (with or without offset), a java.time pattern like 'yyyy-MM-dd HH:mm:ss', epoch-seconds or epoch-millis. Default: ${DEFAULT-VALUE}")
    public String timeFormat;

    @Option(
            names = "--event-types",
            split = ",",
            paramLabel = "RAW=TYPE",
            description =
                    "csv: raw event type -> VIEW, CLICK, SEARCH, SCROLL, ADD_TO_CART, PURCHASE, SHARE, OTHER, DWELL (a dwell-only row whose "
                            + "event_time ends the interval) or HEARTBEAT (a page ping: a DwellEvent of kind HEARTBEAT, no dwell_ms), "
                            + "e.g. ping=HEARTBEAT. Unmapped raw types: the upper-cased raw value if it is one of these, else OTHER. "
                            + "Without an event_type column every row is a VIEW.")
    public Map<String, String> eventTypes;

    @Option(
            names = "--separator",
            defaultValue = ",",
            paramLabel = "CHAR",
            converter = SeparatorConverter.class,
            description = "csv: field separator, one character; '\\t' or 'tab' for a tab. Default: ${DEFAULT-VALUE}")
    public char separator;

    @Option(
            names = "--header",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "csv: the first row is a header (--no-header: it is data). Default: true")
    public boolean header;

    /** {@code --null-values}, {@code --quote}, {@code --explode}, {@code --[no-]row-events}, {@code --max-skipped}. */
    @Mixin
    public RowOptions rows = new RowOptions();

    /**
     * Options from command-line arguments, with picocli's defaults for the rest.
     *
     * @throws CommandLine.ParameterException for unknown options or invalid values
     */
    public static ReplayOptions parse(String... args) {
        return CommandLine.populateCommand(new ReplayOptions(), args);
    }

    /** The value of the events' {@code time_zone} field: the zone's id, or null for UTC. */
    public String timeZoneField() {
        return timeZone.normalized().equals(ZoneOffset.UTC) ? null : timeZone.getId();
    }

    /** A {@code --dataset} value: the kind of file and its path. */
    public record DatasetSpec(DatasetKind kind, Path path) {

        /** Parses {@code KIND:PATH}; the path may itself contain colons. */
        public static DatasetSpec parse(String value) {
            int colon = value.indexOf(':');
            if (colon <= 0 || colon == value.length() - 1) {
                throw new IllegalArgumentException("expected KIND:PATH, got '" + value + "'");
            }
            return new DatasetSpec(
                    DatasetKind.fromCliName(value.substring(0, colon)), Path.of(value.substring(colon + 1)));
        }

        @Override
        public String toString() {
            return kind.cliName() + ":" + path;
        }

        /** picocli converter for {@link #parse(String)}. */
        public static final class Converter implements ITypeConverter<DatasetSpec> {
            @Override
            public DatasetSpec convert(String value) {
                return parse(value);
            }
        }
    }

    /**
     * A {@code --catalog} value: {@code csv:PATH}, the only kind so far (see {@link CatalogCsv}).
     *
     * @param path the CSV file
     */
    public record CatalogSpec(Path path) {

        /** Parses {@code csv:PATH}; the path may itself contain colons. */
        public static CatalogSpec parse(String value) {
            int colon = value.indexOf(':');
            if (colon <= 0 || colon == value.length() - 1) {
                throw new IllegalArgumentException("expected csv:PATH, got '" + value + "'");
            }
            String kind = value.substring(0, colon);
            if (!kind.equalsIgnoreCase("csv")) {
                throw new IllegalArgumentException("unknown catalog kind '" + kind + "': expected csv:PATH");
            }
            return new CatalogSpec(Path.of(value.substring(colon + 1)));
        }

        @Override
        public String toString() {
            return "csv:" + path;
        }

        /** picocli converter for {@link #parse(String)}. */
        public static final class Converter implements ITypeConverter<CatalogSpec> {
            @Override
            public CatalogSpec convert(String value) {
                return parse(value);
            }
        }
    }

    /**
     * A {@code --budgets}, {@code --erasures} or {@code --focus-blocks} value: {@code csv:PATH} (see
     * {@link ControlCsv}, {@link FocusBlocksCsv}).
     *
     * @param path the CSV file
     */
    public record CsvSpec(Path path) {

        /** Parses {@code csv:PATH}; the path may itself contain colons. */
        public static CsvSpec parse(String value) {
            int colon = value.indexOf(':');
            if (colon <= 0
                    || colon == value.length() - 1
                    || !value.substring(0, colon).equalsIgnoreCase("csv")) {
                throw new IllegalArgumentException("expected csv:PATH, got '" + value + "'");
            }
            return new CsvSpec(Path.of(value.substring(colon + 1)));
        }

        @Override
        public String toString() {
            return "csv:" + path;
        }

        /** picocli converter for {@link #parse(String)}. */
        public static final class Converter implements ITypeConverter<CsvSpec> {
            @Override
            public CsvSpec convert(String value) {
                return parse(value);
            }
        }
    }

    /** picocli converter for IANA zone ids and offsets ({@link ZoneId#of(String)}). */
    public static final class ZoneConverter implements ITypeConverter<ZoneId> {
        @Override
        public ZoneId convert(String value) {
            return ZoneId.of(value);
        }
    }

    /** picocli converter for one separator character; {@code \t} and {@code tab} mean a tab. */
    public static final class SeparatorConverter implements ITypeConverter<Character> {
        @Override
        public Character convert(String value) {
            if (value.equals("\\t") || value.toLowerCase(Locale.ROOT).equals("tab")) {
                return '\t';
            }
            if (value.length() != 1) {
                throw new IllegalArgumentException("separator must be one character, got '" + value + "'");
            }
            return value.charAt(0);
        }
    }
}
