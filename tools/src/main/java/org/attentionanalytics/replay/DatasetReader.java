package org.attentionanalytics.replay;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
     * @param skippedRows malformed rows that gave no event (unparseable time or number, empty user
     *     id, too few columns, ...)
     */
    public record Result(List<ReplayEvent> events, long rows, long skippedRows) {
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
     * Reads and sorts all events of the dataset. Malformed rows are skipped, counted and the first
     * few logged (WARN); they are never fatal.
     *
     * @throws IOException when the file cannot be read or is not valid CSV
     * @throws IllegalArgumentException when the options do not fit the file: a named kind's header
     *     lacks a required column, or the csv column or event-type mapping is invalid
     */
    public static Result read(ReplayOptions opts) throws IOException {
        checkLayout(opts);
        String fileName = opts.dataset.path().getFileName().toString();
        Events events = new Events(fileName, opts.timeZoneField());

        List<ReplayEvent> out = new ArrayList<>();
        long rows = 0;
        long skipped = 0;
        try (Reader in = Files.newBufferedReader(opts.dataset.path(), StandardCharsets.UTF_8);
                CSVParser parser = format(opts).parse(in)) {
            RowMapper mapper = mapper(opts, events, parser.getHeaderNames());
            for (CSVRecord row : parser) {
                rows++;
                try {
                    out.addAll(mapper.map(row, row.getRecordNumber()));
                } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
                    skipped++;
                    if (skipped <= LOGGED_SKIPS) {
                        LOG.warn("{}: skipped malformed row {}: {}", fileName, row.getRecordNumber(), e.toString());
                    }
                }
            }
        }
        if (skipped > 0) {
            LOG.warn("{}: skipped {} malformed rows of {}", fileName, skipped, rows);
        }
        out.sort(Comparator.comparing(ReplayEvent::eventTime)); // stable: ties keep file order
        return new Result(out, rows, skipped);
    }

    /**
     * Checks that the options fit the dataset file, reading only its header and first row, so that a
     * mismatch is a usage error before anything starts: a named kind's header has its columns; for
     * {@code csv}, the column and event-type mapping is valid and its columns exist (in the header,
     * or without one in the first row).
     *
     * @throws IOException when the file cannot be read or is not valid CSV
     * @throws IllegalArgumentException saying what does not fit, and which option or header to change
     */
    public static void checkLayout(ReplayOptions opts) throws IOException {
        String fileName = opts.dataset.path().getFileName().toString();
        try (Reader in = Files.newBufferedReader(opts.dataset.path(), StandardCharsets.UTF_8);
                CSVParser parser = format(opts).parse(in)) {
            List<String> header = parser.getHeaderNames();
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
                    csv.checkWidth(fileName + "'s header has " + header.size() + " columns", header.size());
                } else {
                    java.util.Iterator<CSVRecord> rows = parser.iterator();
                    if (rows.hasNext()) {
                        int width = rows.next().size();
                        csv.checkWidth(fileName + "'s first row has " + width + " columns", width);
                    }
                }
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause(); // commons-csv reports bad CSV in the first row as unchecked
        }
    }

    /** The CSV format of the dataset: a header row except for {@code csv --no-header}, {@code --separator} for {@code csv}. */
    private static CSVFormat format(ReplayOptions opts) {
        boolean csv = opts.dataset.kind() == DatasetKind.CSV;
        CSVFormat.Builder format = CSVFormat.DEFAULT.builder();
        if (csv) {
            format.setDelimiter(opts.separator);
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
        };
    }
}
