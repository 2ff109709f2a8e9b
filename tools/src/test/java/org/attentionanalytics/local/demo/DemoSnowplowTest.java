package org.attentionanalytics.local.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.ContentProfile;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.io.DoorSettings;
import org.attentionanalytics.io.InputFormat;
import org.attentionanalytics.io.SnowplowDoor;
import org.attentionanalytics.io.SnowplowLine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's events as Snowplow enriched lines, read back with the job's {@link SnowplowLine} and {@link SnowplowDoor}. */
class DemoSnowplowTest {
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    private static final String UA = Taxonomy.BROWSERS.get(0);

    @TempDir
    Path dir;

    private SnowplowDoor door;
    private long offset;

    @BeforeEach
    void openDoor() throws Exception {
        Path key = Files.writeString(dir.resolve("key"), "demo-test-key\n");
        door = new SnowplowDoor(
                new DoorSettings(InputFormat.AVRO, 600_000, key.toString(), null, true), SnowplowDoor.USER_IDS);
        door.open();
    }

    @Test
    void aViewAndItsDwellAreAPageViewAndPingsEveryTenSecondsFromFiveSecondsIn() throws Exception {
        DemoSnowplow snowplow = new DemoSnowplow();
        List<DemoRecord> view = snowplow.convert(view("user-0007", "demo-ab-1", T0, null), at(1));
        // 12 s read, a hidden tab (0 ms), 8 s, 8 s: pings at +5, +15 and +25 s
        List<DemoRecord> first = snowplow.convert(dwell("user-0007", "demo-ab-2", T0.plusSeconds(12), 12_000), at(16));
        List<DemoRecord> hidden = snowplow.convert(dwell("user-0007", "demo-ab-3", T0.plusSeconds(14), 0), at(16));
        List<DemoRecord> second = snowplow.convert(dwell("user-0007", "demo-ab-4", T0.plusSeconds(22), 8_000), at(25));
        List<DemoRecord> third = snowplow.convert(dwell("user-0007", "demo-ab-5", T0.plusSeconds(30), 8_000), at(31));

        assertThat(view).hasSize(1);
        SnowplowLine pv = SnowplowLine.parse(view.get(0).value());
        assertThat(view.get(0).topic()).isEqualTo(DemoRecord.SNOWPLOW);
        assertThat(view.get(0).key()).isEqualTo("user-0007");
        assertThat(pv.get(SnowplowLine.EVENT)).isEqualTo("page_view");
        assertThat(pv.get(SnowplowLine.EVENT_ID)).isEqualTo("demo-ab-1");
        assertThat(pv.get(SnowplowLine.DOMAIN_USERID)).isEqualTo("user-0007");
        assertThat(pv.get(SnowplowLine.PAGE_URLPATH)).isEqualTo("/article-90042");
        assertThat(pv.get(SnowplowLine.PAGE_URL)).isEqualTo("https://news.example.com/article-90042?utm_source=x");
        assertThat(pv.get(SnowplowLine.USERAGENT)).isEqualTo(UA);
        assertThat(pv.get(SnowplowLine.DERIVED_TSTAMP)).isEqualTo("2026-03-01 08:00:00.000");
        assertThat(pv.get(SnowplowLine.DVCE_CREATED_TSTAMP)).isEqualTo("2026-03-01 08:00:00.000");
        assertThat(pv.get(SnowplowLine.COLLECTOR_TSTAMP)).isEqualTo("2026-03-01 08:00:01.000");
        assertThat(pv.get(SnowplowLine.index("domain_sessionidx"))).isEqualTo("1");
        assertThat(hidden).isEmpty();
        assertThat(first).hasSize(1); // (0, 12 s]: +5 s
        assertThat(second).hasSize(1); // (14 s, 22 s]: +15 s
        assertThat(third).hasSize(1); // (22 s, 30 s]: +25 s

        AttentionEvent pageView = decode(view.get(0));
        assertThat(pageView.getKind()).isEqualTo(EventKind.CLICK);
        assertThat(pageView.getEventType()).isEqualTo(EventType.VIEW);
        assertThat(pageView.getItemId()).isEqualTo("/article-90042");
        assertThat(pageView.getViewId()).isNotBlank();
        assertThat(pageView.getEventTime()).isEqualTo(T0.toEpochMilli());
        assertThat(pageView.getSessionId()).isNotNull();
        List<AttentionEvent> pings = List.of(decode(first.get(0)), decode(second.get(0)), decode(third.get(0)));
        assertThat(pings)
                .extracting(AttentionEvent::getEventTime)
                .containsExactly(
                        T0.plusSeconds(5).toEpochMilli(),
                        T0.plusSeconds(15).toEpochMilli(),
                        T0.plusSeconds(25).toEpochMilli());
        assertThat(pings)
                .extracting(AttentionEvent::getEventId)
                .containsExactly("demo-ab-2-p0", "demo-ab-4-p1", "demo-ab-5-p2");
        assertThat(pings).allSatisfy(p -> {
            assertThat(p.getKind()).isEqualTo(EventKind.HEARTBEAT);
            assertThat(p.getViewId()).isEqualTo(pageView.getViewId());
            assertThat(p.getItemId()).isEqualTo("/article-90042");
            assertThat(p.getSessionId()).isEqualTo(pageView.getSessionId());
            assertThat(p.getScrollDepthPct()).isEqualTo(40);
        });
        assertThat(SnowplowLine.parse(first.get(0).value()).get(SnowplowLine.DVCE_CREATED_TSTAMP))
                .isEqualTo("2026-03-01 08:00:05.000");
    }

    @Test
    void aViewIdIsKeptAndAHeartbeatIsAPingOfItsView() throws Exception {
        DemoSnowplow snowplow = new DemoSnowplow();
        AttentionEvent pv = decode(
                snowplow.convert(view("user-0003", "e-1", T0, "pv-42"), at(1)).get(0));
        DwellEvent beat = dwellEvent("user-0003", "e-2", T0.plusSeconds(7), 7_000);
        beat.setKind(org.attentionanalytics.avro.DwellKind.HEARTBEAT);
        beat.setDwellMs(null);
        beat.setViewId("pv-42");
        List<DemoRecord> ping = snowplow.convert(record(DemoRecord.DWELL_TIME, beat), at(8));

        assertThat(pv.getViewId()).isEqualTo("pv-42");
        assertThat(ping).hasSize(1);
        AttentionEvent p = decode(ping.get(0));
        assertThat(p.getKind()).isEqualTo(EventKind.HEARTBEAT);
        assertThat(p.getViewId()).isEqualTo("pv-42");
        assertThat(p.getEventId()).isEqualTo("e-2");
        assertThat(p.getEventTime()).isEqualTo(T0.plusSeconds(7).toEpochMilli());
    }

    @Test
    void clicksSearchesAndPurchasesMapToLinkClickUnstructAndTransactionItem() throws Exception {
        DemoSnowplow snowplow = new DemoSnowplow();
        snowplow.convert(view("user-0001", "e-1", T0, null), at(1));
        ClickEvent click = viewEvent("user-0001", "e-2", T0.plusSeconds(30), null);
        click.setEventType(EventType.CLICK);
        click.setItemId("article-90007");
        click.setUrl("https://news.example.com/news/sports/football/article-90007");
        ClickEvent purchase = viewEvent("user-0001", "e-3", T0.plusSeconds(60), null);
        purchase.setEventType(EventType.PURCHASE);
        purchase.setItemId("product-220003");

        SnowplowLine linkLine = SnowplowLine.parse(snowplow.convert(record(DemoRecord.CLICKSTREAM, click), at(31))
                .get(0)
                .value());
        DemoRecord purchaseRecord = snowplow.convert(record(DemoRecord.CLICKSTREAM, purchase), at(61))
                .get(0);

        assertThat(linkLine.get(SnowplowLine.EVENT)).isEqualTo("unstruct");
        assertThat(linkLine.get(SnowplowLine.EVENT_NAME)).isEqualTo("link_click");
        AttentionEvent link =
                decode(new DemoRecord(DemoRecord.SNOWPLOW, "user-0001", linkLine.encode(new int[0], (i, v) -> v)));
        assertThat(link.getEventType()).isEqualTo(EventType.CLICK);
        assertThat(link.getItemId()).isEqualTo("/article-90007");
        SnowplowLine tiLine = SnowplowLine.parse(purchaseRecord.value());
        assertThat(tiLine.get(SnowplowLine.EVENT)).isEqualTo("transaction_item");
        assertThat(tiLine.get(SnowplowLine.TI_SKU)).isEqualTo("product-220003");
        AttentionEvent bought = decode(purchaseRecord);
        assertThat(bought.getEventType()).isEqualTo(EventType.PURCHASE);
        assertThat(bought.getItemId()).isEqualTo("product-220003");
    }

    @Test
    void theSessionIdChangesAfterThirtyMinutesOfInactivityAndNotForAFutureEvent() throws Exception {
        DemoSnowplow snowplow = new DemoSnowplow();
        String s1 = session(snowplow, T0, T0);
        String s1Again = session(snowplow, T0.plus(Duration.ofMinutes(29)), T0.plus(Duration.ofMinutes(29)));
        session(snowplow, T0.plus(Duration.ofDays(2)), T0.plus(Duration.ofMinutes(30))); // the demo's bad record
        String s1Still = session(snowplow, T0.plus(Duration.ofMinutes(58)), T0.plus(Duration.ofMinutes(58)));
        String s2 = session(snowplow, T0.plus(Duration.ofMinutes(89)), T0.plus(Duration.ofMinutes(89)));

        assertThat(s1Again).isEqualTo(s1);
        assertThat(s1Still).isEqualTo(s1);
        assertThat(s2).isNotEqualTo(s1).matches("[0-9a-f-]{36}");
    }

    @Test
    void theCatalogHasEveryItemByPathAndById() throws Exception {
        List<DemoRecord> catalog = DemoSnowplow.catalog();

        assertThat(catalog).hasSize(2 * Taxonomy.TOPICS.size() * Taxonomy.ITEMS_PER_TOPIC);
        ContentProfile byPath = ContentProfile.getDecoder()
                .decode(catalog.stream()
                        .filter(r -> r.key().equals("/article-90000"))
                        .findFirst()
                        .orElseThrow()
                        .value());
        assertThat(byPath.getItemId()).isEqualTo("/article-90000");
        assertThat(byPath.getTopics()).containsOnlyKeys("news.sports.football", "news.sports.tennis");
        assertThat(catalog).allMatch(r -> r.topic().equals(DemoRecord.CONTENT_CATALOG));
    }

    /** 20 minutes of 300 users with noise: lines the door takes, pings of known views, items in the catalog. */
    @Test
    void theDemoThroughTheSnowplowDoor() throws Exception {
        FakeClock clock = new FakeClock(T0);
        DemoTraffic demo = new DemoTraffic(11, 300, clock, 0, true);
        DemoSnowplow snowplow = new DemoSnowplow();
        Set<String> catalogKeys = new HashSet<>();
        DemoSnowplow.catalog().forEach(r -> catalogKeys.add(r.key()));
        Map<DeadLetterReason, Integer> deadLetters = new EnumMap<>(DeadLetterReason.class);
        Map<String, String> viewItems = new HashMap<>();
        Set<String> sessions = new HashSet<>();
        int views = 0;
        int pings = 0;
        int pingsOfUnknownViews = 0;
        int bots = 0;
        for (int second = 0; second < 20 * 60; second++) {
            clock.advance(Duration.ofSeconds(1));
            for (DemoRecord r : demo.nextBatch()) {
                for (DemoRecord line : snowplow.convert(r, clock.millis())) {
                    if (!line.topic().equals(DemoRecord.SNOWPLOW)) {
                        assertThat(line.topic()).isIn(DemoRecord.ATTENTION_BUDGETS, DemoRecord.FOCUS_BLOCKS);
                        continue;
                    }
                    SourceRecord s = door.decode("snowplow-enriched", 0, offset++, null, line.value(), clock.millis());
                    if (s.getBot()) {
                        bots++;
                    } else if (s.getDeadLetter() != null) {
                        deadLetters.merge(s.getDeadLetter().getReason(), 1, Integer::sum);
                    } else {
                        AttentionEvent e = s.getEvent();
                        sessions.add(e.getSessionId());
                        if (e.getEventType() == EventType.VIEW) {
                            views++;
                            viewItems.put(e.getViewId(), e.getItemId());
                        } else if (e.getKind() == EventKind.HEARTBEAT) {
                            pings++;
                            if (!e.getItemId().equals(viewItems.get(e.getViewId()))) {
                                pingsOfUnknownViews++;
                            }
                        }
                        if (e.getItemId() != null) {
                            assertThat(catalogKeys).contains(e.getItemId());
                        }
                    }
                }
            }
        }

        assertThat(deadLetters).containsOnlyKeys(DeadLetterReason.UNDECODABLE, DeadLetterReason.FUTURE_TIMESTAMP);
        assertThat(views).isGreaterThan(1_000);
        assertThat(pings).isGreaterThan(2 * views);
        assertThat(pingsOfUnknownViews).isZero();
        assertThat(bots).isPositive();
        assertThat(sessions).hasSizeGreaterThan(100);
    }

    private String session(DemoSnowplow snowplow, Instant t, Instant now) throws Exception {
        DemoRecord r = snowplow.convert(view("user-0002", "e-" + t, t, null), now.toEpochMilli())
                .get(0);
        return SnowplowLine.parse(r.value()).get(SnowplowLine.DOMAIN_SESSIONID);
    }

    private AttentionEvent decode(DemoRecord r) {
        SourceRecord s = door.decode(
                "snowplow-enriched",
                0,
                offset++,
                null,
                r.value(),
                T0.plusSeconds(60).toEpochMilli());
        assertThat(s.getDeadLetter()).as("dead letter").isNull();
        return s.getEvent();
    }

    private static long at(int seconds) {
        return T0.plusSeconds(seconds).toEpochMilli();
    }

    private static ClickEvent viewEvent(String user, String eventId, Instant t, String viewId) {
        return ClickEvent.newBuilder()
                .setEventId(eventId)
                .setUserId(user)
                .setEventTime(t)
                .setEventType(EventType.VIEW)
                .setItemId("article-90042")
                .setTopics(List.of("news.sports.football"))
                .setUrl("https://news.example.com/news/sports/football/article-90042?utm_source=x")
                .setUserAgent(UA)
                .setViewId(viewId)
                .build();
    }

    private static DemoRecord view(String user, String eventId, Instant t, String viewId) {
        return record(DemoRecord.CLICKSTREAM, viewEvent(user, eventId, t, viewId));
    }

    private static DemoRecord dwell(String user, String eventId, Instant t, long ms) {
        return record(DemoRecord.DWELL_TIME, dwellEvent(user, eventId, t, ms));
    }

    private static DwellEvent dwellEvent(String user, String eventId, Instant t, long ms) {
        return DwellEvent.newBuilder()
                .setEventId(eventId)
                .setUserId(user)
                .setEventTime(t)
                .setItemId("article-90042")
                .setDwellMs(ms)
                .setScrollDepthPct(40)
                .setTopics(List.of("news.sports.football"))
                .setUserAgent(UA)
                .setVisible(ms > 0)
                .build();
    }

    private static DemoRecord record(String topic, Object event) {
        byte[] bytes = event instanceof ClickEvent c
                ? DemoTraffic.encode(c::toByteBuffer)
                : DemoTraffic.encode(((DwellEvent) event)::toByteBuffer);
        return new DemoRecord(topic, "key", bytes);
    }
}
