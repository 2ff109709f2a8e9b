package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.ErasureRequest;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.Recommendation;
import org.attentionanalytics.avro.RecommendationReason;
import org.attentionanalytics.privacy.Pseudonymizer;
import org.attentionanalytics.testutil.GraphRun;
import org.attentionanalytics.testutil.OutputTopics.Keyed;
import org.attentionanalytics.testutil.RawRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Edge cases of the recommendations through the whole graph ({@link GraphRun}, bounded, parallelism 2): shuffles, erasures, the popularity fill, odd item ids. */
@Tag("slow") // about 30 s of whole-graph runs: mvn verify -Pslow
class RecommendationEdgeCasesGraphTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = GraphRun.miniCluster();

    @TempDir
    static Path dir;

    static final String KEY = "recs-break-key";
    static final Instant T = Instant.parse("2025-01-06T09:00:00Z");
    static final Pseudonymizer PSEUDONYMS = new Pseudonymizer(KEY.getBytes(StandardCharsets.UTF_8));

    static ClickEvent click(String user, String item, long ms, EventType type) {
        return ClickEvent.newBuilder()
                .setEventId(user + "-" + item + "-" + ms + "-" + type)
                .setUserId(user)
                .setEventTime(T.plusMillis(ms))
                .setEventType(type)
                .setItemId(item)
                .setTopics(List.of("news"))
                .build();
    }

    static RawRecord raw(int partition, ClickEvent e) {
        return RawRecord.of(partition, e.getUserId(), e);
    }

    static RawRecord erasure(String user, long ms) {
        return RawRecord.of(
                user,
                ErasureRequest.newBuilder()
                        .setRequestId("req-" + user + "-" + ms)
                        .setUserId(user)
                        .setRequestedAt(T.plusMillis(ms))
                        .build());
    }

    static java.time.Duration watermarkInterval;
    /** {@code --recs.weight.matches-interests} of the next {@link #run} (the default: 1). */
    static double matchesInterests = 1;

    static List<Keyed<Recommendation>> run(List<RawRecord> clicks, List<RawRecord> erasures) throws Exception {
        JobOptions options = GraphRun.boundedOptions(dir, KEY);
        options.recsEnabled = true;
        options.watermarkInterval = watermarkInterval;
        options.recsWeightMatchesInterests = matchesInterests;
        try (GraphRun run = new GraphRun(options)) {
            run.add(options.clickstreamTopic, clicks.toArray(RawRecord[]::new));
            if (!erasures.isEmpty()) {
                run.add(options.privacyRequestsTopic, erasures.toArray(RawRecord[]::new));
            }
            run.run();
            return run.outputs().decoded(options.recommendationsTopic, Recommendation.class);
        }
    }

    static List<Recommendation> of(List<Keyed<Recommendation>> records, String user) {
        String key = PSEUDONYMS.pseudonym(user);
        return records.stream()
                .filter(r -> r.key().equals(key))
                .map(Keyed::value)
                .toList();
    }

    static Map<String, List<Recommendation>> byUser(List<Keyed<Recommendation>> records) {
        Map<String, List<Recommendation>> byUser = new TreeMap<>();
        for (Keyed<Recommendation> r : records) {
            byUser.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
        }
        return byUser;
    }

    /**
     * u1 and u2 view a in the first minute: the snapshots at T+60 s hold a with the count the gate
     * reported with its first view of that minute (1, decayed a little to T+60 s), overall and for
     * topic news. u3's first view (b, at T+90 s) has no neighbours. Item-to-item alone ({@code
     * --recs.weight.matches-interests 0}): its list is filled from that snapshot, [a POPULAR]. With
     * content matching (the default), u3's interests are news alone and a is the news table's only
     * item: cosine 1 x share 1, the best match, so 1 x weight 1: [a MATCHES_INTERESTS 1.0]. Views of
     * news items half an hour later make later snapshots, which must change neither list.
     */
    @Test
    void anEarlyListIsFilledFromThePopularitySnapshotOfItsTime() throws Exception {
        List<RawRecord> clicks = List.of(
                raw(0, click("u1", "a", 0, EventType.VIEW)),
                raw(0, click("u2", "a", 10_000, EventType.VIEW)),
                raw(0, click("u3", "b", 90_000, EventType.VIEW)),
                raw(0, click("u4", "c", 1_200_000, EventType.VIEW)),
                raw(0, click("u5", "d", 1_800_000, EventType.VIEW)));
        try {
            matchesInterests = 0;
            List<Recommendation> u3 = of(run(clicks, List.of()), "u3");
            assertThat(u3).hasSize(1);
            assertThat(u3.get(0).getItems()).singleElement().satisfies(i -> {
                assertThat(i.getItemId()).isEqualTo("a");
                assertThat(i.getReason()).isEqualTo(RecommendationReason.POPULAR);
                assertThat(i.getScore()).isCloseTo(1.0, within(1e-3));
            });
        } finally {
            matchesInterests = 1;
        }
        List<Recommendation> u3 = of(run(clicks, List.of()), "u3");
        assertThat(u3).hasSize(1);
        assertThat(u3.get(0).getItems()).singleElement().satisfies(i -> {
            assertThat(i.getItemId()).isEqualTo("a");
            assertThat(i.getReason()).isEqualTo(RecommendationReason.MATCHES_INTERESTS);
            assertThat(i.getScore()).isCloseTo(1.0, within(1e-12));
        });
    }

    /** Several users, items, sessions and purchases; events moved by less than the out-of-orderness, across partitions. */
    static List<ClickEvent> workload() {
        Random random = new Random(42);
        List<ClickEvent> events = new ArrayList<>();
        for (int u = 0; u < 12; u++) {
            long t = random.nextInt(120) * 1_000L;
            for (int session = 0; session < 2; session++) {
                for (int v = 0; v < 6; v++) {
                    String item = "i" + random.nextInt(10);
                    events.add(click("user" + u, item, t, EventType.VIEW));
                    if (random.nextInt(8) == 0) {
                        events.add(click("user" + u, item, t + 1_000, EventType.PURCHASE));
                    }
                    t += (5 + random.nextInt(60)) * 1_000L;
                }
                t += 40 * 60_000L; // the next session
            }
        }
        return events;
    }

    /** Arrival order: event time plus a random delay below 30 s; a random partition each. */
    static List<RawRecord> shuffled(List<ClickEvent> events, long seed) {
        Random random = new Random(seed);
        List<long[]> order = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            order.add(new long[] {events.get(i).getEventTime().toEpochMilli() + random.nextInt(25_000), i});
        }
        order.sort(Comparator.comparingLong((long[] o) -> o[0]).thenComparingLong(o -> o[1]));
        List<RawRecord> out = new ArrayList<>();
        for (long[] o : order) {
            out.add(raw(random.nextInt(GraphRun.PARTITIONS), events.get((int) o[1])));
        }
        return out;
    }

    @Test
    @Tag("slow") // several whole-graph runs (seeds 1 to 3): mvn verify -Pslow
    void shufflesWithinTheOutOfOrdernessGiveTheSameRecords() throws Exception {
        List<ClickEvent> events = workload();
        List<RawRecord> inOrder = new ArrayList<>();
        events.stream().sorted(Comparator.comparing(ClickEvent::getEventTime)).forEach(e -> inOrder.add(raw(0, e)));
        Map<String, List<Recommendation>> expected = byUser(run(inOrder, List.of()));
        assertThat(expected).isNotEmpty();
        for (long seed : new long[] {1, 2, 3}) {
            assertThat(byUser(run(shuffled(events, seed), List.of())))
                    .as("seed " + seed)
                    .isEqualTo(expected);
        }
    }

    /** As above, with watermarks every millisecond, so that they advance while the input is read. */
    @Test
    @Tag("slow") // several whole-graph runs (seeds 1 to 3): mvn verify -Pslow
    void shufflesGiveTheSameRecordsWhenWatermarksAdvanceDuringTheRun() throws Exception {
        watermarkInterval = java.time.Duration.ofMillis(1);
        try {
            List<ClickEvent> events = workload();
            List<RawRecord> inOrder = new ArrayList<>();
            events.stream()
                    .sorted(Comparator.comparing(ClickEvent::getEventTime))
                    .forEach(e -> inOrder.add(raw(0, e)));
            Map<String, List<Recommendation>> expected = byUser(run(inOrder, List.of()));
            for (long seed : new long[] {1, 2, 3}) {
                assertThat(byUser(run(shuffled(events, seed), List.of())))
                        .as("seed " + seed)
                        .isEqualTo(expected);
            }
        } finally {
            watermarkInterval = null;
        }
    }

    /**
     * Erasure before any event, two erasures of one user, events after the erasure: after each
     * tombstone, no list dated (as_of) at or before that erasure.
     */
    @Test
    void noListFromBeforeAnErasureFollowsItsTombstone() throws Exception {
        List<RawRecord> clicks = new ArrayList<>();
        for (ClickEvent e : List.of(
                click("e1", "a", 30_000, EventType.VIEW),
                click("e1", "b", 60_000, EventType.VIEW),
                click("e2", "a", 50_000, EventType.VIEW),
                click("e2", "b", 150_000, EventType.VIEW),
                click("e2", "c", 250_000, EventType.VIEW),
                click("e3", "a", 10_000, EventType.VIEW),
                click("e3", "b", 20_000, EventType.VIEW),
                click("x", "a", 20_000, EventType.VIEW),
                click("x", "b", 40_000, EventType.VIEW))) {
            clicks.add(raw(0, e));
        }
        List<Keyed<Recommendation>> records = run(
                clicks,
                List.of(erasure("e1", -60_000), erasure("e2", 100_000), erasure("e2", 200_000), erasure("e3", 60_000)));
        // e3: two views, then one erasure: its last record is the tombstone
        List<Recommendation> e3 = of(records, "e3");
        assertThat(e3).as("e3's records: %s", e3).isNotEmpty().last().isNull();
        List<Recommendation> e1 = of(records, "e1");
        List<Recommendation> e2 = of(records, "e2");
        // e1: the erasure came before its events: its lists are those of its views
        assertThat(e1).filteredOn(r -> r != null).isNotEmpty();
        assertThat(e1.get(e1.size() - 1)).isNotNull();
        // e2: two tombstones; the last list is the one of c
        assertThat(e2).filteredOn(r -> r == null).hasSize(2);
        int second = e2.lastIndexOf(null);
        assertThat(e2.subList(second + 1, e2.size()))
                .as("e2's records: %s", e2)
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.getAsOf()).isAfter(T.plusMillis(200_000)));
        int first = e2.indexOf(null);
        assertThat(e2.subList(first + 1, second))
                .allSatisfy(r -> assertThat(r.getAsOf()).isAfter(T.plusMillis(100_000)));
        // c's list: context c only (b and a were erased): a, b not excluded any more
    }

    /**
     * Odd items: an empty id (accepted at the door; a blank item id is no item for the
     * recommendations), a 5,000-character id (a dead letter at the door, so never seen here), a
     * purchase without a view. o1 and o2 viewed no item the recommendations count, so they get no
     * list; o3's lists never propose "".
     */
    @Test
    void anEmptyItemIdIsNeverRecommended() throws Exception {
        String longId = "x".repeat(5_000);
        List<RawRecord> clicks = new ArrayList<>();
        for (ClickEvent e : List.of(
                click("o1", "", 0, EventType.VIEW),
                click("o1", longId, 10_000, EventType.VIEW),
                click("o1", "p", 20_000, EventType.PURCHASE),
                click("o2", "", 30_000, EventType.VIEW),
                click("o2", longId, 40_000, EventType.VIEW),
                click("o3", "q", 200_000, EventType.VIEW))) {
            clicks.add(raw(0, e));
        }
        List<Keyed<Recommendation>> records = run(clicks, List.of());
        assertThat(of(records, "o1")).isEmpty();
        assertThat(of(records, "o2")).isEmpty();
        assertThat(of(records, "o3"))
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.getItems())
                        .as("o3's list %s", r)
                        .noneSatisfy(i -> assertThat(i.getItemId()).isEmpty()));
    }
}
