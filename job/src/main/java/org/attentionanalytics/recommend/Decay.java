package org.attentionanalytics.recommend;

import org.attentionanalytics.avro.internal.DecayedCount;

/**
 * Exponential decay in event time: a count halves every half-life H. Values are kept either at a
 * time ({@link DecayedCount}: value at {@code time}) or relative to a reference time R (a value v
 * at time t stored as {@code v * 2^((t - R)/H)}), which makes adding a contribution O(1) and ratios
 * of values stored against the same R decay-free. Adding in any order gives the same sum.
 */
public final class Decay {
    /** Move R forward once an exponent passes this many half-lives (2^32 is far from overflow). */
    public static final double REBASE_HALF_LIVES = 32;

    private Decay() {}

    /** @return {@code 2^((t - reference) / halfLifeMs)}: multiply a value at {@code t} by it to store it against {@code reference} */
    public static double toReference(long t, long reference, long halfLifeMs) {
        return Math.pow(2, (double) (t - reference) / halfLifeMs);
    }

    /** @return whether a value at {@code t} is too far from {@code reference} to be stored against it */
    public static boolean needsRebase(long t, long reference, long halfLifeMs) {
        return Math.abs((double) (t - reference) / halfLifeMs) > REBASE_HALF_LIVES;
    }

    /** @return a count of {@code value} at {@code time} */
    public static DecayedCount count(double value, long time) {
        return DecayedCount.newBuilder().setValue(value).setTime(time).build();
    }

    /** @return the value of {@code c} at {@code t}, for {@code t} not before its time (0 for null) */
    public static double valueAt(DecayedCount c, long t, long halfLifeMs) {
        return c == null ? 0 : c.getValue() * Math.pow(2, -(double) (t - c.getTime()) / halfLifeMs);
    }

    /** Adds {@code amount} at {@code t} to {@code c}, whose time becomes the later of the two. */
    public static void add(DecayedCount c, double amount, long t, long halfLifeMs) {
        if (t >= c.getTime()) {
            c.setValue(valueAt(c, t, halfLifeMs) + amount);
            c.setTime(t);
        } else {
            c.setValue(c.getValue() + amount * Math.pow(2, -(double) (c.getTime() - t) / halfLifeMs));
        }
    }
}
