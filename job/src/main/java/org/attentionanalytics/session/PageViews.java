package org.attentionanalytics.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.attentionanalytics.avro.PageView;
import org.attentionanalytics.avro.SessionStatus;
import org.attentionanalytics.avro.internal.SessionState;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.avro.internal.ViewState;
import org.attentionanalytics.common.Hashes;

/**
 * The views of a session (DESIGN.md section 5) and their {@link PageView} records on {@code
 * attention-page-views}: which view an event belongs to, whether a VIEW repeats a page-view id,
 * and when a view's record goes out. A view's record is written once the view has ended (a later
 * view of its session started, or the session closed) and again each time it changes after that:
 * status OPEN while its session is open, CLOSED once it closed, SUPERSEDED when the view was taken
 * over by another. Plain Java on {@link SessionState}.
 */
final class PageViews {
    private PageViews() {}

    /** A new view starting at {@code time} (ms), engaged time 0, not yet written. */
    static ViewState newView(
            long time,
            long item,
            String itemId,
            String viewId,
            List<Integer> topics,
            List<Double> shares,
            boolean synthetic) {
        return ViewState.newBuilder()
                .setTime(time)
                .setItem(item)
                .setItemId(itemId)
                .setViewId(viewId)
                .setTopics(topics)
                .setTopicWeights(shares)
                .setEngagedMs(0L)
                .setSynthetic(synthetic)
                .setClassified(false)
                .setLastActivity(time)
                .setMaxScrollPct(null)
                .setPingBuckets(new ArrayList<>(0))
                .setWritten(false)
                .setRecordId(null)
                .build();
    }

    /**
     * The view an event of {@code viewId} and {@code item} (hash; 0: none) at {@code t} belongs to:
     * the view with that view id (the latest at or before {@code t}, else the first after it: an id
     * names one page view whatever the clocks say); without one (or without a view id), the latest
     * view of the item at or before {@code t} that carries no other view id. Null when there is none.
     *
     * @param except a view to skip, or null
     */
    static ViewState owner(List<ViewState> views, String viewId, long item, long t, ViewState except) {
        if (viewId != null) {
            ViewState after = null;
            for (int i = views.size() - 1; i >= 0; i--) {
                ViewState v = views.get(i);
                if (v != except && viewId.equals(v.getViewId())) {
                    if (v.getTime() <= t) {
                        return v;
                    }
                    after = v;
                }
            }
            if (after != null) {
                return after;
            }
        }
        if (item == 0) {
            return null;
        }
        for (int i = views.size() - 1; i >= 0; i--) {
            ViewState v = views.get(i);
            if (v != except && v.getItem() == item && v.getTime() <= t && (viewId == null || v.getViewId() == null)) {
                return v;
            }
        }
        return null;
    }

    /** @return the VIEW (not a stand-in) of {@code views} with {@code viewId}, or null */
    static ViewState viewWithId(List<ViewState> views, String viewId) {
        for (ViewState v : views) {
            if (!v.getSynthetic() && viewId.equals(v.getViewId())) {
                return v;
            }
        }
        return null;
    }

    /**
     * A stand-in view's record id: {@code <view_id>/<start ms>} when a session of the user other than
     * {@code s} holds a view with its view id (a page left open across the inactivity gap), else null
     * (its records use the view id).
     */
    static String standInRecordId(UserState state, SessionState s, String viewId, long start) {
        if (viewId == null) {
            return null;
        }
        for (SessionState other : state.getSessions()) {
            if (other != s) {
                for (ViewState v : other.getViews()) {
                    if (viewId.equals(v.getViewId())) {
                        return viewId + "/" + start;
                    }
                }
            }
        }
        return null;
    }

    /** @return whether a VIEW with {@code viewId} repeats a view (not a synthetic one) the user's sessions hold */
    static boolean isDuplicate(UserState state, String viewId) {
        if (viewId == null) {
            return false;
        }
        for (SessionState s : state.getSessions()) {
            for (ViewState v : s.getViews()) {
                if (!v.getSynthetic() && viewId.equals(v.getViewId())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Records activity at {@code t} on view {@code v}, with its scroll depth (null: none); the view's record is stale. */
    static void touch(ViewState v, long t, Integer scrollPct) {
        v.setLastActivity(Math.max(v.getLastActivity(), t));
        if (scrollPct != null && (v.getMaxScrollPct() == null || scrollPct > v.getMaxScrollPct())) {
            v.setMaxScrollPct(scrollPct);
        }
        v.setWritten(false);
    }

    /**
     * Writes the record of every view of {@code s} that has ended and changed since its last record:
     * OPEN while {@code s} is open, CLOSED once it is closed.
     */
    static void emitEnded(UserState state, String user, SessionState s, SessionListener out) {
        List<ViewState> views = s.getViews();
        SessionStatus status = s.getClosed() ? SessionStatus.CLOSED : SessionStatus.OPEN;
        int ended = s.getClosed() ? views.size() : views.size() - 1;
        for (int i = 0; i < ended; i++) {
            ViewState v = views.get(i);
            if (!v.getWritten()) {
                out.pageView(record(state, user, s, v, status));
                v.setWritten(true);
            }
        }
    }

    /** Marks every view of {@code s} stale: their records must be written again (a new status or session id). */
    static void markAll(SessionState s) {
        for (ViewState v : s.getViews()) {
            v.setWritten(false);
        }
    }

    /** The SUPERSEDED record of a view that was written and is no longer a view of its own. */
    static void superseded(UserState state, String user, SessionState s, ViewState v, SessionListener out) {
        if (v.getWritten()) {
            out.pageView(record(state, user, s, v, SessionStatus.SUPERSEDED));
        }
    }

    /**
     * The record id of a stand-in that needs one ({@link #standInRecordId}), else the view id the
     * events gave {@code v}, else one derived from pseudonym, item, start and the
     * view's occurrence among the session's views of that item at that start without an id.
     */
    static String viewId(String user, SessionState s, ViewState v) {
        if (v.getRecordId() != null) {
            return v.getRecordId();
        }
        if (v.getViewId() != null) {
            return v.getViewId();
        }
        int occurrence = 0;
        for (ViewState o : s.getViews()) {
            if (o == v) {
                break;
            }
            if (o.getViewId() == null && o.getTime() == v.getTime() && o.getItem() == v.getItem()) {
                occurrence++;
            }
        }
        return Hashes.viewId(user, v.getItemId(), v.getTime(), occurrence);
    }

    /** The record of view {@code v} of session {@code s}. */
    static PageView record(UserState state, String user, SessionState s, ViewState v, SessionStatus status) {
        List<String> dictionary = state.getTopicDictionary();
        List<String> topics = new ArrayList<>(v.getTopics().size());
        for (int i : v.getTopics()) {
            topics.add(dictionary.get(i));
        }
        long last = Math.max(v.getTime(), v.getLastActivity());
        return PageView.newBuilder()
                .setViewId(viewId(user, s, v))
                .setSessionId(s.getSessionId())
                .setUser(user)
                .setItemId(v.getItemId())
                .setTopics(topics)
                .setStart(Instant.ofEpochMilli(v.getTime()))
                .setLastActivity(Instant.ofEpochMilli(last))
                .setEngagedMs(v.getEngagedMs())
                .setAbsoluteMs(last - v.getTime())
                .setMaxScrollPct(v.getMaxScrollPct())
                .setStatus(status)
                .build();
    }
}
