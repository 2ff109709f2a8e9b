package org.attentionanalytics.local;

import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * Prints the live run's status so that it does not bury what matters: on a terminal the status is
 * one line rewritten in place ({@code \r} and erase-to-end-of-line), elsewhere (a pipe, a log
 * file) a full line at most every {@link #PLAIN_INTERVAL_MS}; alerts and other lines given to
 * {@link #line} always stay, each on a line of its own.
 */
final class StatusPrinter {
    /** Shortest time between two status lines when the output is not a terminal: 30 s. */
    static final long PLAIN_INTERVAL_MS = 30_000;

    private static final String ERASE_TO_END = "\u001B[K";

    private final PrintWriter out;
    private final boolean inPlace;
    private final LongSupplier clockMs;
    private boolean statusShown;
    private long lastPlainAt = Long.MIN_VALUE;

    /**
     * @param inPlace rewrite the status line (a terminal: {@code System.console() != null})
     * @param clockMs the time in ms, for the interval of plain status lines
     */
    StatusPrinter(PrintWriter out, boolean inPlace, LongSupplier clockMs) {
        this.out = out;
        this.inPlace = inPlace;
        this.clockMs = clockMs;
    }

    /** Shows {@code status}: rewritten in place, or as a line if the last one is old enough. */
    void status(String status) {
        if (inPlace) {
            out.print("\r" + status + ERASE_TO_END);
            statusShown = true;
        } else {
            long now = clockMs.getAsLong();
            if (lastPlainAt == Long.MIN_VALUE || now - lastPlainAt >= PLAIN_INTERVAL_MS) {
                out.println(status);
                lastPlainAt = now;
            }
        }
        out.flush();
    }

    /** Prints a line that stays (an alert, a block of top topics), below the status line. */
    void line(String line) {
        if (statusShown) {
            out.print("\r" + ERASE_TO_END); // the status is rewritten below the line at the next tick
            statusShown = false;
        }
        out.println(line);
        out.flush();
    }

    /** Ends the status line, so that what is printed next starts on a line of its own. */
    void finish() {
        if (statusShown) {
            out.println();
            statusShown = false;
        }
        out.flush();
    }
}
