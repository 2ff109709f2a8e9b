package org.attentionanalytics.attention;

import org.attentionanalytics.avro.internal.ViewTally;

/**
 * The sequence measures of a stretch of time (a local day, a focus-block occurrence; DESIGN.md
 * section 13), on a {@link ViewTally}: views started, context switches (a view whose category
 * differs from the previous view's), interruptions (distraction-class views) and the longest focus
 * run. Times are epoch ms.
 *
 * <p>A focus run starts at the first activity of a focus-class view and extends over the activity
 * of focus and neutral views that follows (a view's start, and engaged time covering {@code [t -
 * ms, t]}). A distraction view ends it at its start; a break ends it at its last activity, a break
 * being an uncovered stretch of at least the break gap of section 7 (5 min) before the next
 * activity. Its elapsed time is end minus start. Dwell arrives at its end, after the next view's
 * start: engaged time that reaches back to within the break gap of a run a break seemed to end
 * joins that run again (as {@link ContinuousUse} joins stretches), so arrival order at equal times
 * does not split a run.
 */
final class ViewSequence {
    /** No time: event times are never negative (the door refuses them), and -1 takes one byte in state. */
    static final long NONE = -1L;

    private ViewSequence() {}

    /** @return an empty tally */
    static ViewTally empty() {
        return ViewTally.newBuilder().build();
    }

    /** A view of category index {@code category} and class {@code cls} started at {@code t}. */
    static void viewStarted(ViewTally v, int category, CategoryClass cls, long t, long breakGapMs) {
        v.setViews(v.getViews() + 1);
        if (v.getLastCategory() >= 0 && v.getLastCategory() != category) {
            v.setSwitches(v.getSwitches() + 1);
        }
        v.setLastCategory(category);
        if (cls == CategoryClass.DISTRACTION) {
            v.setInterruptions(v.getInterruptions() + 1);
            if (open(v)) {
                close(v, t - v.getRunLast() < breakGapMs ? t : v.getRunLast());
            }
            v.setBrokenStart(NONE);
            v.setBrokenLast(NONE);
        } else {
            extend(v, cls, t, t, breakGapMs);
        }
    }

    /** Engaged time covering {@code [from, t]} of a view of class {@code cls}. */
    static void engaged(ViewTally v, CategoryClass cls, long from, long t, long breakGapMs) {
        if (cls != CategoryClass.DISTRACTION) {
            extend(v, cls, from, t, breakGapMs);
        }
    }

    /** @return the longest run so far, the open one included, ms */
    static long longestRunMs(ViewTally v) {
        return Math.max(v.getLongestRunMs(), open(v) ? v.getRunLast() - v.getRunStart() : 0);
    }

    private static void extend(ViewTally v, CategoryClass cls, long from, long t, long breakGapMs) {
        if (v.getBrokenStart() != NONE && from - v.getBrokenLast() < breakGapMs) {
            v.setRunStart(v.getBrokenStart()); // no break after all: the run goes on from its start
            v.setRunLast(Math.max(v.getBrokenLast(), open(v) ? v.getRunLast() : t));
            v.setBrokenStart(NONE);
            v.setBrokenLast(NONE);
        } else if (open(v) && from - v.getRunLast() >= breakGapMs) {
            v.setBrokenStart(v.getRunStart());
            v.setBrokenLast(v.getRunLast());
            close(v, v.getRunLast());
        }
        if (open(v)) {
            v.setRunLast(Math.max(v.getRunLast(), t));
        } else if (cls == CategoryClass.FOCUS) {
            v.setRunStart(from);
            v.setRunLast(t);
        }
    }

    private static boolean open(ViewTally v) {
        return v.getRunStart() != NONE;
    }

    private static void close(ViewTally v, long end) {
        v.setLongestRunMs(Math.max(v.getLongestRunMs(), end - v.getRunStart()));
        v.setRunStart(NONE);
        v.setRunLast(NONE);
    }
}
