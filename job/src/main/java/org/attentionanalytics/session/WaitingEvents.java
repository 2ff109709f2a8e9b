package org.attentionanalytics.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.PriorityQueue;
import org.attentionanalytics.avro.internal.AttentionEvent;

/**
 * Events ahead of the watermark held on the heap of the per-user operator until the watermark
 * passes them ({@link UserActivityOperator}), per user in {@link EventOrder#EVENT_ORDER},
 * with a queue of each user's earliest event time so that a watermark finds the users it makes due
 * without scanning the others. Not state: the operator writes what is still here into the keyed
 * state ({@value UserStateDescriptors#PENDING_STATE_NAME}) before every checkpoint barrier, so a
 * restore never depends on it. Used by the task thread only.
 */
final class WaitingEvents {
    /** One user's waiting events, in event order, and the time the queue holds for them. */
    private static final class Waiting {
        final List<AttentionEvent> events = new ArrayList<>();
        long queuedAt;
    }

    private record Due(long time, String user) {}

    private final HashMap<String, Waiting> byUser = new HashMap<>();
    /** Each user's earliest waiting event time; stale entries (the user moved on) are skipped. */
    private final PriorityQueue<Due> queue = new PriorityQueue<>((a, b) -> Long.compare(a.time, b.time));

    private int size;

    /** @return the number of waiting events, all users */
    int size() {
        return size;
    }

    /** Adds {@code e} (event time ms, UTC) to {@code user}'s waiting events. */
    void add(String user, AttentionEvent e) {
        Waiting w = byUser.get(user);
        if (w == null) {
            w = new Waiting();
            byUser.put(user, w);
            w.queuedAt = e.getEventTime();
            queue.add(new Due(e.getEventTime(), user));
        } else if (e.getEventTime() < w.queuedAt) {
            w.queuedAt = e.getEventTime();
            queue.add(new Due(e.getEventTime(), user));
        }
        EventOrder.insert(w.events, e);
        size++;
    }

    /**
     * @return a user with a waiting event at or before {@code watermark} (ms), earliest first, or
     *     null when there is none; take the events with {@link #takeUpTo}
     */
    String nextDue(long watermark) {
        while (!queue.isEmpty() && queue.peek().time <= watermark) {
            Due d = queue.poll();
            Waiting w = byUser.get(d.user);
            if (w != null && w.queuedAt == d.time) {
                return d.user;
            }
        }
        return null;
    }

    /**
     * Removes and returns {@code user}'s waiting events at or before {@code watermark} (ms), in
     * event order; the later ones keep waiting.
     */
    List<AttentionEvent> takeUpTo(String user, long watermark) {
        Waiting w = byUser.get(user);
        if (w == null) {
            return List.of();
        }
        int n = 0;
        while (n < w.events.size() && w.events.get(n).getEventTime() <= watermark) {
            n++;
        }
        if (n == w.events.size()) {
            return takeAll(user);
        }
        List<AttentionEvent> due = new ArrayList<>(w.events.subList(0, n));
        w.events.subList(0, n).clear();
        size -= n;
        w.queuedAt = w.events.get(0).getEventTime();
        queue.add(new Due(w.queuedAt, user));
        return due;
    }

    /** @return {@code user}'s waiting events in event order, not removed (empty if none; do not change) */
    List<AttentionEvent> peek(String user) {
        Waiting w = byUser.get(user);
        return w == null ? List.of() : w.events;
    }

    /** Removes and returns all of {@code user}'s waiting events, in event order (empty if none). */
    List<AttentionEvent> takeAll(String user) {
        Waiting w = byUser.remove(user);
        if (w == null) {
            return List.of();
        }
        size -= w.events.size();
        return w.events;
    }

    /** @return the users with waiting events (a copy: take their events while iterating it) */
    List<String> users() {
        return new ArrayList<>(byUser.keySet());
    }

    /** Forgets everything (the operator wrote it to state). */
    void clear() {
        byUser.clear();
        queue.clear();
        size = 0;
    }
}
