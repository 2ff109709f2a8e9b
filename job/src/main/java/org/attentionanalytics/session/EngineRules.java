package org.attentionanalytics.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.attentionanalytics.attention.AttentionTracker;
import org.attentionanalytics.avro.AlertType;
import org.attentionanalytics.avro.AttentionAlert;
import org.attentionanalytics.avro.DailyAttentionReport;
import org.attentionanalytics.avro.FocusBlockReport;
import org.attentionanalytics.avro.InterestVector;
import org.attentionanalytics.avro.PageView;
import org.attentionanalytics.avro.RecommendationMode;
import org.attentionanalytics.avro.SessionStatus;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.TopicWeight;
import org.attentionanalytics.avro.internal.InterestVectorUpdate;
import org.attentionanalytics.avro.internal.ItemSignal;
import org.attentionanalytics.avro.internal.ItemSignalKind;
import org.attentionanalytics.avro.internal.SessionState;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.avro.internal.ViewState;
import org.attentionanalytics.common.Hashes;
import org.attentionanalytics.interest.InterestVectors;
import org.attentionanalytics.pipeline.PipelineCounters;
import org.attentionanalytics.privacy.TrendContributions;

/**
 * The rules that connect one user's engines while {@link UserActivityProcessor} applies an event:
 * a closed session updates the attention metrics and emits the interest vector as of its end; a
 * superseded one is taken out of the metrics; a started view or engaged time feeds the attention
 * metrics and the hour's topic-trend contribution; a signal feeds the interest vector. Records and
 * counters go to the {@link UserActivityOutput}; an alert older than {@code alerts.max-age} in
 * processing time is counted and not sent (DESIGN.md section 7).
 */
final class EngineRules implements SessionListener, AttentionTracker.Output {
    private final UserState st;
    private final String user;
    private final UserActivityOutput out;
    private final AttentionTracker attention;
    private final InterestVectors interest;
    private final TrendContributions trends;
    private final Map<String, Integer> categoryIndex;
    private final long gapMs;

    /** Top topics a MODE signal carries: a FOCUSED list keeps items of these. */
    static final int TOP_TOPICS = 3;

    EngineRules(
            UserState st,
            String user,
            UserActivityOutput out,
            AttentionTracker attention,
            InterestVectors interest,
            TrendContributions trends,
            Map<String, Integer> categoryIndex,
            long gapMs) {
        this.st = st;
        this.user = user;
        this.out = out;
        this.attention = attention;
        this.interest = interest;
        this.trends = trends;
        this.categoryIndex = categoryIndex;
        this.gapMs = gapMs;
    }

    UserActivityOutput out() {
        return out;
    }

    @Override
    public void summary(SessionSummary summary) {
        out.summary(summary);
        if (summary.getStatus() == SessionStatus.CLOSED) {
            long end = summary.getEnd().toEpochMilli();
            long closedAt = end + gapMs; // the recommendations hear of the close then: the watermark passed end
            for (SessionState s : st.getSessions()) {
                if (s.getSessionId().equals(summary.getSessionId())) {
                    attention.sessionClosed(st, s);
                    engagedTimes(s, closedAt);
                }
            }
            vector(interest.onSessionClosed(st, user, end), closedAt);
            itemSignal(ItemSignalKind.SESSION_CLOSED, closedAt, summary.getSessionId(), null);
        } else if (summary.getStatus() == SessionStatus.SUPERSEDED) {
            attention.sessionSuperseded(st, summary.getStart().toEpochMilli());
            itemSignal(
                    ItemSignalKind.SESSION_SUPERSEDED,
                    summary.getEnd().toEpochMilli() + gapMs,
                    summary.getSessionId(),
                    null);
        }
    }

    @Override
    public void pageView(PageView view) {
        out.pageView(view);
    }

    @Override
    public void viewStarted(SessionState session, ViewState view) {
        attention.viewStarted(st, user, session, view, this);
        if (!view.getSynthetic()
                && view.getItemId() != null
                && !view.getItemId().isBlank()) {
            itemSignal(ItemSignalKind.VIEW, view.getTime(), session.getSessionId(), view.getItemId(), topicsOf(view));
        }
    }

    /**
     * A closed session's views with an item, each as an ENGAGED signal with its engaged time at the
     * close, {@code t}: the items' mean engaged times (DESIGN.md section 12).
     */
    private void engagedTimes(SessionState session, long t) {
        if (!out.wantsItemSignals()) {
            return;
        }
        for (ViewState v : session.getViews()) {
            if (!v.getSynthetic() && v.getItemId() != null && !v.getItemId().isBlank()) {
                out.itemSignal(ItemSignal.newBuilder()
                        .setUser(user)
                        .setKind(ItemSignalKind.ENGAGED)
                        .setTime(t)
                        .setSessionId(session.getSessionId())
                        .setItemId(v.getItemId())
                        .setEngagedMs(v.getEngagedMs())
                        .build());
            }
        }
    }

    /** @return the view's topics as strings (they are indexes into the user's topic dictionary) */
    private List<String> topicsOf(ViewState view) {
        List<String> topics = new ArrayList<>(view.getTopics().size());
        for (int i : view.getTopics()) {
            topics.add(st.getTopicDictionary().get(i));
        }
        return topics;
    }

    /** A signal for the recommendations (DESIGN.md section 12). */
    void itemSignal(ItemSignalKind kind, long time, String sessionId, String itemId) {
        itemSignal(kind, time, sessionId, itemId, List.of());
    }

    private void itemSignal(ItemSignalKind kind, long time, String sessionId, String itemId, List<String> topics) {
        if (!out.wantsItemSignals()) {
            return;
        }
        out.itemSignal(ItemSignal.newBuilder()
                .setUser(user)
                .setKind(kind)
                .setTime(time)
                .setSessionId(sessionId)
                .setItemId(itemId)
                .setTopics(topics)
                .build());
    }

    /**
     * After an event at {@code t}, with the {@code mode} the user's attention now calls for: when it
     * changed, or while FOCUSED the top topics did, or the categories whose daily budget is spent
     * did, a MODE signal with the mode, (FOCUSED) the top topics and the spent categories (DESIGN.md
     * section 12).
     */
    void modeAfter(long t, RecommendationMode mode) {
        if (!out.wantsItemSignals()) {
            return;
        }
        List<String> top = List.of();
        if (mode == RecommendationMode.FOCUSED) {
            top = InterestVectors.topTopics(st, TOP_TOPICS);
        }
        List<String> spent = attention.spentCategories(st, t);
        long hash = 0;
        if (!top.isEmpty() || !spent.isEmpty()) {
            List<String> sorted = new ArrayList<>(top);
            sorted.sort(null);
            String told = String.join("\n", sorted);
            // without spent categories the hash is the top topics' alone, as before budgets were told
            hash = Hashes.fnv64(spent.isEmpty() ? told : told + "\u0001" + String.join("\n", spent));
        }
        if (attention.tellRecommendations(st, mode, hash)) {
            out.itemSignal(ItemSignal.newBuilder()
                    .setUser(user)
                    .setKind(ItemSignalKind.MODE)
                    .setTime(t)
                    .setMode(mode.name())
                    .setTopTopics(top)
                    .setSpentCategories(spent)
                    .build());
        }
    }

    @Override
    public void engaged(List<Integer> topics, List<Double> shares, long before, long ms, long t) {
        attention.engaged(st, user, topics, shares, before, ms, t, this);
    }

    @Override
    public void started(SessionState session) {
        started();
        attention.sessionStarted(st, session);
    }

    /**
     * A view started or engaged time in {@code category} at {@code t}: the user's bounded
     * contribution to the hour's topic trends. Categories outside the rules' fixed set (none, as the
     * rules map every topic into it) are not counted.
     */
    @Override
    public void contribution(String category, long t, long engagedMs, int views) {
        Integer index = categoryIndex.get(category);
        if (index == null) {
            return;
        }
        if (views > 0) {
            trends.viewed(st, index, t);
        }
        if (engagedMs > 0) {
            trends.engaged(st, index, t, engagedMs);
        }
    }

    @Override
    public void alert(AttentionAlert alert) {
        long maxAge = attention.settings().maxAgeMs();
        if (maxAge > 0 && alert.getEventTime().toEpochMilli() < out.processingTime() - maxAge) {
            out.count(PipelineCounters.ALERTS_SUPPRESSED_AGE, 1);
            return;
        }
        out.count(PipelineCounters.alerts(alert.getType()), 1);
        out.alert(alert);
    }

    @Override
    public void optedOut(AlertType type) {
        out.count(PipelineCounters.ALERTS_OPTED_OUT, 1);
    }

    @Override
    public void capped(AlertType type) {
        out.count(PipelineCounters.ALERTS_CAPPED, 1);
    }

    @Override
    public void blockReport(FocusBlockReport report) {
        out.count(PipelineCounters.FOCUS_BLOCK_REPORTS, 1);
        out.blockReport(report);
    }

    @Override
    public void report(DailyAttentionReport report) {
        out.count(PipelineCounters.DAILY_REPORTS, 1);
        out.report(report);
    }

    /**
     * Emits a vector the interest engine produced (null: none) and tells the recommendations
     * (INTERESTS) that it is in force from {@code t}, event time ms, never behind the watermark.
     */
    void vector(InterestVector v, long t) {
        if (v == null) {
            return;
        }
        out.count(PipelineCounters.INTEREST_VECTORS, 1);
        out.vector(InterestVectorUpdate.newBuilder().setUser(user).setVector(v).build());
        if (out.wantsItemSignals()) {
            List<String> topics = new ArrayList<>(v.getTop().size());
            List<Double> weights = new ArrayList<>(v.getTop().size());
            for (TopicWeight w : v.getTop()) {
                topics.add(w.getTopic());
                weights.add(w.getWeight());
            }
            out.itemSignal(ItemSignal.newBuilder()
                    .setUser(user)
                    .setKind(ItemSignalKind.INTERESTS)
                    .setTime(t)
                    .setTopTopics(topics)
                    .setTopWeights(weights)
                    .build());
        }
    }

    @Override
    public void signal(List<Integer> topics, List<Double> shares, double amount, long t) {
        interest.addSignal(st, topics, shares, amount, t);
    }

    @Override
    public void noTopics() {
        out.count(PipelineCounters.UNKNOWN_TOPIC_EVENTS, 1);
    }

    @Override
    public void started() {
        out.count(PipelineCounters.SESSIONS_STARTED, 1);
        out.openSessions(1);
    }

    @Override
    public void closedDelta(int delta) {
        out.count(PipelineCounters.SESSIONS_CLOSED, delta);
        out.openSessions(-delta);
    }

    @Override
    public void superseded() {
        out.count(PipelineCounters.SESSIONS_SUPERSEDED, 1);
        out.openSessions(-1);
    }
}
