package org.attentionanalytics.evaluate;

import java.time.Instant;
import java.util.Comparator;

/**
 * One page view of the ground truth (a line of {@code attention-page-views.jsonl}, DESIGN.md
 * section 5): who viewed which item, in which session, from when.
 *
 * @param user the pseudonym
 * @param session the {@code session_id}
 * @param viewId the {@code view_id}
 * @param item the {@code item_id}
 * @param start the view's start (event time)
 */
public record View(String user, String session, String viewId, String item, Instant start) {
    /**
     * The evaluation's global time order: by start, ties by user then view id. Restricted to one
     * user it is the user's order (start, then view id).
     */
    public static final Comparator<View> TIME_ORDER =
            Comparator.comparing(View::start).thenComparing(View::user).thenComparing(View::viewId);
}
