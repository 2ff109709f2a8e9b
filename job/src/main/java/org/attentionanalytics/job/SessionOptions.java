package org.attentionanalytics.job;

import java.time.Duration;
import org.attentionanalytics.session.SessionRules;
import picocli.CommandLine.Option;

/**
 * The job's options of how events become sessions, views and engaged time (DESIGN.md sections 2
 * and 5): the inactivity gap, the session cap, heartbeat counting, gap inference and the
 * engaged-session rule. {@link JobOptions} extends it; {@link #sessionRules} turns it into the
 * engines' {@link SessionRules}.
 */
public class SessionOptions extends IoOptions {
    private static final long serialVersionUID = 1L;

    // ---- Sessions (DESIGN.md section 5) ----
    @Option(
            names = "--inactivity-gap",
            defaultValue = "30 min",
            converter = JobOptions.DurationConverter.class,
            description =
                    "A gap between events of this length or more starts a new session (GA4 and Snowplow default). Default: ${DEFAULT-VALUE}")
    public Duration inactivityGap;

    @Option(
            names = "--max-session-duration",
            defaultValue = "12 h",
            converter = JobOptions.DurationConverter.class,
            description =
                    "An event this long or more after the session start starts a new session. Default: ${DEFAULT-VALUE}")
    public Duration maxSessionDuration;

    @Option(
            names = "--heartbeat",
            defaultValue = "10 s",
            converter = JobOptions.DurationConverter.class,
            description =
                    "Heartbeat bucket of page pings (HEARTBEAT events): each new bucket of a view after its first adds this much engaged time (Snowplow's dbt web model default). Default: ${DEFAULT-VALUE}")
    public Duration heartbeat;

    @Option(
            names = "--min-visit",
            defaultValue = "5 s",
            converter = JobOptions.DurationConverter.class,
            description =
                    "Engaged time of a view's first heartbeat bucket: the tracker's minimum visit length before its first page ping (Snowplow's default). Default: ${DEFAULT-VALUE}")
    public Duration minVisit;

    @Option(
            names = "--dwell.infer-from-gaps",
            defaultValue = "false",
            description =
                    "For sources without dwell: a view's engaged time is the time to the user's next event in the session, capped at 30 min; the last view gets 0.")
    public boolean dwellInferFromGaps;

    /** @return the engines' session rules from these options and the allowed lateness */
    public SessionRules sessionRules(Duration allowedLateness) {
        return SessionRules.defaults(
                        inactivityGap.toMillis(), maxSessionDuration.toMillis(), allowedLateness.toMillis())
                .withHeartbeat(heartbeat.toMillis(), minVisit.toMillis())
                .withInferFromGaps(dwellInferFromGaps);
    }
}
