package org.attentionanalytics.replay;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a whole dataset file ({@link ReplayOptions#dataset}) into events sorted by event time,
 * without Kafka. Used by {@link DatasetReplay}, and by tests and tools that need the events.
 *
 * <p>Files are UTF-8 CSV. The events of a row are built by its kind's mapping (see {@link
 * DatasetKind} and {@code shared/data/README.md}); event ids are {@code <file name>:<row>:<kind>}
 * with row the 1-based data row, header not counted (e.g. {@code history_flat.csv:17:view}, {@code
 * history_flat.csv:17:dwell}, {@code behaviors_flat.csv:5:click:9647273}).
 */
public final class DatasetReader {
    private static final Logger LOG = LoggerFactory.getLogger(DatasetReader.class);
    private static final int LOGGED_SKIPS = 10;

    private DatasetReader() {}

    /**
     * What a dataset gave.
     *
     * @param events all events, sorted by event time (UTC); ties keep file order, and within a row a
     *     ClickEvent comes before the row's DwellEvent
     * @param rows data rows read (header not counted), skipped ones included
     * @param skipped the rows that gave no event (no user id, unparseable time or number, too few
     *     columns, ...), by reason
     */
    public record Result(List<ReplayEvent> events, long rows, SkippedRows skipped) {
        /** Number of skipped rows. */
        public long skippedRows() {
            return skipped.total();
        }

        /** Number of ClickEvents. */
        public long clicks() {
            return events.stream().filter(e -> !e.isDwell()).count();
        }

        /** Number of DwellEvents. */
        public long dwells() {
            return events.stream().filter(ReplayEvent::isDwell).count();
        }
    }

    /**
     * Reads and sorts all events of the dataset. A row that gives no event is skipped and counted
     * with its reason ({@link SkippedRows}), the first few logged (WARN); whether that is acceptable
     * is for the caller to judge ({@link SkippedRows#check}, as {@link DatasetReplay} does).
     *
     * @throws IOException when the file cannot be read or is not valid CSV (the message names the
     *     file and the row)
     * @throws IllegalArgumentException when the options do not fit the file: a named kind's header
     *     lacks a required column, or the csv column or event-type mapping is invalid
     */
    public static Result read(ReplayOptions opts) throws IOException {
        if (opts.dataset.kind() == DatasetKind.SNOWPLOW) {
            throw new IllegalArgumentException("a snowplow dataset gives enriched lines, not events: read it with "
                    + SnowplowRows.class.getSimpleName());
        }
        checkLayout(opts);
        String fileName = opts.dataset.path().getFileName().toString();
        Events events = new Events(fileName, opts.timeZoneField());

        List<ReplayEvent> out = new ArrayList<>();
        SkippedRows skipped = new SkippedRows();
        long rows = 0;
        try (Reader in = Files.newBufferedReader(opts.dataset.path(), StandardCharsets.UTF_8);
                CSVParser parser = open(opts, in)) {
            RowMapper mapper = mapper(opts, events, parser.getHeaderNames());
            Iterator<CSVRecord> records = parser.iterator();
            while (true) {
                long rowNumber = rows + 1;
                CSVRecord row = next(records, e -> parseError(opts, rowNumber, parser.getCurrentLineNumber(), e));
                if (row == null) {
                    break;
                }
                rows++;
                try {
                    out.addAll(inTimeRange(mapper.map(row, row.getRecordNumber())));
                } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
                    SkipReason reason = SkipReason.of(e);
                    skipped.add(row.getRecordNumber(), reason, e.getMessage());
                    if (skipped.total() <= LOGGED_SKIPS) {
                        LOG.warn(
                                "{}: skipped row {} ({}): {}",
                                fileName,
                                row.getRecordNumber(),
                                reason.label(),
                                e.getMessage());
                    }
                }
            }
        }
        if (skipped.total() > 0) {
            LOG.warn("{}: skipped {} of {} rows: {}", fileName, skipped.total(), rows, skipped.describe());
        }
        out.sort(Comparator.comparing(ReplayEvent::eventTime)); // stable: ties keep file order
        return new Result(out, rows, skipped);
    }

    /**
     * As {@link #read}, then accepts the result ({@link SkippedRows#check}): at most {@code
     * --max-skipped} skipped rows, and at least one event.
     *
     * @throws SkippedRows.RejectedDatasetException naming the file and its first skipped rows
     */
    public static Result readAccepted(ReplayOptions opts) throws IOException {
        Result r = read(opts);
        r.skipped()
                .check(
                        opts.dataset.path().getFileName().toString(),
                        r.rows(),
                        r.events().size(),
                        opts.rows.maxSkipped);
        return r;
    }

    /**
     * The row's events, checked before any is sent: an event time must fit epoch milliseconds in a
     * long (the records' timestamp-millis), else encoding it would fail in the middle of a replay.
     *
     * @throws RowSkipped ({@link SkipReason#BAD_TIME}) for an event time out of that range
     */
    private static List<ReplayEvent> inTimeRange(List<ReplayEvent> events) {
        for (ReplayEvent e : events) {
            try {
                e.eventTime().toEpochMilli();
            } catch (ArithmeticException tooFar) {
                throw new RowSkipped(
                        SkipReason.BAD_TIME,
                        "event time " + e.eventTime() + " is beyond the range of event times",
                        tooFar);
            }
        }
        return events;
    }

    /**
     * @return the next record of {@code records}, or null at the end
     * @throws IOException made by {@code error} from the CSV reader's exception when the next record
     *     cannot be parsed (Commons CSV throws unchecked exceptions from its iterator)
     */
    static CSVRecord next(Iterator<CSVRecord> records, Function<RuntimeException, IOException> error)
            throws IOException {
        try {
            return records.hasNext() ? records.next() : null;
        } catch (UncheckedIOException | IllegalStateException e) {
            throw error.apply(e);
        }
    }

    /** A parse error of the CSV reader, as an IOException naming file, row and line, with a hint on quoting. */
    private static IOException parseError(ReplayOptions opts, long row, long line, Exception e) {
        Throwable cause = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        boolean quoting = opts.dataset.kind() != DatasetKind.CSV || opts.rows.quoteOrNull() != null;
        return new IOException(
                opts.dataset.path().getFileName() + ": cannot parse "
                        + (row <= 0 ? "the header row" : "row " + row + " (line " + line + " or the lines before it)")
                        + ": "
                        + cause.getMessage()
                        + (quoting
                                ? "; a field that starts with a quote character is read as a quoted field up to its closing quote"
                                        + (opts.dataset.kind() == DatasetKind.CSV
                                                ? ": for a file without quoting give --quote none"
                                                : "")
                                : ""),
                cause);
    }

    /**
     * Checks that the options fit the dataset file, reading only its header and first row, so that a
     * mismatch is a usage error before anything starts: a named kind's header has its columns; for
     * {@code csv}, the column and event-type mapping is valid and its columns exist (in the header,
     * or without one in the first row).
     *
     * @throws IOException when the file cannot be read or is not valid CSV
     * @throws IllegalArgumentException saying what does not fit, and which option or header to change;
     *     for an empty file (no header row, no data row), that it is empty
     */
    public static void checkLayout(ReplayOptions opts) throws IOException {
        if (opts.dataset.kind() == DatasetKind.SNOWPLOW) {
            SnowplowRows.checkLayout(opts.dataset.path());
            return;
        }
        String fileName = opts.dataset.path().getFileName().toString();
        try (Reader in = Files.newBufferedReader(opts.dataset.path(), StandardCharsets.UTF_8);
                CSVParser parser = open(opts, in)) {
            List<String> header = parser.getHeaderNames();
            Iterator<CSVRecord> rows = parser.iterator();
            CSVRecord first = null;
            if (header.isEmpty()) {
                first = next(rows, e -> parseError(opts, 1, parser.getCurrentLineNumber(), e));
                if (first == null) {
                    throw new IllegalArgumentException(fileName + " is empty: no header row and no data rows");
                }
            }
            RowMapper mapper = mapper(opts, new Events(fileName, opts.timeZoneField()), header);
            List<String> missing = new ArrayList<>(mapper.requiredColumns());
            missing.removeAll(header);
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException(
                        fileName + " is not " + opts.dataset.kind().cliName() + ": no column " + missing
                                + (header.isEmpty() ? "" : "; its header: " + String.join(", ", header)));
            }
            if (mapper instanceof CsvRows csv) {
                if (!header.isEmpty()) {
                    csv.checkWidth(fileName + "'s header has " + header.size() + " columns", header.size(), true);
                } else {
                    // the first row may lack a trailing --explode column: an empty list, not a layout error
                    csv.checkWidth(fileName + "'s first row has " + first.size() + " columns", first.size(), false);
                }
            }
        }
    }

    /** A parser on the file's text; a header that does not parse is an IOException naming the file. */
    private static CSVParser open(ReplayOptions opts, Reader in) throws IOException {
        try {
            return format(opts).parse(in);
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            throw parseError(opts, 0, 1, e);
        }
    }

    /**
     * The CSV format of the dataset: a header row except for {@code csv --no-header}; {@code
     * --separator} and {@code --quote} for {@code csv}.
     */
    private static CSVFormat format(ReplayOptions opts) {
        boolean csv = opts.dataset.kind() == DatasetKind.CSV;
        CSVFormat.Builder format = CSVFormat.DEFAULT.builder();
        if (csv) {
            format.setDelimiter(opts.separator).setQuote(opts.rows.quoteOrNull());
        }
        if (!csv || opts.header) {
            format.setHeader().setSkipHeaderRecord(true);
        }
        return format.get();
    }

    private static RowMapper mapper(ReplayOptions opts, Events events, List<String> headerNames) {
        return switch (opts.dataset.kind()) {
            case EBNERD_HISTORY -> EbnerdRows.history(events, TimeParser.of(TimeParser.ISO, opts.timeZone));
            case EBNERD_BEHAVIORS -> EbnerdRows.behaviors(events, TimeParser.of(TimeParser.ISO, opts.timeZone));
            case REES46 -> new Rees46Rows(events);
            case CSV -> new CsvRows(opts, events, TimeParser.of(opts.timeFormat, opts.timeZone), headerNames);
            case SNOWPLOW -> throw new IllegalStateException("snowplow is read by SnowplowRows");
        };
    }
}
