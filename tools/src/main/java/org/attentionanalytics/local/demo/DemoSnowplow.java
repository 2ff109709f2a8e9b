package org.attentionanalytics.local.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.ContentProfile;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.DwellKind;
import org.attentionanalytics.replay.SnowplowRows;
import org.attentionanalytics.session.SessionRules;

/**
 * The demo's traffic as a Snowplow JavaScript tracker would have sent it, for {@code bin/attention
 * local --snowplow}: each {@link DemoRecord} of {@link DemoTraffic} becomes zero or more Snowplow
 * enriched TSV lines ({@link DemoRecord#SNOWPLOW}), written by the replay's writer ({@link
 * SnowplowRows#fromColumns}). Stateful per user (the current session and the last page views), so
 * records are to be converted in the order they are due.
 *
 * <p>Mapping, per event:
 *
 * <ul>
 *   <li>VIEW: a {@code page_view}; its {@code web_page} context id is the event's {@code view_id},
 *       else a UUID derived from the event id. {@code page_urlpath} is {@code /} + item id (the
 *       page URL keeps the event's host and query).
 *   <li>HEARTBEAT (the people whose site sends pings): a {@code page_ping} of that page view,
 *       {@code dvce_created_tstamp} = the event time.
 *   <li>DWELL of {@code d} ms ending at {@code t}: the {@code page_ping}s the tracker sends while
 *       the reader is engaged, at the view's start + 5 s + k x 10 s (the tracker's minimum visit
 *       length and heartbeat, the job's {@code --min-visit} and {@code --heartbeat} defaults) that
 *       fall in {@code (t - d, t]}; none for a hidden tab ({@code d} = 0) and none for the demo's
 *       bad dwell (negative or over 4 h). Their event ids are the dwell's id, {@code -p} and k.
 *   <li>CLICK: {@code unstruct} {@code link_click} ({@code targetUrl}: the clicked item's page);
 *       SEARCH: {@code site_search}; ADD_TO_CART: {@code add_to_cart}; PURCHASE: a {@code
 *       transaction_item} with {@code ti_sku} = the item id; other types a {@code struct} event.
 *   <li>Scroll depth: {@code pp_yoffset_max} with a viewport of 800 px in a document of 8,000 px,
 *       so the door's scroll is the event's (at least 10%).
 * </ul>
 *
 * Every line: {@code domain_userid} = the simulated user id (also the Kafka key), {@code
 * domain_sessionid} a UUID per user and session that changes after {@value #SESSION_TIMEOUT_MINUTES}
 * minutes without an event of the user (as the JS tracker's session cookie), {@code
 * domain_sessionidx} its number, {@code event_id} the event's id, {@code useragent} the browser,
 * {@code os_timezone} the time zone, {@code dvce_created_tstamp} and {@code derived_tstamp} the event
 * time, {@code collector_tstamp} the time of conversion (when the record is due). Noise stays noise:
 * a resent record gives the same lines again, a crawler's view a page view with a bot's user agent,
 * a garbage record the same bytes (an {@code UNDECODABLE} dead letter), a view 2 days ahead a
 * {@code FUTURE_TIMESTAMP} one; topics are not in Snowplow lines, so the demo publishes the catalog
 * ({@link #catalog()}), and time zones that are no IANA id are ignored by the door.
 */
final class DemoSnowplow {
    /** Minutes of a user's inactivity after which the tracker starts a new session. */
    static final long SESSION_TIMEOUT_MINUTES = 30;

    /** The job's default --min-visit and --heartbeat: the tracker's minimumVisitLength and heartbeatDelay. */
    static final long MIN_VISIT_MS = SessionRules.DEFAULT_MIN_VISIT_MS;

    static final long HEARTBEAT_MS = SessionRules.DEFAULT_HEARTBEAT_MS;

    /** The longest dwell the door takes (a longer one is DWELL_TOO_LONG): no pings for it. */
    private static final long MAX_DWELL_MS = Duration.ofHours(4).toMillis();

    private static final long SESSION_TIMEOUT_MS =
            Duration.ofMinutes(SESSION_TIMEOUT_MINUTES).toMillis();
    private static final int VIEWPORT_PX = 800;
    private static final int DOCUMENT_PX = 8_000;
    private static final int VIEWS_KEPT = 4;
    private static final String VENDOR = "com.snowplowanalytics.snowplow";
    private static final String UNSTRUCT = "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, UserState> users = new HashMap<>();

    /**
     * @param record a record of {@link DemoTraffic}
     * @param nowMs when it is sent: its {@code collector_tstamp}
     * @return its Snowplow lines as {@link DemoRecord#SNOWPLOW} records keyed by the user id (a
     *     budget or focus-blocks record unchanged; a garbage record's bytes unchanged, to the Snowplow topic)
     */
    List<DemoRecord> convert(DemoRecord record, long nowMs) {
        if (record.topic().equals(DemoRecord.ATTENTION_BUDGETS)
                || record.topic().equals(DemoRecord.FOCUS_BLOCKS)) {
            return List.of(record);
        }
        boolean click = record.topic().equals(DemoRecord.CLICKSTREAM);
        Object event;
        try {
            event = click
                    ? ClickEvent.getDecoder().decode(record.value())
                    : DwellEvent.getDecoder().decode(record.value());
        } catch (IOException | RuntimeException e) { // the demo's garbage: stays garbage
            return List.of(new DemoRecord(DemoRecord.SNOWPLOW, record.key(), record.value()));
        }
        return click ? List.of(click((ClickEvent) event, nowMs)) : dwell((DwellEvent) event, nowMs);
    }

    /**
     * The content catalog for Snowplow lines: every item of the demo's taxonomy with its topics
     * (weight 1 each), keyed by the path {@code /}+item id (a page's item) and by the item id (a
     * purchase's {@code ti_sku}).
     */
    static List<DemoRecord> catalog() {
        List<DemoRecord> out = new ArrayList<>();
        for (int topic = 0; topic < Taxonomy.TOPICS.size(); topic++) {
            for (int item = 0; item < Taxonomy.ITEMS_PER_TOPIC; item++) {
                Map<String, Double> weights = new LinkedHashMap<>();
                Taxonomy.topicsOf(topic, item).forEach(t -> weights.put(t, 1.0));
                String id = Taxonomy.itemId(topic, item);
                for (String key : List.of("/" + id, id)) {
                    ContentProfile p = ContentProfile.newBuilder()
                            .setItemId(key)
                            .setTopics(weights)
                            .build();
                    out.add(new DemoRecord(DemoRecord.CONTENT_CATALOG, key, DemoTraffic.encode(p::toByteBuffer)));
                }
            }
        }
        return out;
    }

    private DemoRecord click(ClickEvent e, long nowMs) {
        String user = e.getUserId();
        long t = e.getEventTime().toEpochMilli();
        UserState state = users.computeIfAbsent(user, u -> new UserState());
        Map<String, String> c = common(user, state, e.getEventId(), t, nowMs, e.getUserAgent(), e.getTimeZone());
        c.put("user_ipaddress", e.getIp());
        c.put("page_referrer", e.getReferrer());
        String item = e.getItemId();
        String type = e.getEventType().name();
        if (type.equals("VIEW")) {
            String viewId = e.getViewId() != null
                    ? e.getViewId()
                    : UUID.nameUUIDFromBytes(("view/" + e.getEventId()).getBytes(StandardCharsets.UTF_8))
                            .toString();
            View view = new View(viewId, item, t, pageUrl(e.getUrl(), item));
            state.add(view);
            page(c, view);
            return line(c, "page_view", "page_view", "1-0-0");
        }
        View current = state.viewAt(null, t);
        if (current != null) {
            page(c, current);
        }
        return switch (type) {
            case "CLICK" ->
                unstruct(c, "link_click", "1-0-1", JSON.createObjectNode().put("targetUrl", pageUrl(e.getUrl(), item)));
            case "SEARCH" -> {
                ObjectNode search = JSON.createObjectNode();
                List.of(String.valueOf(e.getSearchQuery()).split(" ")).forEach(search.putArray("terms")::add);
                yield unstruct(c, "site_search", "1-0-0", search);
            }
            case "ADD_TO_CART" ->
                unstruct(
                        c,
                        "add_to_cart",
                        "1-0-0",
                        JSON.createObjectNode().put("sku", item).put("quantity", 1));
            case "PURCHASE" -> {
                c.put("ti_orderid", "order-" + e.getEventId());
                c.put("ti_sku", item);
                c.put("ti_quantity", "1");
                yield line(c, "transaction_item", "transaction_item", "1-0-0");
            }
            default -> {
                c.put("se_category", "demo");
                c.put("se_action", type.toLowerCase(Locale.ROOT));
                yield line(c, "struct", "event", "1-0-0");
            }
        };
    }

    private List<DemoRecord> dwell(DwellEvent e, long nowMs) {
        String user = e.getUserId();
        long t = e.getEventTime().toEpochMilli();
        UserState state = users.computeIfAbsent(user, u -> new UserState());
        if (e.getKind() == DwellKind.HEARTBEAT) {
            View view = e.getViewId() != null ? state.byId(e.getViewId()) : state.viewAt(e.getItemId(), t);
            if (view == null) { // its view is unknown: a page of its own
                String id = e.getViewId() != null ? e.getViewId() : "ping/" + e.getEventId();
                view = new View(id, e.getItemId(), t, "https://demo.example.com/" + e.getItemId());
            }
            return List.of(ping(state, e, e.getEventId(), t, nowMs, view));
        }
        long d = e.getDwellMs() == null ? 0 : e.getDwellMs();
        if (d <= 0 || d > MAX_DWELL_MS) {
            return List.of();
        }
        long from = t - d;
        View view = state.viewAt(e.getItemId(), from);
        if (view == null) {
            view = new View(
                    UUID.nameUUIDFromBytes(("dwell/" + user + "/" + e.getItemId()).getBytes(StandardCharsets.UTF_8))
                            .toString(),
                    e.getItemId(),
                    from,
                    "https://demo.example.com/" + e.getItemId());
        }
        List<DemoRecord> out = new ArrayList<>();
        long first = view.startMs + MIN_VISIT_MS;
        long k = from < first ? 0 : (from - first) / HEARTBEAT_MS + 1;
        for (long ping = first + k * HEARTBEAT_MS; ping <= t; ping += HEARTBEAT_MS, k++) {
            out.add(ping(state, e, e.getEventId() + "-p" + k, ping, nowMs, view));
        }
        return out;
    }

    private DemoRecord ping(UserState state, DwellEvent e, String eventId, long t, long nowMs, View view) {
        Map<String, String> c = common(e.getUserId(), state, eventId, t, nowMs, e.getUserAgent(), e.getTimeZone());
        page(c, view);
        if (e.getScrollDepthPct() != null) {
            long y = Math.max(0, Math.round(e.getScrollDepthPct() * DOCUMENT_PX / 100.0) - VIEWPORT_PX);
            c.put("pp_xoffset_min", "0");
            c.put("pp_xoffset_max", "0");
            c.put("pp_yoffset_min", "0");
            c.put("pp_yoffset_max", Long.toString(y));
            c.put("br_viewheight", Integer.toString(VIEWPORT_PX));
            c.put("doc_height", Integer.toString(DOCUMENT_PX));
        }
        return line(c, "page_ping", "page_ping", "1-0-0");
    }

    private static Map<String, String> common(
            String user, UserState state, String eventId, long t, long nowMs, CharSequence agent, CharSequence zone) {
        Map<String, String> c = new HashMap<>();
        c.put("app_id", "attention-demo");
        c.put("platform", "web");
        c.put("name_tracker", "sp");
        c.put("v_tracker", "js-3.24.0");
        c.put("v_collector", "ssc-3.2.0-kafka");
        c.put("v_etl", "snowplow-enrich-kafka-5.1.0");
        String now = SnowplowRows.tstamp(Instant.ofEpochMilli(nowMs));
        String time = SnowplowRows.tstamp(Instant.ofEpochMilli(t));
        c.put("etl_tstamp", now);
        c.put("collector_tstamp", now);
        c.put("dvce_sent_tstamp", now);
        c.put("dvce_created_tstamp", time);
        c.put("derived_tstamp", time);
        c.put("event_id", eventId);
        c.put("domain_userid", user);
        state.touch(user, t, nowMs);
        c.put("domain_sessionid", state.sessionId);
        c.put("domain_sessionidx", Integer.toString(state.sessionIdx));
        c.put("useragent", agent == null ? null : agent.toString());
        c.put("os_timezone", zone == null ? null : zone.toString());
        return c;
    }

    /** The page's URL fields and its web_page context. */
    private static void page(Map<String, String> c, View view) {
        URI url = URI.create(view.url);
        c.put("page_url", view.url);
        c.put("page_urlscheme", url.getScheme());
        c.put("page_urlhost", url.getHost());
        c.put("page_urlport", "443");
        c.put("page_urlpath", url.getRawPath());
        c.put("page_urlquery", url.getRawQuery());
        c.put(
                SnowplowRows.WEB_PAGE_COLUMN,
                JSON.createArrayNode()
                        .add(JSON.createObjectNode().put("id", view.id))
                        .toString());
    }

    private static DemoRecord unstruct(Map<String, String> c, String name, String version, ObjectNode data) {
        ObjectNode event = JSON.createObjectNode().put("schema", UNSTRUCT);
        event.putObject("data")
                .put("schema", "iglu:" + VENDOR + "/" + name + "/jsonschema/" + version)
                .set("data", data);
        c.put("unstruct_event", event.toString());
        return line(c, "unstruct", name, version);
    }

    private static DemoRecord line(Map<String, String> c, String event, String name, String version) {
        c.put("event", event);
        c.put("event_vendor", VENDOR);
        c.put("event_name", name);
        c.put("event_format", "jsonschema");
        c.put("event_version", version);
        c.values().removeIf(Objects::isNull);
        SnowplowRows.Line line = SnowplowRows.fromColumns(c);
        return new DemoRecord(DemoRecord.SNOWPLOW, line.key(), line.line().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @return the page of the item: the host (and query) of the event's {@code url}, the path {@code
     *     /}+item id
     */
    static String pageUrl(CharSequence eventUrl, String itemId) {
        URI url = URI.create(eventUrl == null ? "https://demo.example.com/" : eventUrl.toString());
        String query = url.getRawQuery();
        return url.getScheme() + "://" + url.getHost() + "/" + itemId + (query == null ? "" : "?" + query);
    }

    /** A page view: its web_page id, item, start (ms) and page URL. */
    private record View(String id, String item, long startMs, String url) {}

    /** A user's tracker: session cookie and the last page views. */
    private static final class UserState {
        String sessionId;
        int sessionIdx;
        long lastMs;
        final Deque<View> views = new ArrayDeque<>();

        /** An event at {@code t}: a new session after the timeout; times ahead of {@code nowMs} change nothing. */
        void touch(String user, long t, long nowMs) {
            boolean ahead = t > nowMs + 60_000;
            if (sessionId == null || (!ahead && t - lastMs > SESSION_TIMEOUT_MS)) {
                sessionIdx++;
                sessionId = UUID.nameUUIDFromBytes(
                                ("session/" + user + "/" + sessionIdx).getBytes(StandardCharsets.UTF_8))
                        .toString();
                lastMs = ahead ? nowMs : t;
            }
            if (!ahead) {
                lastMs = Math.max(lastMs, t);
            }
        }

        void add(View view) {
            if (byId(view.id) != null) {
                return; // a resent page view
            }
            views.addFirst(view);
            if (views.size() > VIEWS_KEPT) {
                views.removeLast();
            }
        }

        View byId(String id) {
            return views.stream().filter(v -> v.id.equals(id)).findFirst().orElse(null);
        }

        /** The latest view (of {@code item}, if not null) started at or before {@code t}. */
        View viewAt(String item, long t) {
            return views.stream()
                    .filter(v -> v.startMs <= t && (item == null || v.item.equals(item)))
                    .findFirst()
                    .orElse(null);
        }
    }
}
