package org.attentionanalytics.attention;

import org.attentionanalytics.avro.internal.BlockOccurrence;
import org.attentionanalytics.avro.internal.BlockSpec;

/**
 * The pomodoro cadence of a focus-block occurrence (DESIGN.md section 13; Francesco Cirillo, "The
 * Pomodoro Technique": work periods of 25 minutes, a 5-minute break after each, a 15-minute break
 * after every fourth). A work period starts at the first focus-class view of the occurrence, or the
 * first one after a break or after the previous period's alert; it is due once the user's activity
 * reaches its length after that start. A break of at least the short break length (no click and
 * no engaged time covering it) before the period is due resets it; engaged time that arrives later
 * and covers the pause (dwell comes at its end) undoes the reset. Times are epoch ms.
 */
final class Pomodoro {
    private Pomodoro() {}

    /** @return whether the occurrence's block has a cadence */
    static boolean on(BlockOccurrence o) {
        return o.getSpec().getWorkMs() > 0;
    }

    /** Activity covering {@code [from, ...]} begins: a long enough uncovered stretch before it is a break. */
    static void activity(BlockOccurrence o, long from) {
        if (!on(o)) {
            return;
        }
        long gap = o.getSpec().getShortBreakMs();
        if (o.getBrokenCovered() != ViewSequence.NONE && from - o.getBrokenCovered() < gap) {
            if (o.getBrokenWorkStart() != ViewSequence.NONE) { // no break after all: the period goes on
                o.setWorkStart(o.getBrokenWorkStart());
            }
            o.setBrokenCovered(ViewSequence.NONE);
            o.setBrokenWorkStart(ViewSequence.NONE);
        } else if (o.getLastCovered() != ViewSequence.NONE && from - o.getLastCovered() >= gap) {
            o.setBrokenCovered(o.getLastCovered());
            o.setBrokenWorkStart(o.getWorkStart());
            o.setWorkStart(ViewSequence.NONE);
        }
    }

    /** A view of class {@code cls} started at {@code t}: a focus view starts a work period when none runs. */
    static void viewStarted(BlockOccurrence o, CategoryClass cls, long t) {
        if (on(o) && cls == CategoryClass.FOCUS && o.getWorkStart() == ViewSequence.NONE) {
            o.setWorkStart(t);
        }
    }

    /**
     * The activity of an event ended at {@code t}.
     *
     * @return the break now due, ms (short, or long after every {@code cycles}-th period), or 0
     */
    static long covered(BlockOccurrence o, long t) {
        o.setLastCovered(Math.max(o.getLastCovered(), t));
        BlockSpec spec = o.getSpec();
        if (!on(o) || o.getWorkStart() == ViewSequence.NONE || t - o.getWorkStart() < spec.getWorkMs()) {
            return 0;
        }
        o.setCycle(o.getCycle() + 1);
        o.setWorkStart(ViewSequence.NONE);
        o.setBrokenWorkStart(ViewSequence.NONE);
        return o.getCycle() % spec.getCycles() == 0 ? spec.getLongBreakMs() : spec.getShortBreakMs();
    }
}
