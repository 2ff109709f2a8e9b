package org.attentionanalytics.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.attentionanalytics.avro.DeadLetter;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.privacy.Pseudonymizer;
import org.attentionanalytics.testutil.SnowplowLines;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Snowplow door on lines built field by field ({@link SnowplowLines}). T is 2025-01-06 09:00:00
 * UTC; the processing clock three hours later.
 */
class SnowplowDoorTest {
    static final Instant T = Instant.parse("2025-01-06T09:00:00Z");
    static final long NOW = T.plusSeconds(3 * 3600).toEpochMilli();
    static final String CHROME =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
    static final String GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

    /** Values that must never leave the door. */
    static final List<String> PII_VALUES = List.of(
            "alice@example.com",
            "203.0.113.9",
            "fp-777",
            "duid-1",
            "nuid-1",
            "Springfield",
            "10115",
            "52.52",
            "13.40",
            "Example ISP",
            "Example Org",
            CHROME);

    @TempDir
    Path dir;

    String keyFile;
    Pseudonymizer ids;

    @BeforeEach
    void key() throws Exception {
        Path key = dir.resolve("key");
        Files.writeString(key, "test-key\n");
        keyFile = key.toString();
        ids = new Pseudonymizer(Pseudonymizer.loadKey(keyFile));
    }

    DoorDecoder door(boolean redact, List<String> userIds) {
        DoorDecoder d = Doors.snowplow(new DoorSettings(InputFormat.AVRO, 600_000, keyFile, null, redact), userIds);
        d.open();
        return d;
    }

    DoorDecoder door(boolean redact) {
        return door(redact, SnowplowDoor.USER_IDS);
    }

    static SourceRecord decode(DoorDecoder d, SnowplowLines line) {
        return d.decode("snowplow-enriched", 1, 42, "203.0.113.9".getBytes(StandardCharsets.UTF_8), line.bytes(), NOW);
    }

    /** A page view of pv-1 at T by alice (user_id is her e-mail address), with all the PII a line can have. */
    static SnowplowLines pageView() {
        return SnowplowLines.line()
                .set("app_id", "shop")
                .set("platform", "web")
                .set("collector_tstamp", T.plusMillis(1_200))
                .set("dvce_created_tstamp", T)
                .set("derived_tstamp", T)
                .set("event", "page_view")
                .set("event_id", "ev-view")
                .set("user_id", "alice@example.com")
                .set("user_ipaddress", "203.0.113.9")
                .set("user_fingerprint", "fp-777")
                .set("domain_userid", "duid-1")
                .set("network_userid", "nuid-1")
                .set("geo_city", "Springfield")
                .set("geo_zipcode", "10115")
                .set("geo_latitude", "52.52")
                .set("geo_longitude", "13.40")
                .set("ip_isp", "Example ISP")
                .set("ip_organization", "Example Org")
                .set("page_url", "https://shop.example/news/a?email=alice@example.com")
                .set("page_urlpath", "/news/a")
                .set("page_urlquery", "email=alice@example.com")
                .set("useragent", CHROME)
                .set("os_timezone", "Europe/Berlin")
                .set("domain_sessionid", "sess-1")
                .webPage("pv-1");
    }

    /** A ping of pv-1 created at T+{@code s} s, derived_tstamp 1.5 s later (clock skew corrected). */
    static SnowplowLines ping(int s, int yOffsetMax) {
        return pageView()
                .set("event", "page_ping")
                .set("event_id", "ev-ping-" + s)
                .set("dvce_created_tstamp", T.plusSeconds(s))
                .set("derived_tstamp", T.plusSeconds(s).plusMillis(1_500))
                .set("collector_tstamp", T.plusSeconds(s).plusMillis(2_000))
                .set("pp_yoffset_max", Integer.toString(yOffsetMax))
                .set("br_viewheight", "700")
                .set("doc_height", "3000");
    }

    static AttentionEvent event(SourceRecord r) {
        assertThat(r.getDeadLetter()).as("dead letter").isNull();
        assertThat(r.getEvent()).as("event").isNotNull();
        return r.getEvent();
    }

    static DeadLetter dead(SourceRecord r, DeadLetterReason reason) {
        assertThat(r.getDeadLetter()).as("dead letter").isNotNull();
        assertThat(r.getDeadLetter().getReason()).isEqualTo(reason);
        return r.getDeadLetter();
    }

    static String raw(DeadLetter dl) {
        ByteBuffer b = dl.getRawValue().duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void fieldIndexesAreSnowplowsDocumentedOrder() {
        assertThat(SnowplowLine.FIELDS).hasSize(131).doesNotHaveDuplicates();
        assertThat(SnowplowLine.FIELDS.get(0)).isEqualTo("app_id");
        assertThat(SnowplowLine.USER_ID).isEqualTo(12);
        assertThat(SnowplowLine.DOMAIN_USERID).isEqualTo(15);
        assertThat(SnowplowLine.NETWORK_USERID).isEqualTo(17);
        assertThat(SnowplowLine.PAGE_URL).isEqualTo(29);
        assertThat(SnowplowLine.PAGE_URLPATH).isEqualTo(35);
        assertThat(SnowplowLine.CONTEXTS).isEqualTo(52);
        assertThat(SnowplowLine.UNSTRUCT_EVENT).isEqualTo(58);
        assertThat(SnowplowLine.TI_SKU).isEqualTo(68);
        assertThat(SnowplowLine.PP_YOFFSET_MAX).isEqualTo(76);
        assertThat(SnowplowLine.USERAGENT).isEqualTo(77);
        assertThat(SnowplowLine.BR_VIEWHEIGHT).isEqualTo(96);
        assertThat(SnowplowLine.OS_TIMEZONE).isEqualTo(100);
        assertThat(SnowplowLine.DOC_HEIGHT).isEqualTo(107);
        assertThat(SnowplowLine.DOMAIN_SESSIONID).isEqualTo(123);
        assertThat(SnowplowLine.DERIVED_TSTAMP).isEqualTo(124);
        assertThat(SnowplowLine.EVENT_NAME).isEqualTo(126);
        assertThat(SnowplowLine.FIELDS.get(130)).isEqualTo("true_tstamp");
    }

    @Test
    void aPageViewIsAViewOfItsPathWithThePageViewIdAndNoPii() {
        AttentionEvent e = event(decode(door(false), pageView()));
        assertThat(e.getKind()).isEqualTo(EventKind.CLICK);
        assertThat(e.getEventType()).isEqualTo(EventType.VIEW);
        assertThat(e.getEventId()).isEqualTo("ev-view");
        assertThat(e.getUser()).isEqualTo(ids.pseudonym("alice@example.com"));
        assertThat(e.getEventTime()).isEqualTo(T.toEpochMilli());
        assertThat(e.getViewId()).isEqualTo("pv-1");
        assertThat(e.getItemId()).isEqualTo("/news/a");
        assertThat(e.getTopics()).isEmpty();
        assertThat(e.getTimeZone()).isEqualTo("Europe/Berlin");
        assertThat(e.getSourceTopic()).isEqualTo("snowplow-enriched");
        assertThat(e.getSourcePartition()).isEqualTo(1);
        assertThat(e.getSourceOffset()).isEqualTo(42);
        String all = e.toString();
        PII_VALUES.forEach(v -> assertThat(all).doesNotContain(v));
    }

    /**
     * Pings created at T+5, +15, +25 s: HEARTBEATs of pv-1 at their dvce_created_tstamp (not the
     * derived_tstamp 1.5 s later). Scroll: round(100 * (y + 700) / 3000) = 40 (y 500), 77 (y 1600:
     * 76.67), 100 (y 2800: 116.7, clamped).
     */
    @Test
    void pagePingsAreHeartbeatsAtTheirDeviceTime() {
        DoorDecoder d = door(false);
        int[][] pings = {{5, 500, 40}, {15, 1600, 77}, {25, 2800, 100}};
        for (int[] p : pings) {
            AttentionEvent e = event(decode(d, ping(p[0], p[1])));
            assertThat(e.getKind()).isEqualTo(EventKind.HEARTBEAT);
            assertThat(e.getEventTime()).isEqualTo(T.plusSeconds(p[0]).toEpochMilli());
            assertThat(e.getViewId()).isEqualTo("pv-1");
            assertThat(e.getItemId()).isEqualTo("/news/a");
            assertThat(e.getScrollDepthPct()).isEqualTo(p[2]);
            assertThat(e.getDwellMs()).isZero();
        }
        assertThat(event(decode(d, ping(5, 500).set("doc_height", ""))).getScrollDepthPct())
                .as("no doc_height: not computable")
                .isNull();
        assertThat(event(decode(d, ping(5, 500).set("doc_height", "0"))).getScrollDepthPct())
                .isNull();
    }

    @Test
    void withoutDerivedTstampTheEventTimeIsTheCollectors() {
        AttentionEvent e = event(decode(door(false), pageView().set("derived_tstamp", "")));
        assertThat(e.getEventTime()).isEqualTo(T.plusMillis(1_200).toEpochMilli());
    }

    @Test
    void aNullUserIdFallsBackToDomainUserid() {
        DoorDecoder d = door(false);
        assertThat(event(decode(d, pageView().set("user_id", ""))).getUser()).isEqualTo(ids.pseudonym("duid-1"));
        assertThat(event(decode(d, pageView().set("user_id", "").set("domain_userid", "")))
                        .getUser())
                .isEqualTo(ids.pseudonym("nuid-1"));
        DeadLetter dl = dead(
                decode(d, pageView().set("user_id", "").set("domain_userid", "").set("network_userid", "")),
                DeadLetterReason.MISSING_FIELD);
        assertThat(dl.getDetail()).isEqualTo("none of user_id, domain_userid, network_userid is set");
    }

    @Test
    void theUserIdOrderIsAnOption() {
        DoorDecoder d = door(false, List.of("domain_userid", "user_id"));
        assertThat(event(decode(d, pageView())).getUser()).isEqualTo(ids.pseudonym("duid-1"));
        assertThat(dead(
                                decode(d, pageView().set("user_id", "").set("domain_userid", "")),
                                DeadLetterReason.MISSING_FIELD)
                        .getDetail())
                .isEqualTo("none of domain_userid, user_id is set");
        assertThatThrownBy(() -> door(false, List.of("user_ipaddress")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user_ipaddress is none of user_id, domain_userid, network_userid");
    }

    @Test
    void aLineWith130FieldsIsUndecodable() {
        String line = pageView().text();
        byte[] short130 = line.substring(0, line.lastIndexOf('\t')).getBytes(StandardCharsets.UTF_8);
        SourceRecord r = door(true).decode("snowplow-enriched", 0, 1, null, short130, NOW);
        DeadLetter dl = dead(r, DeadLetterReason.UNDECODABLE);
        assertThat(dl.getDetail()).isEqualTo("expected 131 tab-separated fields of a Snowplow enriched event, got 130");
        assertThat(dl.getRawValue()).as("redacted: hash and length only").isNull();
        assertThat(dl.getRawLength()).isEqualTo(short130.length);
        assertThat(r.getDeadLetterKey()).isNull();
    }

    @Test
    void brokenContextsJsonIsUndecodableNamingTheField() {
        DeadLetter dl = dead(
                decode(door(false), pageView().set("contexts", "{\"schema\":\"iglu:x\",\"data\":[")),
                DeadLetterReason.UNDECODABLE);
        assertThat(dl.getDetail()).isEqualTo("contexts is not valid JSON");
    }

    @Test
    void aBadTimestampIsUndecodableNamingTheField() {
        DeadLetter dl = dead(
                decode(door(false), pageView().set("derived_tstamp", "2025-01-06T09:00:00Z")),
                DeadLetterReason.UNDECODABLE);
        assertThat(dl.getDetail()).isEqualTo("derived_tstamp is not a timestamp yyyy-MM-dd HH:mm:ss.SSS");
    }

    @Test
    void aPagePingWithoutPageViewIdIsMissingField() {
        SourceRecord r = decode(door(false), ping(5, 500).set("contexts", ""));
        DeadLetter dl = dead(r, DeadLetterReason.MISSING_FIELD);
        assertThat(dl.getDetail()).isEqualTo("web_page context id is missing from contexts");
        assertThat(r.getDeadLetterKey()).isEqualTo(ids.pseudonym("alice@example.com"));
    }

    @Test
    void aBotIsDroppedWithoutDeadLetter() {
        SourceRecord r = decode(door(false), pageView().set("useragent", GOOGLEBOT));
        assertThat(r.getBot()).isTrue();
        assertThat(r.getEvent()).isNull();
        assertThat(r.getDeadLetter()).isNull();
    }

    @Test
    void otherEventsMapByKind() {
        DoorDecoder d = door(false);
        AttentionEvent link = event(decode(
                d,
                pageView()
                        .set("event", "unstruct")
                        .set("event_name", "link_click")
                        .set(
                                "unstruct_event",
                                "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0\","
                                        + "\"data\":{\"schema\":\"iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1\","
                                        + "\"data\":{\"targetUrl\":\"https://shop.example/sports/b?ref=x\"}}}")));
        assertThat(link.getKind()).isEqualTo(EventKind.CLICK);
        assertThat(link.getEventType()).isEqualTo(EventType.CLICK);
        assertThat(link.getItemId()).isEqualTo("/sports/b");
        assertThat(link.getViewId()).isNull();

        AttentionEvent purchase =
                event(decode(d, pageView().set("event", "transaction_item").set("ti_sku", "sku-9")));
        assertThat(purchase.getEventType()).isEqualTo(EventType.PURCHASE);
        assertThat(purchase.getItemId()).isEqualTo("sku-9");

        AttentionEvent other = event(decode(d, pageView().set("event", "struct")));
        assertThat(other.getKind()).isEqualTo(EventKind.CLICK);
        assertThat(other.getEventType()).isEqualTo(EventType.OTHER);
        assertThat(other.getItemId()).isNull();
    }

    @Test
    void anOsTimezoneThatIsNoIanaIdIsDropped() {
        assertThat(event(decode(door(false), pageView().set("os_timezone", "GMT+2")))
                        .getTimeZone())
                .isNull();
    }

    @Test
    void aFutureTimeIsADeadLetter() {
        dead(
                decode(
                        door(false),
                        pageView()
                                .set("derived_tstamp", Instant.ofEpochMilli(NOW).plusSeconds(3600))),
                DeadLetterReason.FUTURE_TIMESTAMP);
    }

    /** With dlq.redact the dead letter keeps the 131 fields, PII and free text emptied, event_id and domain_sessionid hashed. */
    @Test
    void aRedactedDeadLetterKeepsNoPii() {
        DeadLetter dl = dead(
                decode(
                        door(true),
                        ping(5, 500)
                                .set("contexts", "")
                                .set("page_title", "Alice's orders")
                                .set("domain_sessionid", "sess-alice")),
                DeadLetterReason.MISSING_FIELD);
        String kept = raw(dl);
        PII_VALUES.forEach(v -> assertThat(kept).doesNotContain(v));
        assertThat(kept).doesNotContain("Alice");
        String[] f = kept.split("\t", -1);
        assertThat(f).hasSize(131);
        assertThat(f[SnowplowLine.PAGE_URL]).isEqualTo("https://shop.example/news/a");
        assertThat(f[SnowplowLine.PAGE_URLPATH]).isEqualTo("/news/a");
        assertThat(f[SnowplowLine.EVENT_ID]).isEqualTo(ids.pseudonym("ev-ping-5"));
        assertThat(f[SnowplowLine.DOMAIN_SESSIONID]).isEqualTo(ids.pseudonym("sess-alice"));
        assertThat(f[SnowplowLine.DVCE_CREATED_TSTAMP]).isEqualTo("2025-01-06 09:00:05.000");
        assertThat(f[SnowplowLine.USER_ID]).isEmpty();
        assertThat(f[SnowplowLine.USERAGENT]).isEmpty();

        DeadLetter plain = dead(decode(door(false), ping(5, 500).set("contexts", "")), DeadLetterReason.MISSING_FIELD);
        assertThat(raw(plain)).as("without redact: as read").contains("alice@example.com");
    }
}
