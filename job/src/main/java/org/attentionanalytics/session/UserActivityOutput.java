package org.attentionanalytics.session;

import org.attentionanalytics.avro.AttentionAlert;
import org.attentionanalytics.avro.DailyAttentionReport;
import org.attentionanalytics.avro.ErasureConfirmation;
import org.attentionanalytics.avro.FocusBlockReport;
import org.attentionanalytics.avro.PageView;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.internal.InterestVectorUpdate;
import org.attentionanalytics.avro.internal.ItemSignal;
import org.attentionanalytics.avro.internal.TrendContribution;

/**
 * What {@link UserActivityProcessor} needs from the runtime it runs in: where its records go, its
 * counters, the processing-time clock, and the one timer an erasure cancels. The Flink adapter
 * ({@link UserActivityFunction}) maps these to the main output, side outputs, metrics and the
 * timer service; tests may collect them in lists.
 */
public interface UserActivityOutput {
    /** A session record (DESIGN.md section 4): the main output. */
    void summary(SessionSummary summary);

    /** A page-view record (DESIGN.md section 5). */
    void pageView(PageView view);

    /** An interest vector, or an erased user's tombstone ({@code vector} null). */
    void vector(InterestVectorUpdate update);

    /** An alert that passed the age check (DESIGN.md section 7). */
    void alert(AttentionAlert alert);

    /** A daily report (DESIGN.md section 8). */
    void report(DailyAttentionReport report);

    /** The report of a focus-block occurrence (DESIGN.md section 13). */
    void blockReport(FocusBlockReport report);

    /** A user's bounded contribution to an hour's topic trends (DESIGN.md section 9). */
    void contribution(TrendContribution contribution);

    /** The confirmation of an erasure (DESIGN.md section 9). */
    void erasure(ErasureConfirmation confirmation);

    /**
     * What the recommendations learn about the user (DESIGN.md section 12): views, purchases,
     * sessions that ended, the erasure. Ignored unless recommendations are on.
     */
    default void itemSignal(ItemSignal signal) {}

    /** @return whether {@link #itemSignal} keeps anything: when not, no signal is built (the per-event path) */
    default boolean wantsItemSignals() {
        return false;
    }

    /** Adds {@code n} to the counter {@code metric}, one of {@code PipelineCounters}' names. */
    void count(String metric, long n);

    /** The subtask's open sessions changed by {@code delta} (the {@code openSessions} gauge). */
    void openSessions(long delta);

    /** The user's registered event-time timer at {@code time} (ms) is no longer wanted. */
    void deleteTimer(long time);

    /** @return the processing-time clock, ms since the epoch */
    long processingTime();
}
