package org.attentionanalytics.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.attentionanalytics.job.CliSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bin/attention evaluate} end to end: the real job on the embedded broker, on {@code
 * evaluate/views.csv} (every row a VIEW): u1 a b c (09:00-09:02), u2 a b c (10:00-10:02), u3 a b d
 * (11:00-11:02), u1 b c (12:00-12:01), four sessions (gaps of an hour, above the 30-min inactivity
 * gap). Scored (not first of their session): 1 u1 b, 2 u1 c, 3 u2 b, 4 u2 c, 5 u3 b, 6 u3 d, 7 u1 c;
 * new to their user: 1-6 (u1 viewed c at 09:02 before 7).
 *
 * <p>Popularity (view counts before each): 1 {a1} [a] miss; 2 {a1 b1} [a b] miss; 3 {a2 b1 c1} [a b
 * c] b at 2; 4 {a2 b2 c1} [a b c] c at 3; 5 {a3 b2 c2} [a b c] b at 2; 6 {a3 b3 c2} [a b c] d miss; 7
 * {b4 a3 c2 d1} [b a c d] c at 3. Recall 4/7; MRR (1/2 + 1/3 + 1/2 + 1/3)/7 = 5/21; new (1-6): 3/6,
 * (1/2 + 1/3 + 1/2)/6 = 2/9; coverage 1.
 *
 * <p>Item-kNN of the previous item, cosine of session sets so far: 1 prev a, a alone: no list; 2 prev
 * b, S1 {a b}: [a], miss; 3 prev a, |S_a| 2 |S_b| 1 |S_c| 1: b, c at 1/sqrt 2 (tie, by id) [b c], b
 * at 1; 4 prev b, |S_a| 2 |S_b| 2 |S_c| 1: a 2/sqrt 4 = 1, c 1/sqrt 2 [a c], c at 2; 5 prev a,
 * |S_a| 3 |S_b| 2 |S_c| 2: b, c at 2/sqrt 6 [b c], b at 1; 6 prev b, |S_a| 3 |S_b| 3 |S_c| 2: a 3/3,
 * c 2/sqrt 6 [a c], d misses; 7 prev b, |S_a| 3 |S_b| 4 |S_c| 2 |S_d| 1: a 3/sqrt 12 = 0.87, c 2/sqrt
 * 8 = 0.71, d 1/sqrt 4 [a c d], c at 2. Recall 4/7; MRR (1 + 1/2 + 1 + 1/2)/7 = 3/7; new (1-6):
 * 3/6, (1 + 1/2 + 1)/6 = 5/12; coverage 6/7.
 */
@Tag("slow") // a bounded job run with operator chaining off and a final checkpoint, about 30 s: mvn verify -Pslow
class EvaluateCommandITCase {
    @TempDir
    Path dir;

    @Test
    void scoresTheJobAndTheBaselinesOfABoundedRun() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path report = dir.resolve("report.json");
        int code = CliSupport.execute(
                new CommandLine(new EvaluateCommand())
                        .setOut(new PrintWriter(out))
                        .setErr(new PrintWriter(err)),
                "--dataset",
                "csv:" + resource("evaluate/views.csv"),
                "--output-dir",
                dir.resolve("out").toString(),
                "--report",
                report.toString(),
                "--state-dir",
                dir.resolve("state").toString(),
                "--web-port",
                "0",
                "--partitions",
                "2",
                "--recs.weight.similar-users",
                "1");
        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("item-kNN (exact)", "popularity", "State bytes:");

        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("views").asLong()).isEqualTo(11);
        assertThat(json.get("users").asLong()).isEqualTo(3);
        assertThat(json.get("items").asLong()).isEqualTo(4);
        Map<String, JsonNode> rows = new HashMap<>();
        json.get("rows").forEach(r -> rows.put(r.get("name").asText(), r));
        // with similar users on, three sources are blended: each alone is run and scored too
        assertThat(rows)
                .containsOnlyKeys(
                        "job",
                        "job: SIMILAR_TO_RECENT alone",
                        "job: MATCHES_INTERESTS alone",
                        "job: SIMILAR_USERS alone",
                        "item-kNN (exact)",
                        "popularity");
        assertThat(rows.get("job").get("views_scored").asLong()).isEqualTo(7);
        // the views have no topics: content matching and similar users propose nothing, the blend is
        // item-to-item's lists
        JsonNode job = rows.get("job");
        assertRow(
                rows.get("job: SIMILAR_TO_RECENT alone"),
                job.get("recall_at_20").asDouble(),
                job.get("mrr_at_20").asDouble(),
                job.get("new_item_recall_at_20").asDouble(),
                job.get("new_item_mrr_at_20").asDouble(),
                job.get("coverage").asDouble());
        assertThat(rows.get("job: MATCHES_INTERESTS alone").get("views_scored").asLong())
                .isEqualTo(7);
        assertThat(rows.get("job: SIMILAR_USERS alone").get("views_scored").asLong())
                .isEqualTo(7);
        assertThat(out.toString())
                .contains("The same run with MATCHES_INTERESTS alone", "The same run with SIMILAR_USERS alone");
        assertRow(rows.get("popularity"), 4 / 7.0, 5 / 21.0, 3 / 6.0, 2 / 9.0, 1);
        assertRow(rows.get("item-kNN (exact)"), 4 / 7.0, 3 / 7.0, 3 / 6.0, 5 / 12.0, 6 / 7.0);
        // every recommendation operator's state from the final checkpoint, per item, per user, in all
        JsonNode state = json.get("state_bytes");
        assertThat(state.get("unavailable").isNull()).isTrue();
        // (no topics: the topics' tables and the buckets of similar users may hold nothing)
        List<String> expected = EvaluateCommand.STATE_UIDS.stream()
                .filter(uid -> !uid.equals("recs-topic-items") && !uid.equals("recs-similar-users"))
                .toList();
        List<String> found = new java.util.ArrayList<>();
        state.get("operators").fieldNames().forEachRemaining(found::add);
        found.remove("recs-topic-items");
        found.remove("recs-similar-users");
        assertThat(found).containsExactlyElementsOf(expected);
        expected.forEach(
                uid -> assertThat(state.get("operators").get(uid).get("bytes").asLong())
                        .as(uid)
                        .isPositive());
        assertThat(state.get("operators").get("recs-ranking").get("per").asText())
                .isEqualTo("user");
        assertThat(state.get("operators")
                        .get("recs-item-gate")
                        .get("bytes_per_key")
                        .asDouble())
                .isEqualTo(state.get("operators")
                                .get("recs-item-gate")
                                .get("bytes")
                                .asLong()
                        / 4.0);
    }

    static void assertRow(JsonNode row, double recall, double mrr, double newRecall, double newMrr, double coverage) {
        assertThat(row.get("views_scored").asLong()).isEqualTo(7);
        assertThat(row.get("new_item_views_scored").asLong()).isEqualTo(6);
        assertThat(row.get("recall_at_20").asDouble()).as("recall").isCloseTo(recall, within(1e-9));
        assertThat(row.get("mrr_at_20").asDouble()).as("mrr").isCloseTo(mrr, within(1e-9));
        assertThat(row.get("new_item_recall_at_20").asDouble()).as("new recall").isCloseTo(newRecall, within(1e-9));
        assertThat(row.get("new_item_mrr_at_20").asDouble()).as("new mrr").isCloseTo(newMrr, within(1e-9));
        assertThat(row.get("coverage").asDouble()).as("coverage").isCloseTo(coverage, within(1e-9));
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(
                EvaluateCommandITCase.class.getClassLoader().getResource(name).toURI());
    }
}
