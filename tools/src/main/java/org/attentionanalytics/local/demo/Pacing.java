package org.attentionanalytics.local.demo;

import java.util.Random;

/**
 * Pauses between a user's sessions, chosen for a target rate. A pause is short (3-28 min, below
 * the 30 min inactivity gap) with probability {@value #SHORT_SHARE}, else 31 min plus an
 * exponential extra whose mean sets the long-run rate: users * records per session / (mean session
 * + mean pause).
 *
 * @param longPauseExtraMeanMs mean of the exponential part of a long pause, ms
 * @param meanPauseMs mean of all pauses, ms
 * @param activeShare long-run share of users in a session
 */
record Pacing(double longPauseExtraMeanMs, double meanPauseMs, double activeShare) {
    static final double SHORT_SHARE = 0.45;
    static final long SHORT_MIN_MS = 3 * 60_000L;
    static final long SHORT_MAX_MS = 28 * 60_000L;
    static final long LONG_MIN_MS = 31 * 60_000L;
    /** Natural mean of the exponential part of a long pause. */
    static final double NATURAL_EXTRA_MS = 45 * 60_000.0;
    /**
     * Records per session, noise included: fitted, with {@link #MEAN_SESSION_MS}, to the rates of
     * 24-hour simulations of 500 users with mean pauses of 24, 49 and 120 min (the mix of short,
     * long and skimming sessions makes these effective values, not plain means).
     */
    static final double RECORDS_PER_SESSION = 108;
    /** Effective mean session length, ms, fitted with {@link #RECORDS_PER_SESSION}. */
    static final double MEAN_SESSION_MS = 17.4 * 60_000;

    private static final double SHORT_MEAN_MS = SHORT_SHARE * (SHORT_MIN_MS + SHORT_MAX_MS) / 2;

    /** @param target records per second over all users, 0 for the natural rate */
    static Pacing of(int users, double target) {
        double extra = NATURAL_EXTRA_MS;
        if (target > 0) {
            double meanPause = users * RECORDS_PER_SESSION / target * 1000 - MEAN_SESSION_MS;
            extra = Math.max(0, (meanPause - SHORT_MEAN_MS) / (1 - SHORT_SHARE) - LONG_MIN_MS);
        }
        double meanPause = meanPause(extra);
        return new Pacing(extra, meanPause, MEAN_SESSION_MS / (MEAN_SESSION_MS + meanPause));
    }

    /** @return the highest long-run rate pauses allow (long pauses of exactly 31 min), records per second */
    static double maxRate(int users) {
        return of(users, Double.MAX_VALUE).rate(users);
    }

    /** @return the expected long-run rate, records per second */
    double rate(int users) {
        return users * RECORDS_PER_SESSION / (MEAN_SESSION_MS + meanPauseMs) * 1000;
    }

    /** @return a random pause, ms */
    long pause(Random r) {
        return r.nextDouble() < SHORT_SHARE
                ? SHORT_MIN_MS + (long) (r.nextDouble() * (SHORT_MAX_MS - SHORT_MIN_MS))
                : LONG_MIN_MS + (long) (-Math.log(1 - r.nextDouble()) * longPauseExtraMeanMs);
    }

    private static double meanPause(double extraMs) {
        return SHORT_MEAN_MS + (1 - SHORT_SHARE) * (LONG_MIN_MS + extraMs);
    }
}
