package org.attentionanalytics.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The table, the state bytes line and the JSON of {@link EvaluationReport}. */
class EvaluationReportTest {
    @TempDir
    Path dir;

    static final Evaluation.Result RESULT = new Evaluation.Result(
            new RankingScore.Figures(0.25, 0.125, 0.5, 0.25, 8, 4, 0.75),
            new RankingScore.Figures(0.5, 0.25, 0.25, 0.125, 8, 4, 1),
            new RankingScore.Figures(0.125, 0.0625, 0, 0, 8, 4, 1),
            Map.of(),
            10,
            2,
            4);

    @Test
    void stateBytesArePerItemPerUserAndInAllForTheOneKey() {
        StateBytes state = StateBytes.of(
                Map.of("recs-item-gate", 1000L, "recs-ranking", 5000L, "recs-popular-items", 300L, "other", 7L));
        // 1,000 B / 4 items; 5,000 B / 2 users; the one key in all; uids that are no recs operator left out
        assertThat(state.line(4, 2))
                .isEqualTo("State bytes: recs-item-gate 250.0 B/item, recs-ranking 2,500.0 B/user, "
                        + "recs-popular-items 300 B (4 items, 2 users)");
        assertThat(StateBytes.unavailable("no checkpoint").line(4, 2)).isEqualTo("State bytes: n/a (no checkpoint)");
        assertThat(StateBytes.of(Map.of()).line(4, 2)).startsWith("State bytes: n/a (");
    }

    @Test
    void tableAndJsonHoldTheSameFigures() throws Exception {
        EvaluationReport report =
                new EvaluationReport("csv:views.csv", RESULT, StateBytes.of(Map.of("recs-user-history", 200L)));
        String table = report.table();
        assertThat(table.lines())
                .hasSize(6)
                .anySatisfy(l -> assertThat(l).startsWith("job").contains("0.2500", "0.1250", "8 (4)", "75.0%"))
                .anySatisfy(l -> assertThat(l).startsWith("item-kNN (exact)").contains("0.5000", "100.0%"))
                .anySatisfy(l -> assertThat(l).startsWith("popularity").contains("0.0625"));
        assertThat(table).contains("10 views of 4 items by 2 users", "recs-user-history 100.0 B/user");

        Path file = dir.resolve("sub/evaluation.json");
        report.write(file);
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.get("dataset").asText()).isEqualTo("csv:views.csv");
        assertThat(json.get("k").asInt()).isEqualTo(20);
        JsonNode job = json.get("rows").get(0);
        assertThat(job.get("name").asText()).isEqualTo("job");
        assertThat(job.get("mrr_at_20").asDouble()).isEqualTo(0.125);
        assertThat(job.get("new_item_views_scored").asLong()).isEqualTo(4);
        JsonNode history = json.get("state_bytes").get("operators").get("recs-user-history");
        assertThat(history.get("bytes").asLong()).isEqualTo(200);
        assertThat(history.get("per").asText()).isEqualTo("user");
        assertThat(history.get("bytes_per_key").asDouble()).isEqualTo(100.0);
    }

    /** A blend's sources, each alone, come after the job's row, the first column as wide as their names. */
    @Test
    void eachSourceAloneHasItsRow() throws Exception {
        Evaluation.Result result = new Evaluation.Result(
                RESULT.job(),
                RESULT.itemKnn(),
                RESULT.popularity(),
                new java.util.LinkedHashMap<>(
                        Map.of("SIMILAR_TO_RECENT", new RankingScore.Figures(0.375, 0.1, 0, 0, 8, 4, 1))),
                10,
                2,
                4);
        EvaluationReport report = new EvaluationReport("csv:views.csv", result, StateBytes.of(Map.of()));
        List<String> lines = report.table().lines().toList();
        assertThat(lines.get(1)).startsWith("job ").contains("0.2500");
        assertThat(lines.get(2)).startsWith("job: SIMILAR_TO_RECENT alone ").contains("0.3750");
        // the figures stay in their columns: recall@20 ends where its header does
        int recallEnds = lines.get(0).indexOf("recall@20") + "recall@20".length();
        assertThat(lines.get(1).indexOf("0.2500") + 6).isEqualTo(recallEnds);
        assertThat(lines.get(2).indexOf("0.3750") + 6).isEqualTo(recallEnds);
        Path file = dir.resolve("e.json");
        report.write(file);
        JsonNode rows = new ObjectMapper().readTree(file.toFile()).get("rows");
        assertThat(rows.get(1).get("name").asText()).isEqualTo("job: SIMILAR_TO_RECENT alone");
        assertThat(rows.get(1).get("recall_at_20").asDouble()).isEqualTo(0.375);
        assertThat(rows.get(2).get("name").asText()).isEqualTo("item-kNN (exact)");
    }
}
