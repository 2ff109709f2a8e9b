package org.attentionanalytics.job;

import java.util.EnumMap;
import java.util.Map;
import org.attentionanalytics.io.JsonMapping;
import org.attentionanalytics.io.JsonMapping.Field;
import picocli.CommandLine.Option;

/**
 * The {@code --json.*} options: where the fields of a ClickEvent are in JSON of another shape
 * (Segment, RudderStack; README "JSON of any shape"), for {@code --input-format json} on the
 * clickstream door. Each path is a definite JsonPath ({@code $.a.b}, {@code $['a b']}, {@code
 * $.a[0]}) or a JSON Pointer ({@code /a/b}); a field without one is read from its own name. {@link
 * SessionOptions} extends it; {@link #jsonMapping} checks and collects them.
 */
public class JsonMappingOptions extends IoOptions {
    private static final long serialVersionUID = 1L;

    @Option(
            names = "--json.event-id",
            paramLabel = "PATH",
            description =
                    "JSON path of event_id, required (no id is derived: nothing there is MISSING_FIELD), e.g. $.messageId. Default: event_id.")
    public String jsonEventId;

    @Option(
            names = "--json.user-id",
            paramLabel = "PATH",
            description = "JSON path of user_id, required, e.g. $.userId. Default: user_id.")
    public String jsonUserId;

    @Option(
            names = "--json.event-time",
            paramLabel = "PATH",
            description =
                    "JSON path of event_time (epoch ms or ISO-8601), required, e.g. $.timestamp. Default: event_time.")
    public String jsonEventTime;

    @Option(
            names = "--json.event-type",
            paramLabel = "PATH",
            description =
                    "JSON path of event_type, e.g. $.event; names read through --json.event-types. Default: event_type.")
    public String jsonEventType;

    @Option(
            names = "--json.item-id",
            paramLabel = "PATH",
            description = "JSON path of item_id, e.g. $.properties.item_id. Default: item_id.")
    public String jsonItemId;

    @Option(
            names = "--json.topics",
            paramLabel = "PATH",
            description =
                    "JSON path of topics: an array of strings or one string, e.g. $.properties.category. Default: topics.")
    public String jsonTopics;

    @Option(
            names = "--json.url",
            paramLabel = "PATH",
            description = "JSON path of url, e.g. $.context.page.url. Default: url.")
    public String jsonUrl;

    @Option(
            names = "--json.referrer",
            paramLabel = "PATH",
            description = "JSON path of referrer, e.g. $.context.page.referrer. Default: referrer.")
    public String jsonReferrer;

    @Option(
            names = "--json.search-query",
            paramLabel = "PATH",
            description =
                    "JSON path of search_query (PII: never leaves the door), e.g. $.properties.query. Default: search_query.")
    public String jsonSearchQuery;

    @Option(
            names = "--json.device-id",
            paramLabel = "PATH",
            description =
                    "JSON path of device_id (PII: never leaves the door), e.g. $.anonymousId. Default: device_id.")
    public String jsonDeviceId;

    @Option(
            names = "--json.user-agent",
            paramLabel = "PATH",
            description =
                    "JSON path of user_agent, for bot detection (never leaves the door), e.g. $.context.userAgent. Default: user_agent.")
    public String jsonUserAgent;

    @Option(
            names = "--json.ip",
            paramLabel = "PATH",
            description = "JSON path of ip (PII: never leaves the door), e.g. $.context.ip. Default: ip.")
    public String jsonIp;

    @Option(
            names = "--json.time-zone",
            paramLabel = "PATH",
            description = "JSON path of time_zone (IANA id), e.g. $.context.timezone. Default: time_zone.")
    public String jsonTimeZone;

    @Option(
            names = "--json.view-id",
            paramLabel = "PATH",
            description = "JSON path of view_id, e.g. $.properties.view_id. Default: view_id.")
    public String jsonViewId;

    @Option(
            names = "--json.session-id",
            paramLabel = "PATH",
            description = "JSON path of session_id, e.g. $.properties.session_id. Default: session_id.")
    public String jsonSessionId;

    @Option(
            names = "--json.event-types",
            paramLabel = "NAME=TYPE,...",
            description =
                    "Producer event names and the event types they read as, e.g. 'Product Viewed=VIEW,Order Completed=PURCHASE'; "
                            + "a name not listed reads as the type of that name, else OTHER. Default: none.")
    public String jsonEventTypes;

    /**
     * @return the mapping of the {@code --json.*} options ({@link JsonMapping#NONE} without any)
     * @throws IllegalArgumentException naming the option of a path that does not compile, or of
     *     an unknown event type, or when a mapping is given without {@code --input-format json}
     */
    public JsonMapping jsonMapping() {
        Map<Field, String> paths = new EnumMap<>(Field.class);
        paths.put(Field.EVENT_ID, jsonEventId);
        paths.put(Field.USER_ID, jsonUserId);
        paths.put(Field.EVENT_TIME, jsonEventTime);
        paths.put(Field.EVENT_TYPE, jsonEventType);
        paths.put(Field.ITEM_ID, jsonItemId);
        paths.put(Field.TOPICS, jsonTopics);
        paths.put(Field.URL, jsonUrl);
        paths.put(Field.REFERRER, jsonReferrer);
        paths.put(Field.SEARCH_QUERY, jsonSearchQuery);
        paths.put(Field.DEVICE_ID, jsonDeviceId);
        paths.put(Field.USER_AGENT, jsonUserAgent);
        paths.put(Field.IP, jsonIp);
        paths.put(Field.TIME_ZONE, jsonTimeZone);
        paths.put(Field.VIEW_ID, jsonViewId);
        paths.put(Field.SESSION_ID, jsonSessionId);
        JsonMapping m = JsonMapping.of(paths, jsonEventTypes);
        if (!m.isNone()
                && inputFormat != org.attentionanalytics.io.InputFormat.JSON
                && inputFormat != org.attentionanalytics.io.InputFormat.AUTO) {
            throw new IllegalArgumentException(
                    "--json.* map JSON input: they need --input-format json or auto, not " + inputFormat);
        }
        return m;
    }
}
