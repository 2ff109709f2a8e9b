package org.attentionanalytics.session;

import java.util.List;
import org.attentionanalytics.avro.PageView;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.internal.SessionState;
import org.attentionanalytics.avro.internal.ViewState;

/**
 * Where {@link SessionTracker} and the session engines ({@link EngagedTime}, {@link PageViews})
 * send their results: session and page-view records, and the signals the other engines use.
 */
public interface SessionListener {
    /** A session record to write (OPEN, CLOSED or SUPERSEDED). */
    void summary(SessionSummary summary);

    /** A new session started. */
    default void started() {}

    /** A new session started: {@code session} (already in the user's sessions); calls {@link #started()}. */
    default void started(SessionState session) {
        started();
    }

    /** {@code +1}: a session closed; {@code -1}: a closed session reopened or was superseded. */
    default void closedDelta(int delta) {}

    /** A session was merged into an earlier one. */
    default void superseded() {}

    /**
     * An interest signal of DESIGN.md section 6 at event time {@code t}: {@code amount} shared by
     * {@code topics} (dictionary indexes) in proportion to {@code shares} (empty: equally).
     */
    default void signal(List<Integer> topics, List<Double> shares, double amount, long t) {}

    /** The event had no topics (inline, from the catalog, or of the view its dwell belongs to). */
    default void noTopics() {}

    /**
     * A view started (a VIEW event, or a dwell event that stands for a view of its own), already
     * in {@code session}'s views. For the attention metrics (DESIGN.md section 7).
     */
    default void viewStarted(SessionState session, ViewState view) {}

    /**
     * Engaged time added to a view at event time {@code t}: {@code ms} (capped) on top of {@code
     * before} ms the view had. {@code topics} and {@code shares} are the view's (or, for a view
     * without topics, the dwell event's own). Also called for engaged time inferred from gaps.
     */
    default void engaged(List<Integer> topics, List<Double> shares, long before, long ms, long t) {}

    /** A page-view record to write ({@link PageViews}). */
    default void pageView(PageView view) {}
}
