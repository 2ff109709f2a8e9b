package org.attentionanalytics.io;

import static org.attentionanalytics.io.SnowplowLine.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.privacy.BotRules;
import org.attentionanalytics.privacy.Pseudonymizer;

/**
 * The door of Snowplow enriched events ({@code --snowplow}, topic {@code --topic.snowplow}; README
 * "Snowplow enriched events", DESIGN.md section 3): one enriched TSV line ({@link SnowplowLine}) in,
 * exactly one {@link SourceRecord} out, never an exception.
 *
 * <p>Checks, in order: {@code FIELD_TOO_LARGE} above {@code --limits.record-bytes}; {@code
 * UNDECODABLE} for no value, a line without 131 fields (the detail has the count), a timestamp that
 * is not {@code yyyy-MM-dd HH:mm:ss.SSS}, a {@code contexts} (or a link click's {@code
 * unstruct_event}) that is no JSON, naming the field, and no event time at all; {@code
 * FIELD_TOO_LARGE} for ids above {@code --limits.id-length}; {@code MISSING_FIELD} for no user
 * id of {@code --snowplow.user-id}, no {@code event_id}, and a {@code page_view} or {@code
 * page_ping} without a {@code web_page} context id; bots ({@code useragent} through {@link
 * BotRules}: a bot marker); {@code FUTURE_TIMESTAMP} and {@code TOO_LATE} as the other doors.
 *
 * <p>Mapping: {@code page_view} is a CLICK of type VIEW, {@code page_ping} a HEARTBEAT of the same
 * page view, {@code link_click} a CLICK (item: the path of the link's target URL), {@code
 * transaction_item} a PURCHASE (item: {@code ti_sku}), anything else a CLICK of type OTHER. The
 * event time is {@code derived_tstamp} ({@code collector_tstamp} when it is empty), for a {@code
 * page_ping} {@code dvce_created_tstamp} as Snowplow's page-view model buckets pings (then {@code
 * derived_tstamp}, {@code collector_tstamp}). The item of a page is {@code page_urlpath}; topics
 * none (the catalog gives the item's). The user is the pseudonym of the first of {@code
 * --snowplow.user-id} that is set, the session id the pseudonym of {@code domain_sessionid}. {@code time_zone} is {@code os_timezone} when it is an IANA id.
 *
 * <p>PII never leaves the door: the event carries none of the {@link #PII} fields. With {@code
 * --dlq.redact} a dead letter of a line with 131 fields keeps the line re-encoded with the {@link
 * #PII} fields, the JSON fields ({@code contexts}, {@code unstruct_event}, {@code
 * derived_contexts}) and the query strings emptied, {@code page_url} and {@code page_referrer}
 * without query and fragment, and {@code event_id} as its HMAC; any other keeps hash and length only.
 */
public final class SnowplowDoor implements DoorDecoder {
    private static final long serialVersionUID = 1L;

    /** The user ids {@code --snowplow.user-id} may name, in its default order. */
    public static final List<String> USER_IDS = List.of("user_id", "domain_userid", "network_userid");

    /** Fields that never leave the door: not copied to events, emptied in redacted dead letters. */
    public static final List<String> PII = SnowplowRedaction.PII;

    private static final String WEB_PAGE = "iglu:com.snowplowanalytics.snowplow/web_page/";
    private static final String LINK_CLICK = "iglu:com.snowplowanalytics.snowplow/link_click/";

    private final DoorSettings settings;
    private final int[] userIds;
    private final SnowplowRedaction redaction = new SnowplowRedaction();

    private transient Pseudonymizer pseudonymizer;
    private transient BotRules botRules;
    private transient ObjectMapper json;

    /**
     * @param userIds {@code --snowplow.user-id}: names of {@link #USER_IDS}, the first set one is the user
     * @throws IllegalArgumentException for another name or none
     */
    public SnowplowDoor(DoorSettings settings, List<String> userIds) {
        if (userIds.isEmpty()) {
            throw new IllegalArgumentException("--snowplow.user-id names no field");
        }
        this.settings = settings;
        this.userIds = userIds.stream()
                .mapToInt(n -> {
                    if (!USER_IDS.contains(n)) {
                        throw new IllegalArgumentException(
                                "--snowplow.user-id: " + n + " is none of " + String.join(", ", USER_IDS));
                    }
                    return index(n);
                })
                .toArray();
    }

    @Override
    public void open() {
        pseudonymizer = new Pseudonymizer(Pseudonymizer.loadKey(settings.keyFile()));
        botRules = BotRules.load(settings.botRulesFile());
        json = new ObjectMapper();
    }

    @Override
    public SourceRecord decode(String topic, int partition, long offset, byte[] key, byte[] value, long nowMs) {
        In in = new In(topic, partition, offset, value, nowMs);
        try {
            return decode(in, value);
        } catch (RuntimeException | StackOverflowError e) {
            in.line = null;
            return in.dead(
                    null,
                    DeadLetterReason.UNDECODABLE,
                    "unexpected " + e.getClass().getSimpleName());
        }
    }

    private SourceRecord decode(In in, byte[] value) {
        String tooLarge = settings.limits().recordSize(value);
        if (tooLarge != null) {
            return in.dead(null, DeadLetterReason.FIELD_TOO_LARGE, tooLarge);
        }
        if (value == null) {
            return in.dead(null, DeadLetterReason.UNDECODABLE, "no value");
        }
        try {
            in.line = SnowplowLine.parse(value);
            return map(in, in.line);
        } catch (SnowplowLine.Malformed e) {
            return in.dead(null, DeadLetterReason.UNDECODABLE, e.getMessage());
        }
    }

    private SourceRecord map(In in, SnowplowLine l) throws SnowplowLine.Malformed {
        String event = l.get(EVENT);
        boolean pageView = "page_view".equals(event);
        boolean pagePing = "page_ping".equals(event);
        Instant derived = l.tstamp(DERIVED_TSTAMP);
        Instant collector = l.tstamp(COLLECTOR_TSTAMP);
        Instant created = l.tstamp(DVCE_CREATED_TSTAMP);
        Instant time = pagePing && created != null ? created : derived != null ? derived : collector;
        if (time == null) {
            throw new SnowplowLine.Malformed("derived_tstamp and collector_tstamp are empty");
        }
        String viewId = pageView || pagePing ? webPageId(l) : null;

        AttentionEvent.Builder e = AttentionEvent.newBuilder()
                .setKind(pagePing ? EventKind.HEARTBEAT : EventKind.CLICK)
                .setEventId(l.get(EVENT_ID))
                .setEventTime(time.toEpochMilli())
                .setEventType(EventType.OTHER)
                .setViewId(viewId)
                .setTimeZone(TimeZones.isIana(l.get(OS_TIMEZONE)) ? l.get(OS_TIMEZONE) : null)
                .setSourceTopic(in.topic)
                .setSourcePartition(in.partition)
                .setSourceOffset(in.offset);
        if (pageView) {
            e.setEventType(EventType.VIEW).setItemId(l.get(PAGE_URLPATH));
        } else if (pagePing) {
            e.setItemId(l.get(PAGE_URLPATH)).setScrollDepthPct(scrollDepth(l));
        } else if ("transaction_item".equals(event)) {
            e.setEventType(EventType.PURCHASE).setItemId(l.get(TI_SKU));
        } else if ("link_click".equals(l.get(EVENT_NAME))) {
            e.setEventType(EventType.CLICK).setItemId(linkTarget(l));
        }

        String userId = null;
        for (int i : userIds) {
            if (l.get(i) != null) {
                userId = l.get(i);
                break;
            }
        }
        DoorLimits limits = settings.limits();
        String large = DoorLimits.first(
                userId == null ? null : limits.id(FIELDS.get(indexOfUser(l, userId)), userId),
                limits.id("event_id", e.getEventId()),
                limits.id("web_page context id", viewId),
                limits.id("domain_sessionid", l.get(DOMAIN_SESSIONID)),
                limits.id(itemField(event, pageView || pagePing), e.getItemId()));
        String user = userId == null ? null : pseudonymizer.pseudonym(userId);
        if (large != null) {
            return in.dead(user, DeadLetterReason.FIELD_TOO_LARGE, large);
        }
        if (user == null) {
            return in.dead(null, DeadLetterReason.MISSING_FIELD, "none of " + userIdNames() + " is set");
        }
        if (e.getEventId() == null) {
            return in.dead(user, DeadLetterReason.MISSING_FIELD, "event_id is empty");
        }
        if ((pageView || pagePing) && viewId == null) {
            return in.dead(user, DeadLetterReason.MISSING_FIELD, "web_page context id is missing from contexts");
        }
        if (botRules.isBot(l.get(USERAGENT))) {
            return SourceRecord.newBuilder().setBot(true).build();
        }
        String field = pagePing && created != null
                ? "dvce_created_tstamp"
                : derived != null ? "derived_tstamp" : "collector_tstamp";
        EventTimeCheck refused = EventTimeCheck.refusal(field, time, in.nowMs, settings.maxFutureMs());
        if (refused != null) {
            return in.dead(user, refused.reason(), refused.detail());
        }
        String session = l.get(DOMAIN_SESSIONID);
        e.setSessionId(session == null || session.isBlank() ? null : pseudonymizer.pseudonym(session));
        return SourceRecord.newBuilder().setEvent(e.setUser(user).build()).build();
    }

    /** @return the name of the field an item came from, for details */
    private static String itemField(String event, boolean page) {
        return page ? "page_urlpath" : "transaction_item".equals(event) ? "ti_sku" : "link_click targetUrl";
    }

    private int indexOfUser(SnowplowLine l, String userId) {
        for (int i : userIds) {
            if (userId.equals(l.get(i))) {
                return i;
            }
        }
        return USER_ID;
    }

    private String userIdNames() {
        return String.join(
                ", ", java.util.Arrays.stream(userIds).mapToObj(FIELDS::get).toList());
    }

    /** @return the {@code id} of the {@code web_page} context in {@code contexts}, or null */
    private String webPageId(SnowplowLine l) throws SnowplowLine.Malformed {
        JsonNode contexts = parseJson(l, CONTEXTS);
        if (contexts == null) {
            return null;
        }
        for (JsonNode c : contexts.path("data")) {
            if (c.path("schema").asText("").startsWith(WEB_PAGE)) {
                JsonNode id = c.path("data").path("id");
                return id.isTextual() && !id.asText().isBlank() ? id.asText() : null;
            }
        }
        return null;
    }

    /** @return the path of a link click's {@code targetUrl}, or null when there is none or it is no URI */
    private String linkTarget(SnowplowLine l) throws SnowplowLine.Malformed {
        JsonNode unstruct = parseJson(l, UNSTRUCT_EVENT);
        if (unstruct == null) {
            return null;
        }
        JsonNode inner = unstruct.path("data");
        if (!inner.path("schema").asText("").startsWith(LINK_CLICK)) {
            return null;
        }
        String target = inner.path("data").path("targetUrl").asText(null);
        if (target == null) {
            return null;
        }
        try {
            String path = new URI(target).getRawPath();
            return path == null || path.isEmpty() ? null : path;
        } catch (java.net.URISyntaxException ex) {
            return null;
        }
    }

    private JsonNode parseJson(SnowplowLine l, int index) throws SnowplowLine.Malformed {
        String text = l.get(index);
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (java.io.IOException ex) {
            throw new SnowplowLine.Malformed(FIELDS.get(index) + " is not valid JSON");
        }
    }

    /**
     * Scroll depth of a page ping, as Snowplow's page-view model computes its vertical percentage:
     * {@code round(100 * (pp_yoffset_max + br_viewheight) / doc_height)}, clamped to 0..100; null
     * when one of them is empty or {@code doc_height} is not positive.
     */
    static Integer scrollDepth(SnowplowLine l) {
        Long y = l.number(PP_YOFFSET_MAX);
        Long view = l.number(BR_VIEWHEIGHT);
        Long doc = l.number(DOC_HEIGHT);
        if (y == null || view == null || doc == null || doc <= 0) {
            return null;
        }
        long pct = Math.round(100.0 * (y + view) / doc);
        return (int) Math.max(0, Math.min(100, pct));
    }

    /** One record at the door. */
    private final class In {
        final String topic;
        final int partition;
        final long offset;
        final byte[] value;
        final long nowMs;
        SnowplowLine line;

        In(String topic, int partition, long offset, byte[] value, long nowMs) {
            this.topic = topic;
            this.partition = partition;
            this.offset = offset;
            this.value = value;
            this.nowMs = nowMs;
        }

        SourceRecord dead(String user, DeadLetterReason reason, String detail) {
            ByteBuffer kept;
            if (!settings.redact()) {
                kept = value == null ? null : ByteBuffer.wrap(value);
            } else {
                kept = line == null ? null : ByteBuffer.wrap(redaction.redacted(line, pseudonymizer));
            }
            return DeadLetters.atDoor(topic, partition, offset, user, value, kept, reason, detail, nowMs);
        }
    }
}
