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
    String fileName = opts.dataset.path().getFileName().toString();
    Events events = new Events(fileName, opts.timeZoneField());
    boolean csv = opts.dataset.kind() == DatasetKind.CSV;
    CSVFormat.Builder format = CSVFormat.DEFAULT.builder();
    if (csv) {
      format.setDelimiter(opts.separator);
    }
    if (!csv || opts.header) {
      format.setHeader().setSkipHeaderRecord(true);
    }

    List<ReplayEvent> out = new ArrayList<>();
    long rows = 0;
    long skipped = 0;
    try (Reader in = Files.newBufferedReader(opts.dataset.path(), StandardCharsets.UTF_8);
        CSVParser parser = format.get().parse(in)) {
      RowMapper mapper = mapper(opts, events, parser.getHeaderNames());
      List<String> missing = new ArrayList<>(mapper.requiredColumns());
      missing.removeAll(parser.getHeaderNames());
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException(fileName + " is not " + opts.dataset.kind().cliName() + ": no column " + missing);
      }
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

  private static RowMapper mapper(ReplayOptions opts, Events events, List<String> headerNames) {
    return switch (opts.dataset.kind()) {
      case EBNERD_HISTORY -> EbnerdRows.history(events, TimeParser.of(TimeParser.ISO, opts.timeZone));
      case EBNERD_BEHAVIORS -> EbnerdRows.behaviors(events, TimeParser.of(TimeParser.ISO, opts.timeZone));
      case REES46 -> new Rees46Rows(events);
      case CSV -> new CsvRows(opts, events, TimeParser.of(opts.timeFormat, opts.timeZone), headerNames);
    };
  }
}
