package org.attentionanalytics.local.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.DwellKind;
import org.attentionanalytics.avro.EventType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DemoTrafficTest {
    private static final Instant START = Instant.parse("2026-03-01T08:00:00Z");
    private static final Pattern BOT = Pattern.compile("(?i)bot|headless");
    /** A random token and a sequence number: no user id in an event id (a dead letter keeps its event id). */
    private static final Pattern EVENT_ID = Pattern.compile("demo-[0-9a-f]{16}-\\d+");

    private static final long FOUR_HOURS_MS = Duration.ofHours(4).toMillis();

    /** 500 users for 45 min, polled every second: about 30,000 records. */
    private static List<Seen> traffic;

    @BeforeAll
    static void simulate() {
        traffic = run(42, DemoTraffic.DEFAULT_USERS, 0, Duration.ofMinutes(45), Duration.ofSeconds(1));
        assertThat(traffic).hasSizeGreaterThan(20_000);
    }

    @Test
    void sameSeedGivesSameRecordsWhateverThePollingCadence() {
        List<DemoRecord> everySecond = records(run(7, 50, 0, Duration.ofMinutes(20), Duration.ofSeconds(1)));
        List<DemoRecord> everyMinute = records(run(7, 50, 0, Duration.ofMinutes(20), Duration.ofMinutes(1)));
        List<DemoRecord> otherSeed = records(run(8, 50, 0, Duration.ofMinutes(20), Duration.ofMinutes(1)));

        assertThat(everySecond).hasSizeGreaterThan(500).isEqualTo(everyMinute);
        assertThat(otherSeed).isNotEqualTo(everyMinute);
    }

    @Test
    void everyValueDecodesExceptAFewBytesOfGarbage() {
        List<Seen> garbage = select(s -> !s.decoded());

        assertThat(garbage).hasSizeBetween(1, 40).allSatisfy(s -> {
            assertThat(s.record.value()).hasSizeBetween(4, 24);
            assertThat(s.record.value()[0]).isNotEqualTo((byte) 0xC3);
        });
        assertThat(select(Seen::decoded)).allSatisfy(s -> assertThat(s.userId()).isEqualTo(s.record.key()));
    }

    @Test
    void noiseFractionsAreAsStated() {
        double n = traffic.size();
        Map<String, Long> perId = traffic.stream()
                .filter(Seen::decoded)
                .collect(Collectors.groupingBy(Seen::eventId, Collectors.counting()));
        long duplicates = perId.values().stream().mapToLong(c -> c - 1).sum();
        List<Seen> bots = select(s -> s.decoded() && BOT.matcher(s.userAgent()).find());
        long negative = select(s -> s.dwell != null && s.dwell.getDwellMs() != null && s.dwell.getDwellMs() < 0)
                .size();
        long tooLong = select(
                        s -> s.dwell != null && s.dwell.getDwellMs() != null && s.dwell.getDwellMs() > FOUR_HOURS_MS)
                .size();
        long future = select(s -> s.decoded()
                        && s.eventTime() > s.polledAt + Duration.ofDays(1).toMillis())
                .size();
        long badZone = select(s -> s.click != null && DemoTraffic.INVALID_TIME_ZONE.equals(s.click.getTimeZone()))
                .size();
        long garbage = select(s -> !s.decoded()).size();
        long oversize = select(s -> s.click != null
                        && s.click.getTopics().stream()
                                .anyMatch(topic -> topic.length() == DemoTraffic.OVERSIZE_TOPIC_CHARS))
                .size();

        assertThat(duplicates / n).isBetween(0.0025, 0.008);
        assertThat(bots.size() / n).isBetween(0.0025, 0.008);
        assertThat(bots).allSatisfy(s -> assertThat(s.record.key()).matches("bot-\\d{3}"));
        assertThat(List.of(negative, tooLong, future, badZone, garbage, oversize))
                .allSatisfy(c -> assertThat(c).isPositive());
        assertThat((negative + tooLong + future + badZone + garbage + oversize) / n)
                .isBetween(0.0008, 0.004);
    }

    @Test
    void eventIdsAreUniqueExceptTheResentRecords() {
        Map<String, List<Seen>> perId =
                traffic.stream().filter(Seen::decoded).collect(Collectors.groupingBy(Seen::eventId));

        assertThat(perId.values().stream()
                        .filter(same -> same.size() > 2
                                || same.size() == 2 && !same.get(0).record.equals(same.get(1).record)))
                .isEmpty();
        assertThat(perId.values().stream().filter(same -> same.size() == 2)).isNotEmpty();
        assertThat(perId.keySet().stream().filter(id -> !EVENT_ID.matcher(id).matches()))
                .isEmpty();
    }

    @Test
    void ordinaryEventsAreRealistic() {
        List<Seen> ordinary = select(Seen::ordinary);
        List<Seen> people = select(s -> s.ordinary() && s.record.key().startsWith("user-"));

        assertThat(ordinary).allSatisfy(s -> {
            assertThat(s.eventTime()).isBetween(START.toEpochMilli(), s.polledAt);
            assertThat(s.polledAt - s.eventTime()).isLessThanOrEqualTo(8_000); // "now": within the jitter
        });
        assertThat(select(s -> s.ordinary() && s.dwell != null && s.dwell.getKind() == DwellKind.DWELL))
                .isNotEmpty()
                .allSatisfy(s -> {
                    assertThat(s.dwell.getDwellMs()).isBetween(0L, 15_000L);
                    assertThat(s.dwell.getScrollDepthPct()).isBetween(0, 100);
                    assertThat(s.dwell.getItemId()).isNotNull();
                });
        // every fourth person's site sends page pings: no dwell_ms, the page-view id of a VIEW they sent
        Set<String> viewIds = select(s -> s.click != null && s.click.getViewId() != null).stream()
                .map(s -> s.click.getViewId())
                .collect(Collectors.toSet());
        assertThat(select(s -> s.ordinary() && s.dwell != null && s.dwell.getKind() == DwellKind.HEARTBEAT))
                .isNotEmpty()
                .allSatisfy(s -> {
                    assertThat(s.dwell.getDwellMs()).isNull();
                    assertThat(s.dwell.getScrollDepthPct()).isBetween(0, 100);
                    assertThat(viewIds).contains(s.dwell.getViewId());
                });
        assertThat(people.stream().filter(s -> s.click != null)).allSatisfy(s -> {
            assertThat(s.click.getIp()).isNotNull();
            assertThat(s.click.getUserAgent()).isNotNull();
            assertThat(s.click.getDeviceId()).isNotNull();
        });
        Set<String> zones =
                people.stream().map(Seen::timeZone).filter(z -> z != null).collect(Collectors.toSet());
        assertThat(zones)
                .hasSizeGreaterThan(2)
                .allSatisfy(z -> assertThat(ZoneId.of(z)).isNotNull());
        Set<EventType> types = people.stream()
                .filter(s -> s.click != null)
                .map(s -> s.click.getEventType())
                .collect(Collectors.toSet());
        assertThat(types).contains(EventType.VIEW, EventType.CLICK, EventType.SEARCH, EventType.ADD_TO_CART);
        assertThat(people.stream().flatMap(s -> s.topics().stream()).distinct().count())
                .isGreaterThan(25);
        assertThat(people).anySatisfy(s -> assertThat(s.topics()).contains("appliances.kitchen.kettle"));
    }

    @Test
    void clicksAndDwellArriveSlightlyOutOfOrder() {
        Map<String, Long> latestClick = new HashMap<>();
        int dwellBehindClick = 0;
        for (Seen s : select(Seen::ordinary)) {
            if (s.click != null) {
                latestClick.merge(s.userId(), s.eventTime(), Math::max);
            } else if (s.eventTime() < latestClick.getOrDefault(s.userId(), Long.MIN_VALUE)) {
                dwellBehindClick++;
            }
        }
        assertThat(dwellBehindClick).isPositive();
    }

    @Test
    void skimmersOverloadThemselves() {
        Map<String, List<Seen>> views =
                select(s -> s.ordinary() && s.click != null && s.click.getEventType() == EventType.VIEW).stream()
                        .collect(Collectors.groupingBy(Seen::userId));

        long overloaded =
                views.values().stream().filter(DemoTrafficTest::overloaded).count();

        assertThat(overloaded).isPositive();
    }

    /** Users alternate sessions and pauses: gaps are a few seconds within a session, minutes to hours between. */
    @Test
    void usersAlternateSessionsAndPauses() {
        Map<String, List<Long>> times = run(3, 60, 0, Duration.ofHours(6), Duration.ofSeconds(10)).stream()
                .filter(s -> s.ordinary() && s.record.key().startsWith("user-"))
                .collect(Collectors.groupingBy(Seen::userId, Collectors.mapping(Seen::eventTime, Collectors.toList())));
        List<Long> gaps = new ArrayList<>();
        int usersWithSessionBreak = 0;
        for (List<Long> t : times.values()) {
            t.sort(Comparator.naturalOrder());
            boolean sessionBreak = false;
            for (int i = 1; i < t.size(); i++) {
                long gap = t.get(i) - t.get(i - 1);
                gaps.add(gap);
                sessionBreak |= gap >= Duration.ofMinutes(30).toMillis();
            }
            usersWithSessionBreak += sessionBreak ? 1 : 0;
        }

        long minute = 60_000;
        // within a session at most a 12 s pause after reading plus 8 s to the next VIEW, or two 15-s
        // beats when a page-ping user's tab was in the background (no ping: 30 s); pauses 3-28 min or 31+ min
        assertThat(gaps.stream()
                        .filter(g -> g > 30_000 && g < 3 * minute || g > 28 * minute + 30_000 && g < 31 * minute))
                .isEmpty();
        assertThat(gaps).anySatisfy(g -> assertThat(g).isBetween(3 * minute, 28 * minute));
        assertThat(usersWithSessionBreak).isGreaterThan(times.size() / 2);
    }

    @Test
    void aTargetRateIsApproached() {
        long halfHourIn = START.plus(Duration.ofMinutes(30)).toEpochMilli();
        long[] afterHalfHour = {0};
        poll(
                5,
                500,
                10,
                Duration.ofMinutes(90),
                Duration.ofMinutes(1),
                (batch, now) -> afterHalfHour[0] += now > halfHourIn ? batch.size() : 0);

        assertThat(afterHalfHour[0] / 3600.0).isBetween(8.0, 12.0);
        assertThat(DemoTraffic.maxEventsPerSecond(500)).isBetween(18.0, 26.0);
        assertThatThrownBy(() -> new DemoTraffic(1, 0, new FakeClock(START)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** 30 views in 10 minutes with 10 switches of topic: the job's information overload thresholds. */
    private static boolean overloaded(List<Seen> views) {
        for (int from = 0, to = 0; to < views.size(); to++) {
            while (views.get(to).eventTime() - views.get(from).eventTime() >= 600_000) {
                from++;
            }
            List<Seen> window = views.subList(from, to + 1);
            int switches = 0;
            for (int i = 1; i < window.size(); i++) {
                switches += window.get(i)
                                .topics()
                                .get(0)
                                .equals(window.get(i - 1).topics().get(0))
                        ? 0
                        : 1;
            }
            if (window.size() >= 30 && switches >= 10) {
                return true;
            }
        }
        return false;
    }

    private static List<Seen> run(long seed, int users, double target, Duration length, Duration step) {
        List<Seen> seen = new ArrayList<>();
        poll(seed, users, target, length, step, (batch, now) -> batch.forEach(r -> seen.add(new Seen(r, now))));
        return seen;
    }

    /** Polls a new simulation every {@code step} for {@code length}, from {@link #START}. */
    private static void poll(
            long seed,
            int users,
            double target,
            Duration length,
            Duration step,
            BiConsumer<List<DemoRecord>, Long> batches) {
        FakeClock clock = new FakeClock(START);
        DemoTraffic demo = new DemoTraffic(seed, users, clock, target);
        for (long polls = length.dividedBy(step); polls > 0; polls--) {
            clock.advance(step);
            batches.accept(demo.nextBatch(), clock.millis());
        }
    }

    private static List<DemoRecord> records(List<Seen> seen) {
        return seen.stream().map(s -> s.record).toList();
    }

    private static List<Seen> select(Predicate<Seen> p) {
        return traffic.stream().filter(p).toList();
    }

    /** A record as a consumer sees it: decoded when it can be, and when it was polled (ms). */
    private static final class Seen {
        final DemoRecord record;
        final long polledAt;
        final ClickEvent click;
        final DwellEvent dwell;

        Seen(DemoRecord record, long polledAt) {
            this.record = record;
            this.polledAt = polledAt;
            boolean isClick = record.topic().equals(DemoRecord.CLICKSTREAM);
            assertThat(record.topic()).isIn(DemoRecord.CLICKSTREAM, DemoRecord.DWELL_TIME);
            ClickEvent c = null;
            DwellEvent d = null;
            try {
                if (isClick) {
                    c = ClickEvent.getDecoder().decode(record.value());
                } else {
                    d = DwellEvent.getDecoder().decode(record.value());
                }
            } catch (Exception undecodable) {
                // garbage: both stay null
            }
            this.click = c;
            this.dwell = d;
        }

        boolean decoded() {
            return click != null || dwell != null;
        }

        /** Decoded, valid for the job (maybe a duplicate or a bot). */
        boolean ordinary() {
            return decoded()
                    && eventTime() <= polledAt
                    && !DemoTraffic.INVALID_TIME_ZONE.equals(timeZone())
                    && (dwell == null
                            || dwell.getDwellMs() == null // a page ping (HEARTBEAT)
                            || dwell.getDwellMs() >= 0 && dwell.getDwellMs() <= FOUR_HOURS_MS);
        }

        String eventId() {
            return click != null ? click.getEventId() : dwell.getEventId();
        }

        String userId() {
            return click != null ? click.getUserId() : dwell.getUserId();
        }

        long eventTime() {
            return (click != null ? click.getEventTime() : dwell.getEventTime()).toEpochMilli();
        }

        String userAgent() {
            return click != null ? click.getUserAgent() : dwell.getUserAgent();
        }

        String timeZone() {
            return click != null ? click.getTimeZone() : dwell.getTimeZone();
        }

        List<String> topics() {
            return click != null ? click.getTopics() : dwell.getTopics();
        }
    }
}
