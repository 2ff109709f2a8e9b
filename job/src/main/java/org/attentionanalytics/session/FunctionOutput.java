package org.attentionanalytics.session;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.attentionanalytics.avro.AttentionAlert;
import org.attentionanalytics.avro.DailyAttentionReport;
import org.attentionanalytics.avro.ErasureConfirmation;
import org.attentionanalytics.avro.FocusBlockReport;
import org.attentionanalytics.avro.PageView;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.InterestVectorUpdate;
import org.attentionanalytics.avro.internal.ItemSignal;
import org.attentionanalytics.avro.internal.TrendContribution;
import org.attentionanalytics.pipeline.PipelineCounters;
import org.attentionanalytics.pipeline.SideOutputs;

/**
 * The processor's output in one call of {@link UserActivityFunction}: the main output (session
 * summaries) and the side outputs of {@link SideOutputs}, metrics, timers. An erasure's tombstone
 * also goes to the live topic when live vectors are on, and its user is noted for the operator.
 */
final class FunctionOutput implements UserActivityOutput {
    private final KeyedProcessFunction<String, AttentionEvent, SessionSummary>.Context ctx;
    private final Collector<SessionSummary> out;
    private final UserActivityMetrics metrics;
    private final boolean itemSignals;
    /** Users whose live tombstone went out, or null without live vectors. */
    private final List<String> liveTombstones;

    FunctionOutput(
            KeyedProcessFunction<String, AttentionEvent, SessionSummary>.Context ctx,
            Collector<SessionSummary> out,
            UserActivityMetrics metrics,
            boolean itemSignals,
            List<String> liveTombstones) {
        this.ctx = ctx;
        this.out = out;
        this.metrics = metrics;
        this.itemSignals = itemSignals;
        this.liveTombstones = liveTombstones;
    }

    @Override
    public void summary(SessionSummary summary) {
        out.collect(summary);
    }

    @Override
    public void pageView(PageView view) {
        ctx.output(SideOutputs.PAGE_VIEWS, view);
        metrics.count(PipelineCounters.PAGE_VIEW_RECORDS, 1);
    }

    @Override
    public void vector(InterestVectorUpdate update) {
        ctx.output(SideOutputs.INTEREST_VECTORS, update);
        if (update.getVector() == null && liveTombstones != null) { // an erasure: the live topic forgets the user
            ctx.output(SideOutputs.LIVE_INTEREST_VECTORS, update);
            liveTombstones.add(update.getUser());
        }
    }

    @Override
    public void alert(AttentionAlert alert) {
        ctx.output(SideOutputs.ALERTS, alert);
    }

    @Override
    public void report(DailyAttentionReport report) {
        ctx.output(SideOutputs.REPORTS, report);
    }

    @Override
    public void blockReport(FocusBlockReport report) {
        ctx.output(SideOutputs.FOCUS_BLOCK_REPORTS, report);
    }

    @Override
    public void contribution(TrendContribution contribution) {
        ctx.output(SideOutputs.TREND_CONTRIBUTIONS, contribution);
    }

    @Override
    public void itemSignal(ItemSignal signal) {
        if (itemSignals) {
            ctx.output(SideOutputs.ITEM_SIGNALS, signal);
        }
    }

    @Override
    public boolean wantsItemSignals() {
        return itemSignals;
    }

    @Override
    public void erasure(ErasureConfirmation confirmation) {
        if (itemSignals && !confirmation.getCleared().isEmpty()) { // the history only ever holds what this state did
            List<String> cleared = new ArrayList<>(confirmation.getCleared());
            cleared.add(Erasure.RECOMMENDATION_HISTORY);
            confirmation.setCleared(cleared);
        }
        ctx.output(SideOutputs.ERASURES, confirmation);
    }

    @Override
    public void count(String metric, long n) {
        metrics.count(metric, n);
    }

    @Override
    public void openSessions(long delta) {
        metrics.openSessions(delta);
    }

    @Override
    public void deleteTimer(long time) {
        ctx.timerService().deleteEventTimeTimer(time);
    }

    @Override
    public long processingTime() {
        return ctx.timerService().currentProcessingTime();
    }
}
