package org.attentionanalytics.session;

import java.io.Serializable;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.ClientSession;
import org.attentionanalytics.common.Saturating;

/**
 * Who a client session's events belong to, {@code --sessions client} (DESIGN.md section 5): all
 * events with one tracker session id go to the identity of the session's first event, as
 * Snowplow's models keep one user per {@code domain_sessionid} when {@code domain_userid} rotates
 * or {@code user_id} appears mid-session; an event more than {@code --max-session-duration}
 * after the session's start is a {@code BEYOND_MAX_SESSION} dead letter (Snowplow's {@code
 * snowplow__max_session_days}, 3 days: its models leave out events more than that after the
 * session's start). Plain Java;
 * {@link ClientSessionRouting} applies it in event-time order.
 *
 * @param maxDurationMs {@code --max-session-duration}, ms
 * @param gapMs {@code --inactivity-gap}, ms
 * @param latenessMs allowed lateness, ms
 */
public record ClientSessionRules(long maxDurationMs, long gapMs, long latenessMs) implements Serializable {

    /**
     * Routes {@code e} of the session {@code s} (null before its first event, or forgotten).
     *
     * @return the session after {@code e}; its {@code user} is the identity {@code e} now carries,
     *     unless {@link #beyond} says {@code e} is beyond the cap. An event at or after {@link
     *     #forgetAt} of {@code s} starts a new session (a session id used again), whether or not
     *     the state still held {@code s} when it came.
     */
    public ClientSession route(ClientSession s, AttentionEvent e) {
        long t = e.getEventTime();
        if (s == null || forgetAt(s) <= t) {
            return new ClientSession(e.getUser(), t, t);
        }
        s.setLast(Math.max(s.getLast(), t));
        s.setStart(Math.min(s.getStart(), t)); // an event beyond the cap is after the start: no change
        return s;
    }

    /** @return whether an event at {@code t} (ms) is beyond the cap of {@code s}: more than the maximum duration after its start */
    public boolean beyond(ClientSession s, long t) {
        return s != null && t < forgetAt(s) && t - s.getStart() > maxDurationMs;
    }

    /**
     * @return whether an event at {@code t} is behind {@code watermark} by more than the allowed
     *     lateness: the per-user operator refuses it ({@code TOO_LATE}), so it must not change its
     *     session (its start, its identity) on the way
     */
    public boolean tooLate(long t, long watermark) {
        return watermark != Long.MIN_VALUE && t < watermark - latenessMs;
    }

    /**
     * @return the event time (ms) from which {@code s} is forgotten: twice the maximum duration after
     *     its start, so that its events for as long again after the cap are dead letters, and once it
     *     has been quiet for the inactivity gap (a session that keeps sending beyond its cap keeps
     *     being dead-lettered), plus the allowed lateness. An event of its id after that starts a new
     *     session.
     */
    public long forgetAt(ClientSession s) {
        long remembered = Saturating.add(s.getStart(), Saturating.add(maxDurationMs, maxDurationMs));
        return Saturating.add(Math.max(remembered, Saturating.add(s.getLast(), gapMs)), latenessMs);
    }

    /** The dead letter's detail for {@code e} beyond the cap of {@code s}. */
    public String beyondDetail(ClientSession s, AttentionEvent e) {
        return "event_time " + java.time.Instant.ofEpochMilli(e.getEventTime())
                + " is more than --max-session-duration (" + java.time.Duration.ofMillis(maxDurationMs)
                + ") after its session's start " + java.time.Instant.ofEpochMilli(s.getStart());
    }
}
