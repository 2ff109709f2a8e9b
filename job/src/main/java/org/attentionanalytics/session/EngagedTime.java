package org.attentionanalytics.session;

import java.util.List;
import org.attentionanalytics.avro.internal.SessionState;
import org.attentionanalytics.avro.internal.ViewState;
import org.attentionanalytics.interest.InterestVectors;

/**
 * Engaged time of a session's views (DESIGN.md section 5): a DwellEvent covering {@code [t - dwell,
 * t]}, capped at {@link #DWELL_CAP_MS}, belongs to the latest view of its item at or before its
 * interval start; without one it stands for a view of its own (a synthetic view), which a view
 * arriving later takes over. With {@code dwell.infer-from-gaps} a view with no dwell is engaged
 * until the next event. Plain Java on {@link SessionState}; each share of engaged time also goes to
 * the listener as attention ({@code engaged}) and as an interest signal.
 */
final class EngagedTime {
    /** Cap of one DwellEvent's contribution to engaged time: 30 min. */
    static final long DWELL_CAP_MS = 30 * 60_000L;

    private EngagedTime() {}

    /**
     * Adds a dwell of {@code dwellMs} ending at {@code t} (ms) for {@code item} (its hash; 0: none)
     * to session {@code s}; {@code topics} and {@code shares} are the dwell's own, used when its view
     * has none.
     */
    static void addDwell(
            SessionState s,
            long item,
            List<Integer> topics,
            List<Double> shares,
            long dwellMs,
            long t,
            SessionTracker.Listener out) {
        long engaged = Math.min(dwellMs, DWELL_CAP_MS);
        s.setEngagedMs(s.getEngagedMs() + engaged);
        long intervalStart = t - dwellMs;
        ViewState owner = item == 0 ? null : latestView(s.getViews(), item, intervalStart, null);
        long before = 0;
        if (owner != null) {
            before = owner.getEngagedMs();
            owner.setEngagedMs(before + engaged);
            if (!owner.getTopics().isEmpty()) {
                topics = owner.getTopics();
                shares = owner.getTopicWeights();
            }
        } else {
            ViewState own = new ViewState(intervalStart, item, topics, shares, engaged, true, false);
            insertView(s, own);
            out.viewStarted(s, own);
        }
        out.engaged(topics, shares, before, engaged, t);
        signal(topics, shares, InterestVectors.dwellSignal(before, before + engaged), t, out);
    }

    /** {@code dwell.infer-from-gaps}: the views at the session's latest event time end at {@code t}. */
    static void inferFromGap(SessionState s, long t, SessionTracker.Listener out) {
        List<ViewState> views = s.getViews();
        for (int i = views.size() - 1; i >= 0 && views.get(i).getTime() >= s.getEnd(); i--) {
            ViewState v = views.get(i);
            if (v.getTime() != s.getEnd() || v.getSynthetic()) {
                continue;
            }
            long engaged = Math.min(t - v.getTime(), DWELL_CAP_MS);
            long before = v.getEngagedMs();
            v.setEngagedMs(before + engaged);
            s.setEngagedMs(s.getEngagedMs() + engaged);
            out.engaged(v.getTopics(), v.getTopicWeights(), before, engaged, t);
            signal(v.getTopics(), v.getTopicWeights(), InterestVectors.dwellSignal(before, before + engaged), t, out);
        }
    }

    /** A signal for the interest vector, or {@code noTopics} when the event has none. */
    static void signal(List<Integer> topics, List<Double> shares, double amount, long t, SessionTracker.Listener out) {
        if (topics.isEmpty()) {
            out.noTopics();
        } else {
            out.signal(topics, shares, amount, t);
        }
    }

    private static ViewState latestView(List<ViewState> views, long item, long atOrBefore, ViewState except) {
        for (int i = views.size() - 1; i >= 0; i--) {
            ViewState v = views.get(i);
            if (v != except && v.getItem() == item && v.getTime() <= atOrBefore) {
                return v;
            }
        }
        return null;
    }

    /** @return true when the view went to the end (the in-order case) */
    static boolean insertView(SessionState s, ViewState v) {
        List<ViewState> views = s.getViews();
        int at = views.size();
        while (at > 0 && views.get(at - 1).getTime() > v.getTime()) {
            at--;
        }
        views.add(at, v);
        return at == views.size() - 1;
    }

    /** Gives each synthetic view's dwell to an earlier view of its item, where one now exists. */
    static void foldSyntheticViews(SessionState s) {
        List<ViewState> views = s.getViews();
        for (int i = 0; i < views.size(); i++) {
            ViewState v = views.get(i);
            if (v.getSynthetic() && v.getItem() != 0) {
                ViewState owner = latestView(views, v.getItem(), v.getTime(), v);
                if (owner != null) {
                    owner.setEngagedMs(owner.getEngagedMs() + v.getEngagedMs());
                    views.remove(i--);
                }
            }
        }
    }
}
