package org.attentionanalytics.session;

import java.util.Comparator;
import java.util.List;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;

/**
 * The order in which the per-user operator applies a user's events once the watermark has passed
 * them: event time; at equal times settings first (a budget or focus blocks apply to the events of
 * their own time, DESIGN.md sections 2 and 13), then by kind (clicks before dwell, an erasure
 * after the events of its time), then event id. It makes the values written independent of how the
 * input topics interleave (DESIGN.md section 4).
 */
public final class EventOrder {
    /** Event time, then settings first, then kind, then event id. */
    public static final Comparator<AttentionEvent> EVENT_ORDER = Comparator.comparingLong(AttentionEvent::getEventTime)
            .thenComparing(e -> !isSetting(e))
            .thenComparing(AttentionEvent::getKind)
            .thenComparing(AttentionEvent::getEventId);

    /** @return whether {@code e} is a budget or focus-blocks record: a setting in force from its time on */
    static boolean isSetting(AttentionEvent e) {
        return e.getKind() == EventKind.BUDGET || e.getKind() == EventKind.FOCUS_BLOCKS;
    }

    private EventOrder() {}

    /** Inserts {@code e} into {@code pending}, kept in {@link #EVENT_ORDER} (searching from the end: most arrive in order). */
    public static void insert(List<AttentionEvent> pending, AttentionEvent e) {
        int at = pending.size();
        while (at > 0 && EVENT_ORDER.compare(pending.get(at - 1), e) > 0) {
            at--;
        }
        pending.add(at, e);
    }
}
