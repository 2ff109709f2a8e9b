package org.attentionanalytics.replay;

import java.util.List;
import org.apache.commons.csv.CSVRecord;

/** Turns one CSV row of a dataset into its events, in the row's own order (a click before its dwell). */
interface RowMapper {

    /** Header names the file must have; checked once before the first row. */
    List<String> requiredColumns();

    /**
     * The row's events.
     *
     * @param rowNumber 1-based data row (header not counted), for event ids
     * @throws IllegalArgumentException for a malformed row (also {@link java.time.DateTimeException}
     *     or {@link ArithmeticException}): the reader skips and counts it
     */
    List<ReplayEvent> map(CSVRecord row, long rowNumber);
}
