package org.attentionanalytics.common;

/**
 * Event-time arithmetic that never wraps around: any long may arrive as a time or a duration, and a
 * sum past the long range would turn a far-future deadline into a far-past one.
 */
public final class Saturating {
    private Saturating() {}

    /** @return {@code a + b}, or the nearest of {@link Long#MIN_VALUE} and {@link Long#MAX_VALUE} where it would overflow */
    public static long add(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }
}
