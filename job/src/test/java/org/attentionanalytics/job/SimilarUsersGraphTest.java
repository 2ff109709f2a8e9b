package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.attentionanalytics.job.RecommendationEdgeCasesGraphTest.KEY;
import static org.attentionanalytics.job.RecommendationEdgeCasesGraphTest.click;
import static org.attentionanalytics.job.RecommendationEdgeCasesGraphTest.of;
import static org.attentionanalytics.job.RecommendationEdgeCasesGraphTest.raw;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.Recommendation;
import org.attentionanalytics.avro.RecommendationReason;
import org.attentionanalytics.avro.RecommendedItem;
import org.attentionanalytics.testutil.GraphRun;
import org.attentionanalytics.testutil.RawRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Similar users through the whole graph ({@link GraphRun}, bounded, parallelism 2), item-to-item
 * and similar users blended (content matching off, so no item is also a MATCHES_INTERESTS match).
 *
 * <p>Every view is of a news item, so every interest vector is news alone: all users share their 4
 * buckets at cosine 1. v1 to v5 first view s1 (at 0 to 4 s), w1 to w4 first view s4 (at 20 to 23
 * s); each first view writes a vector, which joins the buckets with that one item (their sessions'
 * closes, 30 min later, come after u). u first views s2 at 10 min: its 9 neighbours (at most 20)
 * have s1 5 times (score 5 x cosine 1) and s4 4 times. With the default minimum of 5, s1 alone is
 * proposed as SIMILAR_USERS, at 5/5 = 1 (no item-to-item candidate: nobody else viewed s2); s4
 * comes as POPULAR. With a minimum of 4, s4 too, at 4/5 = 0.8.
 */
@Tag("slow") // two whole-graph runs: mvn verify -Pslow
class SimilarUsersGraphTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = GraphRun.miniCluster();

    @TempDir
    static Path dir;

    static List<RawRecord> clicks() {
        List<RawRecord> clicks = new ArrayList<>();
        for (int v = 1; v <= 5; v++) {
            clicks.add(raw(v % 2, click("v" + v, "s1", (v - 1) * 1_000L, EventType.VIEW)));
        }
        for (int w = 1; w <= 4; w++) {
            clicks.add(raw(w % 2, click("w" + w, "s4", 19_000L + w * 1_000L, EventType.VIEW)));
        }
        clicks.add(raw(0, click("u", "s2", 600_000, EventType.VIEW)));
        return clicks;
    }

    static Recommendation firstListOfU(int minSimilarUsers) throws Exception {
        Path runDir = java.nio.file.Files.createDirectories(dir.resolve("min-" + minSimilarUsers));
        JobOptions options = GraphRun.boundedOptions(runDir, KEY);
        options.recsEnabled = true;
        options.recsWeightMatchesInterests = 0;
        options.recsWeightSimilarUsers = 1;
        options.recsMinSimilarUsers = minSimilarUsers;
        try (GraphRun run = new GraphRun(options)) {
            run.add(options.clickstreamTopic, clicks().toArray(RawRecord[]::new));
            run.run();
            List<Recommendation> u = of(run.outputs().decoded(options.recommendationsTopic, Recommendation.class), "u");
            assertThat(u).isNotEmpty();
            return u.get(0);
        }
    }

    @Test
    void anItemViewedByFiveSimilarUsersIsProposed() throws Exception {
        Recommendation r = firstListOfU(5);
        assertThat(r.getAsOf().toEpochMilli()).isEqualTo(RecommendationEdgeCasesGraphTest.T.toEpochMilli() + 600_000);
        RecommendedItem first = r.getItems().get(0);
        assertThat(first.getItemId()).isEqualTo("s1");
        assertThat(first.getReason()).isEqualTo(RecommendationReason.SIMILAR_USERS);
        assertThat(first.getScore()).isCloseTo(1.0, within(1e-12));
        assertThat(r.getItems())
                .filteredOn(i -> i.getReason() == RecommendationReason.SIMILAR_USERS)
                .extracting(RecommendedItem::getItemId)
                .containsExactly("s1");
        assertThat(r.getItems())
                .filteredOn(i -> i.getItemId().equals("s4"))
                .singleElement()
                .satisfies(i -> assertThat(i.getReason()).isEqualTo(RecommendationReason.POPULAR));
    }

    @Test
    void aLowerMinimumLetsFourSupportersThrough() throws Exception {
        Recommendation r = firstListOfU(4);
        assertThat(r.getItems().subList(0, 2))
                .extracting(RecommendedItem::getItemId, RecommendedItem::getReason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("s1", RecommendationReason.SIMILAR_USERS),
                        org.assertj.core.groups.Tuple.tuple("s4", RecommendationReason.SIMILAR_USERS));
        assertThat(r.getItems().get(1).getScore()).isCloseTo(0.8, within(1e-12));
    }
}
