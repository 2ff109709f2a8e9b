package org.attentionanalytics.session;

import java.util.List;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SessionState;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.avro.internal.ViewState;
import org.attentionanalytics.interest.InterestVectors;

/**
 * Engaged time of a session's views (DESIGN.md sections 2 and 5). A dwell or heartbeat belongs to
 * the latest view of its view id, else of its item, at or before its event time ({@link
 * PageViews#owner}); without one it stands for a view of its own (a synthetic view), which a view
 * arriving later takes over.
 *
 * <ul>
 *   <li>A DWELL adds {@code dwell_ms} (the interval {@code [t - dwell, t]}), capped at {@link
 *       #DWELL_CAP_MS} and clipped at its view's start.
 *   <li>A HEARTBEAT adds by buckets ({@link HeartbeatBuckets}): {@code min-visit} for its view's
 *       first bucket, {@code heartbeat} for each later new bucket, nothing for a second ping in a
 *       bucket.
 *   <li>With {@code dwell.infer-from-gaps} a view with no dwell is engaged until the next event.
 * </ul>
 *
 * Each share of engaged time also goes to the listener as attention ({@code engaged}) and as an
 * interest signal, at the event's own time.
 */
final class EngagedTime {
    /** Cap of one DwellEvent's contribution to engaged time: 30 min. */
    static final long DWELL_CAP_MS = 30 * 60_000L;

    private EngagedTime() {}

    /**
     * Adds a DWELL or HEARTBEAT event to session {@code s}; {@code item} is its item's hash (0:
     * none), {@code topics} and {@code shares} are the event's own, used when its view has none.
     */
    static void add(
            UserState state,
            SessionState s,
            AttentionEvent e,
            long item,
            List<Integer> topics,
            List<Double> shares,
            SessionRules rules,
            SessionListener out) {
        long t = e.getEventTime();
        boolean heartbeat = e.getKind() == EventKind.HEARTBEAT;
        ViewState owner = PageViews.owner(s.getViews(), e.getViewId(), item, t, null);
        long engaged;
        long before = 0;
        if (owner == null) {
            long start = heartbeat ? t : t - e.getDwellMs();
            owner = PageViews.newView(start, item, e.getItemId(), e.getViewId(), topics, shares, true);
            owner.setRecordId(PageViews.standInRecordId(state, s, e.getViewId(), start));
            insertView(s, owner);
            out.viewStarted(s, owner);
            engaged = heartbeat ? countPing(owner, t, rules) : Math.min(e.getDwellMs(), DWELL_CAP_MS);
        } else {
            before = owner.getEngagedMs();
            engaged = heartbeat
                    ? countPing(owner, t, rules)
                    : Math.min(Math.min(e.getDwellMs(), DWELL_CAP_MS), t - owner.getTime());
            if (!owner.getTopics().isEmpty()) {
                topics = owner.getTopics();
                shares = owner.getTopicWeights();
            }
        }
        PageViews.touch(owner, t, e.getScrollDepthPct());
        owner.setEngagedMs(before + engaged);
        s.setEngagedMs(s.getEngagedMs() + engaged);
        if (engaged > 0 || !heartbeat) {
            out.engaged(topics, shares, before, engaged, t);
            signal(topics, shares, InterestVectors.dwellSignal(before, before + engaged), t, out);
        }
    }

    /** @return the engaged ms a ping at {@code t} adds to {@code v}: min-visit, heartbeat, or 0 for a counted bucket */
    private static long countPing(ViewState v, long t, SessionRules rules) {
        boolean first = v.getPingBuckets().isEmpty();
        if (!HeartbeatBuckets.add(v.getPingBuckets(), HeartbeatBuckets.bucket(t, rules.heartbeatMs()))) {
            return 0;
        }
        return first ? rules.minVisitMs() : rules.heartbeatMs();
    }

    /** {@code dwell.infer-from-gaps}: the views at the session's latest event time end at {@code t}. */
    static void inferFromGap(SessionState s, long t, SessionListener out) {
        List<ViewState> views = s.getViews();
        for (int i = views.size() - 1; i >= 0 && views.get(i).getTime() >= s.getEnd(); i--) {
            ViewState v = views.get(i);
            if (v.getTime() != s.getEnd() || v.getSynthetic()) {
                continue;
            }
            long engaged = Math.min(t - v.getTime(), DWELL_CAP_MS);
            long before = v.getEngagedMs();
            v.setEngagedMs(before + engaged);
            v.setWritten(false);
            s.setEngagedMs(s.getEngagedMs() + engaged);
            out.engaged(v.getTopics(), v.getTopicWeights(), before, engaged, t);
            signal(v.getTopics(), v.getTopicWeights(), InterestVectors.dwellSignal(before, before + engaged), t, out);
        }
    }

    /** A signal for the interest vector, or {@code noTopics} when the event has none. */
    static void signal(List<Integer> topics, List<Double> shares, double amount, long t, SessionListener out) {
        if (topics.isEmpty()) {
            out.noTopics();
        } else {
            out.signal(topics, shares, amount, t);
        }
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

    /**
     * Gives each synthetic view's engaged time, heartbeat buckets and activity to the VIEW of its
     * view id, else to an earlier view of its item ({@link PageViews#owner} at the synthetic view's
     * start), where one now exists; a synthetic view whose record went out gets a SUPERSEDED record. Buckets both views
     * counted count once: the view and the session lose what the second count added (the daily
     * time and the interest signals already given keep it: a late VIEW is the rare case).
     */
    static void foldSyntheticViews(
            UserState state, String user, SessionState s, SessionRules rules, SessionListener out) {
        List<ViewState> views = s.getViews();
        for (int i = 0; i < views.size(); i++) {
            ViewState v = views.get(i);
            if (v.getSynthetic() && (v.getItem() != 0 || v.getViewId() != null)) {
                ViewState owner = v.getViewId() == null ? null : PageViews.viewWithId(views, v.getViewId());
                if (owner == null) {
                    owner = PageViews.owner(views, v.getViewId(), v.getItem(), v.getTime(), v);
                }
                if (owner != null) {
                    long counted = pingMs(owner, rules) + pingMs(v, rules);
                    HeartbeatBuckets.addAll(owner.getPingBuckets(), v.getPingBuckets());
                    long overlap = counted - pingMs(owner, rules);
                    owner.setEngagedMs(owner.getEngagedMs() + v.getEngagedMs() - overlap);
                    s.setEngagedMs(s.getEngagedMs() - overlap);
                    PageViews.touch(owner, v.getLastActivity(), v.getMaxScrollPct());
                    PageViews.superseded(state, user, s, v, out);
                    views.remove(i--);
                }
            }
        }
    }

    /** @return the engaged ms that view {@code v}'s counted heartbeat buckets stand for */
    private static long pingMs(ViewState v, SessionRules rules) {
        return HeartbeatBuckets.engagedMs(
                HeartbeatBuckets.count(v.getPingBuckets()), rules.heartbeatMs(), rules.minVisitMs());
    }
}
