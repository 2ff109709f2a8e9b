package org.attentionanalytics.session;

import java.io.Serializable;
import java.util.Set;
import org.attentionanalytics.avro.EventType;

/**
 * How one user's events become sessions, views and engaged time (DESIGN.md sections 2 and 5): the
 * inactivity gap, the session cap, the allowed lateness, gap inference, heartbeat counting and the
 * engaged-session rule. Immutable; {@link #defaults} gives the job's defaults for a gap and a
 * lateness, the {@code with...} methods change one part.
 *
 * @param gapMs inactivity gap, ms (default 30 min)
 * @param maxDurationMs session cap, ms (default 12 h)
 * @param latenessMs allowed lateness, ms: how long a closed session stays in state
 * @param inferFromGaps {@code dwell.infer-from-gaps}: engaged time from the gap to the next event
 * @param heartbeatMs heartbeat bucket of page pings, ms ({@code --heartbeat}, default 10 s)
 * @param minVisitMs engaged time of a view's first heartbeat bucket, ms ({@code --min-visit},
 *     default 5 s)
 * @param engaged the engaged-session rule; a session that is not engaged is a bounce
 * @param mode {@code --sessions}: by the inactivity gap, or by the tracker's session id
 */
public record SessionRules(
        long gapMs,
        long maxDurationMs,
        long latenessMs,
        boolean inferFromGaps,
        long heartbeatMs,
        long minVisitMs,
        EngagedRule engaged,
        SessionMode mode)
        implements Serializable {

    /** Snowplow's dbt web model default heartbeat: 10 s. */
    public static final long DEFAULT_HEARTBEAT_MS = 10_000L;
    /** Snowplow's dbt web model default minimum visit length: 5 s. */
    public static final long DEFAULT_MIN_VISIT_MS = 5_000L;
    /** Default session cap: 12 h. */
    public static final long DEFAULT_MAX_DURATION_MS = 12 * 3_600_000L;

    public SessionRules {
        if (heartbeatMs <= 0) {
            throw new IllegalArgumentException("heartbeat must be positive");
        }
        if (minVisitMs < 0) {
            throw new IllegalArgumentException("min-visit must not be negative");
        }
        if (mode == null) {
            throw new IllegalArgumentException("mode must be given");
        }
    }

    /** The defaults for this gap, cap and lateness: no gap inference, 10 s heartbeat, 5 s min visit, GA4's rule. */
    public static SessionRules defaults(long gapMs, long maxDurationMs, long latenessMs) {
        return new SessionRules(
                gapMs,
                maxDurationMs,
                latenessMs,
                false,
                DEFAULT_HEARTBEAT_MS,
                DEFAULT_MIN_VISIT_MS,
                EngagedRule.GA4,
                SessionMode.GAP);
    }

    public SessionRules withInferFromGaps(boolean on) {
        return new SessionRules(gapMs, maxDurationMs, latenessMs, on, heartbeatMs, minVisitMs, engaged, mode);
    }

    public SessionRules withHeartbeat(long heartbeat, long minVisit) {
        return new SessionRules(gapMs, maxDurationMs, latenessMs, inferFromGaps, heartbeat, minVisit, engaged, mode);
    }

    public SessionRules withEngaged(EngagedRule rule) {
        return new SessionRules(gapMs, maxDurationMs, latenessMs, inferFromGaps, heartbeatMs, minVisitMs, rule, mode);
    }

    public SessionRules withMode(SessionMode m) {
        return new SessionRules(gapMs, maxDurationMs, latenessMs, inferFromGaps, heartbeatMs, minVisitMs, engaged, m);
    }

    /** @return whether sessions follow the tracker's session id ({@code --sessions client}) */
    public boolean clientSessions() {
        return mode == SessionMode.CLIENT;
    }

    /**
     * The engaged-session rule: a session is engaged when its engaged time is above (or, {@code
     * inclusive}, at least) {@code minEngagedMs}, or it has at least {@code minViews} views, or it
     * holds a conversion event; otherwise it is a bounce. {@link #GA4} is Google Analytics 4's
     * definition ("lasts longer than 10 seconds, has a key event, or has at least 2 page views").
     *
     * <p>Snowplow's dbt web model counts a session as engaged with 2 or more page views or engaged
     * time of at least its {@code engaged_time} threshold: {@code new EngagedRule(2, threshold, true,
     * Set.of())} (the job options {@code --engaged.*} build any rule).
     *
     * @param minViews views that make a session engaged (0: views never do)
     * @param minEngagedMs engaged time threshold, ms
     * @param inclusive whether engaged time equal to the threshold counts
     * @param conversions ClickEvent types that make a session engaged
     */
    public record EngagedRule(int minViews, long minEngagedMs, boolean inclusive, Set<EventType> conversions)
            implements Serializable {
        /** GA4: engaged time above 10 s, or 2 views or more, or a PURCHASE. */
        public static final EngagedRule GA4 = new EngagedRule(2, 10_000L, false, Set.of(EventType.PURCHASE));

        public EngagedRule {
            if (minViews < 0) {
                throw new IllegalArgumentException("minViews must not be negative: " + minViews);
            }
            if (minEngagedMs < 0) {
                throw new IllegalArgumentException("minEngagedMs must not be negative: " + minEngagedMs);
            }
            conversions = Set.copyOf(conversions);
        }

        /** @return whether a session with these values is engaged */
        public boolean engaged(int views, long engagedMs, boolean conversion) {
            boolean longEnough = inclusive ? engagedMs >= minEngagedMs : engagedMs > minEngagedMs;
            return longEnough || (minViews > 0 && views >= minViews) || conversion;
        }
    }
}
