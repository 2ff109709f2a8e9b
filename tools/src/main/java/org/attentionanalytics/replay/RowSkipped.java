package org.attentionanalytics.replay;

/**
 * Thrown by a {@link RowMapper} for a row that gives no event, with the reason it is counted under.
 * An {@link IllegalArgumentException}, as the mappers' other row errors.
 */
final class RowSkipped extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final SkipReason reason;

    RowSkipped(SkipReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    RowSkipped(SkipReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    SkipReason reason() {
        return reason;
    }
}
