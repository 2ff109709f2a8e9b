package org.attentionanalytics.session;

import java.util.Comparator;
import java.util.List;
import org.attentionanalytics.avro.internal.AttentionEvent;

/**
 * The order in which the per-user operator applies a user's events once the watermark has passed
 * them: event time, then kind (clicks before dwell, then control records), then event id. It makes
 * the values written independent of how the input topics interleave (DESIGN.md section 4).
 */
public final class EventOrder {
    /** Event time, then kind, then event id. */
    public static final Comparator<AttentionEvent> EVENT_ORDER = Comparator.comparingLong(AttentionEvent::getEventTime)
            .thenComparing(AttentionEvent::getKind)
            .thenComparing(AttentionEvent::getEventId);

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
