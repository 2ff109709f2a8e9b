package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.attentionanalytics.avro.ClickEvent;
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

/**
 * {@code recommendations-live} through the whole graph ({@link GraphRun}, live, parallelism 2,
 * DESIGN.md section 12): a view still waiting for the watermark gets a provisional list ranked from
 * the item rows as they stand, before the final topic has anything for it.
 */
@Tag("slow") // a live whole-graph run waiting on the watermark: mvn verify -Pslow
class LiveRecommendationsGraphTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = GraphRun.miniCluster();

    static final String KEY = "live-recs-key";
    static final Pseudonymizer PSEUDONYMS = new Pseudonymizer(KEY.getBytes(StandardCharsets.UTF_8));
    static final Instant T = Instant.parse("2025-01-06T09:00:00Z");
    /** The default half-life of the recommendations' counts, s. */
    static final double H_S = 7 * 86_400;

    @TempDir
    Path dir;

    static RawRecord view(int partition, String user, String item, long s) {
        return RawRecord.of(
                partition,
                user,
                ClickEvent.newBuilder()
                        .setEventId(user + "-" + item + "-" + s)
                        .setUserId(user)
                        .setEventTime(T.plusSeconds(s))
                        .setEventType(EventType.VIEW)
                        .setItemId(item)
                        .setTopics(List.of("news"))
                        .build());
    }

    /**
     * u1 views a then b (0 s, 10 s), u2 the same (20 s, 30 s); views at 600 s on both partitions move
     * the watermark to 570 s, which settles them: rows a and b now hold their co-occurrence, and u2
     * has its final list. Then u3 views a at 601 s, ahead of the watermark. Its live list: row a's
     * neighbour b, weight 1 (the most recent item, r = 0, viewed at the list's time) times the cosine
     * C(a,b) / sqrt(n(a) n(b)). With counts decaying alike (half-life H = 7 d), C(a,b) = n(b) (both
     * views of b paired with a; n(b) as reported with the latest pair, 1 + 2^(-20 s/H) at 30 s) and
     * n(a) is that same count reported 10 s earlier (at u2's view of a), so the ratio is
     * sqrt(2^(10 s/H)) = 1.0000057, which the table caps at 1: the score is 1. a is excluded
     * (viewed within the hour), and the popular items a and b are already out or listed. The final
     * topic has nothing of u3's yet.
     */
    @Test
    void aWaitingViewGetsAProvisionalListFromTheItemRowsAsTheyStand() throws Exception {
        Path keyFile = dir.resolve("pseudonym.key");
        Files.writeString(keyFile, KEY);
        JobOptions options = JobOptions.defaults();
        options.pseudonymKeyFile = keyFile.toString();
        options.bounded = false;
        options.parallelism = 2;
        options.checkpointInterval = Duration.ofMillis(500);
        options.idleness = Duration.ofSeconds(2);
        options.recsEnabled = true;
        options.liveEnabled = true;
        options.jobName = "live-recs-test";
        String u2 = PSEUDONYMS.pseudonym("u2");
        String u3 = PSEUDONYMS.pseudonym("u3");
        try (GraphRun run = new GraphRun(options)) {
            run.add(
                    options.clickstreamTopic,
                    view(0, "u1", "a", 0),
                    view(0, "u1", "b", 10),
                    view(0, "u2", "a", 20),
                    view(0, "u2", "b", 30),
                    view(0, "u8", "z", 600),
                    view(1, "u9", "z", 600));
            JobClient job = run.start();
            try {
                await(() -> latest(run, options.recommendationsTopic, u2).isPresent(), "u2's final list");
                run.add(options.clickstreamTopic, view(0, "u3", "a", 601));
                await(() -> latest(run, options.liveRecommendationsTopic, u3).isPresent(), "u3's live list");

                Recommendation live =
                        latest(run, options.liveRecommendationsTopic, u3).orElseThrow();
                assertThat(live.getAsOf()).isEqualTo(T.plusSeconds(601));
                assertThat(live.getItems()).singleElement().satisfies(i -> {
                    assertThat(i.getItemId()).isEqualTo("b");
                    assertThat(i.getReason()).isEqualTo(RecommendationReason.SIMILAR_TO_RECENT);
                    assertThat(Math.sqrt(Math.pow(2, 10 / H_S))).isGreaterThan(1.0); // the ratio, before the cap
                    assertThat(i.getScore()).isEqualTo(1.0);
                });
                assertThat(latest(run, options.recommendationsTopic, u3)).isEmpty();
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The final lists do not depend on the live ones: the recommendation edge cases' workload (12
     * users, two sessions each, purchases), shuffled within the out-of-orderness, gives the same
     * {@code recommendations} records with live topics on as with them off. The live topic has
     * lists for the same users (a live record held back while the watermark passes its views still
     * carries them), and none proposes an item its user viewed within the exclusion window (1 h).
     */
    @Test
    void theFinalListsAreTheSameWithLiveListsOn() throws Exception {
        List<ClickEvent> events = RecommendationEdgeCasesGraphTest.workload();
        List<RawRecord> input = RecommendationEdgeCasesGraphTest.shuffled(events, 7);
        List<Keyed<Recommendation>> off = null;
        for (boolean live : new boolean[] {false, true}) {
            JobOptions options = GraphRun.boundedOptions(dir, KEY);
            options.recsEnabled = true;
            options.liveEnabled = live;
            try (GraphRun run = new GraphRun(options)) {
                run.add(options.clickstreamTopic, input.toArray(RawRecord[]::new));
                run.run();
                List<Keyed<Recommendation>> lists =
                        run.outputs().decoded(options.recommendationsTopic, Recommendation.class);
                if (!live) {
                    off = lists;
                    assertThat(off).isNotEmpty();
                } else {
                    assertThat(RecommendationEdgeCasesGraphTest.byUser(lists))
                            .isEqualTo(RecommendationEdgeCasesGraphTest.byUser(off));
                    List<Keyed<Recommendation>> liveLists =
                            run.outputs().decoded(options.liveRecommendationsTopic, Recommendation.class);
                    assertThat(RecommendationEdgeCasesGraphTest.byUser(liveLists)
                                    .keySet())
                            .as("every user with a final list has a live one")
                            .isEqualTo(
                                    RecommendationEdgeCasesGraphTest.byUser(off).keySet());
                    for (Keyed<Recommendation> l : liveLists) {
                        Instant asOf = l.value().getAsOf();
                        for (ClickEvent e : events) {
                            boolean withinTheHour = !e.getEventTime().isAfter(asOf)
                                    && e.getEventTime().isAfter(asOf.minus(Duration.ofHours(1)));
                            if (e.getEventType() == EventType.VIEW
                                    && withinTheHour
                                    && PSEUDONYMS.pseudonym(e.getUserId()).equals(l.key())) {
                                assertThat(l.value().getItems())
                                        .as("a live list never proposes what its user viewed within the hour")
                                        .noneMatch(i -> i.getItemId().equals(e.getItemId()));
                            }
                        }
                    }
                }
            }
        }
    }

    /** @return the latest record of {@code user} on {@code topic} written so far, tombstones aside */
    static Optional<Recommendation> latest(GraphRun run, String topic, String user) {
        Recommendation last = null;
        for (Keyed<Recommendation> r : run.outputs().decoded(topic, Recommendation.class)) {
            if (r.key().equals(user) && r.value() != null) {
                last = r.value();
            }
        }
        return Optional.ofNullable(last);
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    static void await(Condition c, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!c.holds()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
