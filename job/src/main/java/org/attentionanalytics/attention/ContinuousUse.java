package org.attentionanalytics.attention;

import java.io.Serializable;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.AttentionState;
import org.attentionanalytics.avro.internal.EventKind;

/**
 * Continuous use of one user, {@code continuous_ms} of DESIGN.md section 7: the current stretch of
 * covered time (an event's time, or a dwell interval {@code [t - dwell_ms, t]}), as in
 * ActivityWatch's AFK model, where activity intervals merge unless a break of {@code --break-gap}
 * separates them. Kept in the {@code stretch_*}, {@code prev_stretch_*} and {@code *break_alerted}
 * fields of {@link AttentionState}; times in epoch ms.
 */
final class ContinuousUse implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long breakGapMs;

    ContinuousUse(AttentionSettings settings) {
        this.breakGapMs = settings.breakGapMs();
    }

    /** Covers what event {@code e} covers: its time, or for dwell the interval it was read in. */
    void cover(AttentionState a, AttentionEvent e) {
        long t = e.getEventTime();
        cover(a, e.getKind() == EventKind.DWELL ? t - Math.max(0, e.getDwellMs()) : t, t);
    }

    /**
     * Covers {@code [lo, hi]}. An interval {@code --break-gap} or more after the stretch's end starts
     * a new stretch (a break: TAKE_A_BREAK may fire again); one that reaches back to within the gap
     * of the previous stretch joins the two again (a dwell interval arrives at its end, after a click
     * that seemed to open a break), keeping the previous stretch's alert; a late interval a break
     * before the current stretch changes nothing.
     */
    void cover(AttentionState a, long lo, long hi) {
        if (a.getStretchEnd() == Long.MIN_VALUE || lo - a.getStretchEnd() >= breakGapMs) {
            a.setPrevStretchStart(a.getStretchStart());
            a.setPrevStretchEnd(a.getStretchEnd());
            a.setPrevBreakAlerted(a.getBreakAlerted());
            a.setStretchStart(lo);
            a.setStretchEnd(hi);
            a.setBreakAlerted(false);
            return;
        }
        if (a.getStretchStart() - hi >= breakGapMs) {
            return;
        }
        if (lo < a.getStretchStart()) {
            a.setStretchStart(lo);
            if (a.getPrevStretchEnd() != Long.MIN_VALUE && lo - a.getPrevStretchEnd() < breakGapMs) {
                a.setStretchStart(Math.min(lo, a.getPrevStretchStart()));
                a.setBreakAlerted(a.getBreakAlerted() || a.getPrevBreakAlerted());
                a.setPrevStretchEnd(Long.MIN_VALUE);
                a.setPrevStretchStart(Long.MIN_VALUE);
            }
        }
        a.setStretchEnd(Math.max(a.getStretchEnd(), hi));
    }

    /** @return the length of the current stretch of use without a break, ms (0 without state) */
    static long continuousMs(AttentionState a) {
        return a == null || a.getStretchEnd() == Long.MIN_VALUE ? 0 : a.getStretchEnd() - a.getStretchStart();
    }
}
