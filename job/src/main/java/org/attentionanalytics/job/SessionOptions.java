package org.attentionanalytics.job;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.session.SessionMode;
import org.attentionanalytics.session.SessionRules;
import org.attentionanalytics.session.SessionRules.EngagedRule;
import picocli.CommandLine.Option;

/**
 * The job's options of how events become sessions, views and engaged time (DESIGN.md sections 2
 * and 5): the inactivity gap, the session cap, heartbeat counting, gap inference and the
 * engaged-session rule. {@link JobOptions} extends it; {@link #sessionRules} turns it into the
 * engines' {@link SessionRules}.
 */
public class SessionOptions extends JsonMappingOptions {
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
                    "Session cap. --sessions gap: an event this long or more after the session start starts a new session; "
                            + "--sessions client: an event more than this after it is a BEYOND_MAX_SESSION dead letter "
                            + "(Snowplow's max_session_days is 3 d). Default: ${DEFAULT-VALUE}")
    public Duration maxSessionDuration;

    @Option(
            names = "--sessions",
            defaultValue = "gap",
            converter = SessionModeConverter.class,
            description =
                    "gap: sessions by the inactivity gap; client: by the tracker's session id (Snowplow domain_sessionid, "
                            + "the inputs' session_id), one identity per session, reopened after the gap until "
                            + "--max-session-duration. Default: ${DEFAULT-VALUE}")
    public SessionMode sessions;

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

    // ---- The engaged-session rule (DESIGN.md section 5): a session that is not engaged is a bounce ----
    @Option(
            names = "--engaged.min-views",
            defaultValue = "2",
            paramLabel = "N",
            description =
                    "A session with at least this many page views is engaged (GA4: 2); 0: views never make a session engaged. Default: ${DEFAULT-VALUE}")
    public int engagedMinViews;

    @Option(
            names = "--engaged.min-time",
            defaultValue = "10 s",
            converter = JobOptions.DurationConverter.class,
            description =
                    "A session with more engaged time than this (--engaged.inclusive: at least this much) is engaged (GA4: longer than 10 s). Default: ${DEFAULT-VALUE}")
    public Duration engagedMinTime;

    @Option(
            names = "--engaged.inclusive",
            defaultValue = "false",
            description =
                    "Engaged time equal to --engaged.min-time makes a session engaged too (Snowplow's >=; GA4 says longer than 10 s). Default: ${DEFAULT-VALUE}")
    public boolean engagedInclusive;

    @Option(
            names = "--engaged.conversions",
            defaultValue = "PURCHASE",
            paramLabel = "TYPES",
            description =
                    "ClickEvent event types that make a session engaged (GA4: a key event), comma-separated, e.g. PURCHASE,ADD_TO_CART; "
                            + "empty: none. Default: ${DEFAULT-VALUE}")
    public String engagedConversions;

    /** @return the engines' session rules from these options and the allowed lateness */
    public SessionRules sessionRules(Duration allowedLateness) {
        return SessionRules.defaults(
                        inactivityGap.toMillis(), maxSessionDuration.toMillis(), allowedLateness.toMillis())
                .withHeartbeat(heartbeat.toMillis(), minVisit.toMillis())
                .withInferFromGaps(dwellInferFromGaps)
                .withEngaged(engagedRule())
                .withMode(sessions);
    }

    /** picocli converter of {@code --sessions} ({@link SessionMode#parse}). */
    public static final class SessionModeConverter implements picocli.CommandLine.ITypeConverter<SessionMode> {
        @Override
        public SessionMode convert(String value) {
            return SessionMode.parse(value);
        }
    }

    /**
     * @return the engaged-session rule of the {@code --engaged.*} options
     * @throws IllegalArgumentException naming the option, for a negative value or an unknown event type
     */
    public EngagedRule engagedRule() {
        if (engagedMinViews < 0) {
            throw new IllegalArgumentException(
                    "--engaged.min-views must be 0 (views never make a session engaged) or more, not "
                            + engagedMinViews);
        }
        if (engagedMinTime.isNegative()) {
            throw new IllegalArgumentException("--engaged.min-time must not be negative, not " + engagedMinTime);
        }
        return new EngagedRule(
                engagedMinViews, engagedMinTime.toMillis(), engagedInclusive, conversions(engagedConversions));
    }

    /**
     * @param text ClickEvent event types separated by commas (any case, spaces ignored; a YAML list
     *     {@code [PURCHASE, ADD_TO_CART]} reads the same), or empty for none
     * @return the types
     * @throws IllegalArgumentException naming {@code --engaged.conversions}, the unknown name and the types
     */
    public static Set<EventType> conversions(String text) {
        String list = text == null ? "" : text.strip();
        if (list.startsWith("[") && list.endsWith("]")) {
            list = list.substring(1, list.length() - 1);
        }
        Set<EventType> types = EnumSet.noneOf(EventType.class);
        for (String name : list.split(",", -1)) {
            String n = name.strip();
            if (n.isEmpty()) {
                if (!list.isBlank()) {
                    throw new IllegalArgumentException("--engaged.conversions has an empty name in '" + text
                            + "': separate event types by single commas");
                }
                continue;
            }
            try {
                types.add(EventType.valueOf(n.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--engaged.conversions: '" + n
                                + "' is not a ClickEvent event type; the types are "
                                + Arrays.stream(EventType.values())
                                        .map(Enum::name)
                                        .collect(Collectors.joining(", ")),
                        e);
            }
        }
        return types;
    }
}
