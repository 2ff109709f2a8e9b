package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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
import org.attentionanalytics.avro.RecommendedItem;
import org.attentionanalytics.privacy.Pseudonymizer;
import org.attentionanalytics.testutil.GraphRun;
import org.attentionanalytics.testutil.OutputTopics.Keyed;
import org.attentionanalytics.testutil.RawRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recommendations} through the job's whole graph (bounded, in-memory sources through the
 * doors, MiniCluster at parallelism 2, RocksDB; {@link GraphRun}), DESIGN.md section 12. Half-life
 * 100,000 days, so decay changes no figure below in its first 6 decimals; defaults otherwise (size
 * 10, lists at most every 10 s, views of the last hour excluded). T is a whole minute.
 *
 * <ul>
 *   <li>{@code u1}: a at T, b at T+60 s; {@code u2}: a at T+1 s, b at T+61 s. The item gate counts
 *       a twice by T+1 s, b twice by T+61 s; pairs a-b at T+60 s and T+61 s.
 *   <li>{@code u3}: a at T+600 s. Row a answers before it takes T+600 s's count: n(a) = 3 (u1, u2 and
 *       u4's view at T+5 s, applied before u4's erasure at T+300 s), C(a,b) = 2, n(b) = 2 (reported
 *       with the pair at T+61 s): cos = 2 / sqrt(3 x 2) = 0.81650, weight 1. a is excluded (just
 *       viewed); the popularity snapshot at T+120 s (a 3, b 2) adds nothing new. List: [b 0.81650].
 *   <li>{@code u3}: c at T+660 s. Context c (weight 1; row c does not exist before T+660 s) and a
 *       (weight 1/2): row a heard n(a) = 4 with u3's view at T+600 s (the gate counted u1, u2, u4 and
 *       u3: an aggregate count keeps u4's view after u4's erasure), cos(a,b) = 2 / sqrt(4 x 2) =
 *       0.70711, score 0.35355. List: [b].
 *   <li>{@code u4}: a at T+5 s, erasure requested at T+300 s (a bounded run erases in event time):
 *       the list after a, then the tombstone.
 * </ul>
 */
class RecommendationsTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = GraphRun.miniCluster();

    @TempDir
    static Path dir;

    static final String KEY = "recs-key";
    static final Instant T = Instant.parse("2025-01-06T09:00:00Z");
    static final Pseudonymizer PSEUDONYMS = new Pseudonymizer(KEY.getBytes(StandardCharsets.UTF_8));

    static List<Keyed<Recommendation>> records;

    static ClickEvent view(String user, String item, long seconds) {
        return ClickEvent.newBuilder()
                .setEventId(user + "-" + item + "-" + seconds)
                .setUserId(user)
                .setEventTime(T.plusSeconds(seconds))
                .setEventType(EventType.VIEW)
                .setItemId(item)
                .setTopics(List.of("news"))
                .build();
    }

    static List<RawRecord> views() {
        List<RawRecord> views = new ArrayList<>();
        for (ClickEvent e : List.of(
                view("u1", "a", 0),
                view("u1", "b", 60),
                view("u2", "a", 1),
                view("u2", "b", 61),
                view("u3", "a", 600),
                view("u3", "c", 660),
                view("u4", "a", 5))) {
            views.add(RawRecord.of(e.getUserId(), e));
        }
        return views;
    }

    static List<Keyed<Recommendation>> run(List<RawRecord> clicks) throws Exception {
        JobOptions options = GraphRun.boundedOptions(dir, KEY);
        options.recsEnabled = true;
        options.recsHalfLife = Duration.ofDays(100_000);
        options.recsWeightMatchesInterests = 0; // item-to-item alone: the scores below are its sums
        options.recsWeightSimilarUsers = 0;
        try (GraphRun run = new GraphRun(options)) {
            run.add(options.clickstreamTopic, clicks.toArray(RawRecord[]::new))
                    .add(
                            options.privacyRequestsTopic,
                            RawRecord.of(
                                    "u4",
                                    ErasureRequest.newBuilder()
                                            .setRequestId("req-u4")
                                            .setUserId("u4")
                                            .setRequestedAt(T.plusSeconds(300))
                                            .build()));
            run.run();
            return run.outputs().decoded(options.recommendationsTopic, Recommendation.class);
        }
    }

    @BeforeAll
    static void runOnce() throws Exception {
        records = run(views());
    }

    static List<Recommendation> of(List<Keyed<Recommendation>> records, String user) {
        String key = PSEUDONYMS.pseudonym(user);
        return records.stream()
                .filter(r -> r.key().equals(key))
                .map(Keyed::value)
                .toList();
    }

    @Test
    void listsFollowViewsFromSessionCooccurrence() {
        List<Recommendation> u3 = of(records, "u3");
        assertThat(u3).extracting(r -> r.getAsOf()).containsExactly(T.plusSeconds(600), T.plusSeconds(660));
        RecommendedItem first = u3.get(0).getItems().get(0);
        assertThat(u3.get(0).getItems()).hasSize(1);
        assertThat(first.getItemId()).isEqualTo("b");
        assertThat(first.getReason()).isEqualTo(RecommendationReason.SIMILAR_TO_RECENT);
        assertThat(first.getScore()).isCloseTo(2 / Math.sqrt(6), within(1e-6));
        assertThat(u3.get(1).getItems()).singleElement().satisfies(i -> {
            assertThat(i.getItemId()).isEqualTo("b");
            assertThat(i.getScore()).isCloseTo(0.5 * 2 / Math.sqrt(8), within(1e-6));
        });
        assertThat(u3.get(0).getUser()).isEqualTo(PSEUDONYMS.pseudonym("u3"));
        // u1's first view came before any count: nothing similar, no popularity snapshot yet
        assertThat(of(records, "u1").get(0).getItems()).isEmpty();
    }

    @Test
    void anErasureEndsWithATombstone() {
        List<Recommendation> u4 = of(records, "u4");
        assertThat(u4).hasSize(2);
        assertThat(u4.get(0).getAsOf()).isEqualTo(T.plusSeconds(5));
        assertThat(u4.get(1)).as("the tombstone").isNull();
    }

    @Test
    void theSameEventsInAnotherOrderAndPartitionGiveTheSameRecords() throws Exception {
        List<RawRecord> shuffled = new ArrayList<>();
        Random random = new Random(7);
        List<RawRecord> views = views();
        Collections.shuffle(views, random);
        for (RawRecord r : views) {
            shuffled.add(new RawRecord(random.nextInt(GraphRun.PARTITIONS), r.key(), r.value(), r.timestamp()));
        }
        assertThat(byUser(run(shuffled))).isEqualTo(byUser(records));
    }

    /** Each user's records in order (the order across users depends on partitions). */
    static Map<String, List<Recommendation>> byUser(List<Keyed<Recommendation>> records) {
        Map<String, List<Recommendation>> byUser = new TreeMap<>();
        for (Keyed<Recommendation> r : records) {
            byUser.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
        }
        return byUser;
    }
}
