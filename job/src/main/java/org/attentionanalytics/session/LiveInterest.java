package org.attentionanalytics.session;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.InterestVector;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.InterestState;
import org.attentionanalytics.avro.internal.SessionState;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.avro.internal.ViewState;
import org.attentionanalytics.common.Hashes;
import org.attentionanalytics.interest.InterestVectors;
import org.attentionanalytics.interest.VectorRecord;

/**
 * The live interest vector of DESIGN.md section 6: the settled vector (what the watermark has
 * applied, in {@link UserState#getInterest()}) plus the signals of the user's events still waiting
 * for the watermark, both decayed to the latest event time known. A waiting event's signal is
 * estimated from what is known at the time (section 6's signals):
 *
 * <ul>
 *   <li>a CLICK: its type weight, shared by its own topics;
 *   <li>a DWELL: {@code log2(1 + (E0 + d)/10) - log2(1 + E0/10)} with {@code d} its engaged ms
 *       (capped at 30 min, clipped at its view's start) and {@code E0} its view's engaged ms so far
 *       (settled, plus the earlier waiting events of the same view);
 *   <li>a HEARTBEAT: the same with {@code d} the min-visit for its view's first bucket, the
 *       heartbeat for a later new bucket, nothing for a bucket already counted;
 * </ul>
 * a dwell or heartbeat takes its view's topics (a waiting VIEW of its view id or item, else the
 * settled one), else its own. The estimate does not de-duplicate, split sessions or infer dwell
 * from gaps: where those change a signal, the settled (final) vector differs and the next live
 * record, once the watermark has applied the events, carries the settled value. Read only: the
 * state is not changed.
 */
final class LiveInterest implements Serializable {
    private static final long serialVersionUID = 1L;

    private final SessionRules rules;
    private final double halfLifeMs;

    /**
     * @param rules the session rules (heartbeat and min-visit)
     * @param halfLifeMs half-life H of the decay, ms
     */
    LiveInterest(SessionRules rules, long halfLifeMs) {
        this.rules = rules;
        this.halfLifeMs = halfLifeMs;
    }

    /** A view known to the estimate: a settled one (its engaged ms so far) or a waiting VIEW. */
    private static final class LiveView {
        final String viewId;
        final String itemId;
        final long time;
        final List<String> topics;
        final List<Double> shares;
        long engagedMs;
        final List<Long> pingBuckets;

        LiveView(
                String viewId,
                String itemId,
                long time,
                List<String> topics,
                List<Double> shares,
                long engagedMs,
                List<Long> pingBuckets) {
            this.viewId = viewId;
            this.itemId = itemId;
            this.time = time;
            this.topics = topics;
            this.shares = shares;
            this.engagedMs = engagedMs;
            this.pingBuckets = pingBuckets;
        }
    }

    /**
     * @param st the user's settled value (not changed)
     * @param waiting the user's events ahead of the watermark, in event order
     * @return the live vector, as of the latest event time among the settled vector and the waiting
     *     events; null when the user has no topic yet
     */
    InterestVector estimate(UserState st, String user, List<AttentionEvent> waiting) {
        InterestState settled = st.getInterest();
        long asOf = settled == null ? Long.MIN_VALUE : settled.getAsOf();
        for (AttentionEvent e : waiting) {
            if (e.getKind() == EventKind.CLICK
                    || e.getKind() == EventKind.DWELL
                    || e.getKind() == EventKind.HEARTBEAT) {
                asOf = Math.max(asOf, e.getEventTime()); // not a waiting budget's or erasure's time
            }
        }
        Map<String, Double> weights = new HashMap<>();
        long counted = 0;
        if (settled != null) {
            double factor = Math.pow(2, (settled.getReferenceTime() - asOf) / halfLifeMs);
            List<String> dictionary = st.getTopicDictionary();
            for (int i = 0; i < settled.getTopics().size(); i++) {
                weights.merge(
                        dictionary.get(settled.getTopics().get(i)),
                        settled.getWeights().get(i) * factor,
                        Double::sum);
            }
            counted = settled.getEventsCounted();
        }
        List<LiveView> views = new ArrayList<>();
        Map<ViewState, LiveView> settledViews = new IdentityHashMap<>();
        for (AttentionEvent e : waiting) {
            double signal;
            List<String> topics = e.getTopics();
            List<Double> shares = e.getTopicWeights();
            if (e.getKind() == EventKind.CLICK) {
                signal = InterestVectors.clickSignal(e.getEventType());
                if (e.getEventType() == EventType.VIEW) {
                    views.add(new LiveView(
                            e.getViewId(), e.getItemId(), e.getEventTime(), topics, shares, 0, new ArrayList<>()));
                }
            } else if (e.getKind() == EventKind.DWELL || e.getKind() == EventKind.HEARTBEAT) {
                LiveView view = owner(st, views, settledViews, e);
                long t = e.getEventTime();
                long before = view.engagedMs;
                long engaged;
                if (e.getKind() == EventKind.HEARTBEAT) {
                    boolean first = view.pingBuckets.isEmpty();
                    engaged = !HeartbeatBuckets.add(view.pingBuckets, HeartbeatBuckets.bucket(t, rules.heartbeatMs()))
                            ? 0
                            : first ? rules.minVisitMs() : rules.heartbeatMs();
                } else {
                    engaged = Math.max(0, Math.min(Math.min(e.getDwellMs(), EngagedTime.DWELL_CAP_MS), t - view.time));
                }
                view.engagedMs += engaged;
                signal = InterestVectors.dwellSignal(before, before + engaged);
                if (!view.topics.isEmpty()) {
                    topics = view.topics;
                    shares = view.shares;
                }
            } else {
                continue;
            }
            if (signal > 0 && !topics.isEmpty()) {
                add(weights, topics, shares, signal * Math.pow(2, (e.getEventTime() - asOf) / halfLifeMs));
                counted++;
            }
        }
        return VectorRecord.of(user, asOf, weights, counted);
    }

    /** A signal shared by {@code topics} in proportion to {@code shares} (empty: equal shares). */
    private static void add(Map<String, Double> weights, List<String> topics, List<Double> shares, double amount) {
        double[] fractions = InterestVectors.fractions(topics.size(), shares);
        for (int i = 0; i < topics.size(); i++) {
            weights.merge(topics.get(i), amount * fractions[i], Double::sum);
        }
    }

    /**
     * The view of a waiting dwell or heartbeat: the latest waiting VIEW of its view id, else of its
     * item (without another view id); else the settled view {@link PageViews#owner} gives in the
     * latest session that starts at or before it; else a view of its own (no engaged time yet).
     */
    private LiveView owner(
            UserState st, List<LiveView> views, Map<ViewState, LiveView> settledViews, AttentionEvent e) {
        for (int i = views.size() - 1; i >= 0; i--) {
            LiveView v = views.get(i);
            boolean sameId = e.getViewId() != null && e.getViewId().equals(v.viewId);
            boolean sameItem = e.getItemId() != null
                    && e.getItemId().equals(v.itemId)
                    && (e.getViewId() == null || v.viewId == null);
            if ((sameId || sameItem) && v.time <= e.getEventTime()) {
                return v;
            }
        }
        SessionState session = null;
        for (SessionState s : st.getSessions()) {
            if (s.getStart() <= e.getEventTime()) {
                session = s;
            }
        }
        if (session != null) {
            long item = e.getItemId() == null ? 0 : Hashes.fnv64(e.getItemId());
            ViewState settled = PageViews.owner(session.getViews(), e.getViewId(), item, e.getEventTime(), null);
            if (settled != null) {
                return settledViews.computeIfAbsent(settled, v -> fromSettled(st, v));
            }
        }
        long start = e.getKind() == EventKind.HEARTBEAT ? e.getEventTime() : e.getEventTime() - e.getDwellMs();
        LiveView own = new LiveView(
                e.getViewId(), e.getItemId(), start, e.getTopics(), e.getTopicWeights(), 0, new ArrayList<>());
        views.add(own);
        return own;
    }

    private static LiveView fromSettled(UserState st, ViewState v) {
        List<String> topics = new ArrayList<>(v.getTopics().size());
        for (int i : v.getTopics()) {
            topics.add(st.getTopicDictionary().get(i));
        }
        return new LiveView(
                v.getViewId(),
                v.getItemId(),
                v.getTime(),
                topics,
                v.getTopicWeights(),
                v.getEngagedMs(),
                new ArrayList<>(v.getPingBuckets()));
    }
}
