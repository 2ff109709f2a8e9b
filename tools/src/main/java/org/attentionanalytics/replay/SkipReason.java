package org.attentionanalytics.replay;

import java.time.DateTimeException;
import java.util.Locale;

/**
 * Why a dataset row gave no event. Every skipped row is counted under one reason (see {@link
 * SkippedRows}); the names in lower case ({@link #label()}) are the keys of the replay's summary
 * line and of {@code summary.json}.
 */
public enum SkipReason {
    /** No user id: the field is empty or one of {@code --null-values}. */
    NO_USER,
    /** The event time does not parse with the format ({@code --time-format} for csv). */
    BAD_TIME,
    /** A number (dwell time, scroll depth, ...) does not parse. */
    BAD_NUMBER,
    /** The row has fewer fields than a mapped column needs. */
    MISSING_COLUMN,
    /** Anything else the row lacks, e.g. a DWELL row without dwell_ms. */
    INVALID;

    /** The reason's name in lower case, e.g. {@code no_user}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The reason of a mapper's exception: its own for {@link RowSkipped}, else by the exception's type. */
    static SkipReason of(RuntimeException e) {
        if (e instanceof RowSkipped skipped) {
            return skipped.reason();
        }
        if (e instanceof DateTimeException) {
            return BAD_TIME;
        }
        if (e instanceof NumberFormatException || e instanceof ArithmeticException) {
            return BAD_NUMBER;
        }
        return INVALID;
    }
}
