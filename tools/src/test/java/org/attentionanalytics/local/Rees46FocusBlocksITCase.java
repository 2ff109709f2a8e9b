package org.attentionanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21 through Kafka on real data: the REES46 sample ({@code
 * ../shared/data/rees46/2019-Oct-head.csv}, 5,019 events of 1,755 users, Tuesday 2019-10-01 00:00 to
 * 02:28 UTC) replayed by {@code bin/attention local --dataset rees46:PATH --dwell.infer-from-gaps
 * --focus-blocks csv:BLOCKS --bounded --output-dir DIR}, with blocks for every user with at least 3
 * events (the users in id order, alternately):
 *
 * <ul>
 *   <li>even: no zone; one-off {@code morning} 00:00 to 01:00 UTC for shopping-electronics with a
 *       pomodoro cadence, and weekly {@code tuesdays} on Tuesdays 02:00 to 02:20 in the user's zone
 *       (UTC here) with the rules' classes;
 *   <li>odd: zone America/New_York (UTC-4 in October); weekly {@code late} on Mondays 22:10 to
 *       22:25 local (Tuesday 02:10 to 02:25 UTC: the day is the zone's, not UTC's) for
 *       shopping-other and shopping-home, and one-off {@code review} 00:30 to 01:30 UTC.
 * </ul>
 *
 * <p>Every line of {@code focus-block-reports.jsonl} equals what {@code
 * src/test/python/focus_block_reports.py} computes from the CSV files alone (its docstring writes
 * the method down: sessions, inferred engaged time, occurrences, classes, runs), and so does every
 * DISTRACTED_IN_FOCUS_BLOCK and POMODORO_BREAK alert: 367 reports, 30 and 6 alerts. REES46's default classes: shopping-home is neutral, the other
 * shopping categories distraction, so the blocks see all three classes.
 */
@Tag("slow") // mvn verify -Pslow
class Rees46FocusBlocksITCase {
    static final Path DATA =
            Path.of(System.getProperty("attention.sharedData", "../../shared/data"), "rees46", "2019-Oct-head.csv");
    static final Path RULES = Path.of("../job/src/main/resources/category-rules.txt");
    static final Path SCRIPT = Path.of("src/test/python/focus_block_reports.py");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static Path out;
    static List<JsonNode> expected;

    @BeforeAll
    static void replayAndCompute() throws Exception {
        Assumptions.assumeTrue(Files.exists(DATA), "shared data not present: " + DATA);
        Path blocks = dir.resolve("blocks.csv");
        Files.writeString(blocks, blocksCsv(), StandardCharsets.UTF_8);
        Path key = Files.writeString(dir.resolve("key"), "focus-blocks-it-key\n");
        out = dir.resolve("out");
        BoundedLocalRun.run(
                dir,
                out,
                "--dataset",
                "rees46:" + DATA,
                "--dwell.infer-from-gaps",
                "--focus-blocks",
                "csv:" + blocks,
                "--pseudonym-key-file",
                key.toString());

        Process p = new ProcessBuilder(
                        "python3",
                        SCRIPT.toString(),
                        DATA.toString(),
                        blocks.toString(),
                        RULES.toString(),
                        key.toString())
                .redirectErrorStream(true)
                .start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(printed).isZero();
        expected = new ArrayList<>();
        for (String line : printed.split("\n")) {
            if (!line.isBlank()) {
                expected.add(JSON.readTree(line));
            }
        }
    }

    /** The blocks file of the class description. */
    static String blocksCsv() throws Exception {
        Map<String, Integer> events = new TreeMap<>();
        try (Reader in = Files.newBufferedReader(DATA, StandardCharsets.UTF_8)) {
            for (CSVRecord row : CSVFormat.DEFAULT
                    .builder()
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    .get()
                    .parse(in)) {
                events.merge(row.get("user_id"), 1, Integer::sum);
            }
        }
        StringBuilder csv = new StringBuilder(
                "user_id,name,start,end,days,local_start,local_end,focus_categories,pomodoro,time_zone\n");
        int k = 0;
        for (Map.Entry<String, Integer> e : events.entrySet()) {
            if (e.getValue() < 3) {
                continue;
            }
            String u = e.getKey();
            if (k++ % 2 == 0) {
                csv.append(u)
                        .append(
                                ",morning,2019-10-01T00:00:00Z,2019-10-01T01:00:00Z,,,,shopping-electronics,10/2/5/2,\n");
                csv.append(u).append(",tuesdays,,,TUE,02:00,02:20,,,\n");
            } else {
                csv.append(u).append(",late,,,MON,22:10,22:25,shopping-other+shopping-home,,America/New_York\n");
                csv.append(u).append(",review,2019-10-01T00:30:00Z,2019-10-01T01:30:00Z,,,,,,America/New_York\n");
            }
        }
        return csv.toString();
    }

    static List<JsonNode> lines(String file) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve(file))) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }

    @Test
    void everyReportIsWhatTheIndependentScriptComputes() throws Exception {
        Map<String, JsonNode> want = new TreeMap<>();
        expected.stream()
                .filter(n -> n.has("block_id"))
                .forEach(n -> want.put(n.get("block_id").asText(), n));
        Map<String, JsonNode> got = new TreeMap<>();
        for (JsonNode n : lines("focus-block-reports.jsonl")) {
            assertThat(got.put(n.get("block_id").asText(), n))
                    .as("one report per occurrence")
                    .isNull();
        }
        assertThat(got.keySet()).isEqualTo(want.keySet());
        for (Map.Entry<String, JsonNode> e : want.entrySet()) {
            JsonNode w = e.getValue();
            JsonNode g = got.get(e.getKey());
            for (Iterator<String> names = w.fieldNames(); names.hasNext(); ) {
                String f = names.next();
                if (f.equals("focus_share")) {
                    assertThat(g.get(f).asDouble())
                            .as("%s of %s", f, w)
                            .isCloseTo(w.get(f).asDouble(), within(1e-12));
                } else {
                    assertThat(g.get(f)).as("%s of %s", f, w).isEqualTo(w.get(f));
                }
            }
        }
        // the sample exercises what the reports measure, not only empty blocks
        assertThat(got.values().stream()
                        .mapToInt(n -> n.get("context_switches").asInt())
                        .sum())
                .isPositive();
        assertThat(got.values().stream()
                        .mapToInt(n -> n.get("interruptions").asInt())
                        .sum())
                .isPositive();
        assertThat(got.values().stream()
                        .mapToLong(n -> n.get("longest_focus_ms").asLong())
                        .max()
                        .orElse(0))
                .isPositive();
        assertThat(got.values().stream().map(n -> n.get("name").asText()).distinct())
                .containsExactlyInAnyOrder("morning", "tuesdays", "late", "review");
        System.out.printf("Rees46FocusBlocksITCase: %d reports%n", got.size());
    }

    @Test
    void distractionAndPomodoroAlertsAreTheScriptsToo() throws Exception {
        List<JsonNode> alerts = lines("attention-alerts.jsonl");
        for (String type : List.of("DISTRACTED_IN_FOCUS_BLOCK", "POMODORO_BREAK")) {
            String detail = type.equals("POMODORO_BREAK") ? "cycle" : "category";
            List<String> want = expected.stream()
                    .filter(n -> n.has("type") && n.get("type").asText().equals(type))
                    .map(n -> n.get("user").asText() + " " + n.get("event_time").asText() + " "
                            + n.get(detail).asText())
                    .sorted()
                    .toList();
            List<String> got = alerts.stream()
                    .filter(n -> n.get("type").asText().equals(type))
                    .map(n -> n.get("user").asText() + " " + n.get("event_time").asText() + " "
                            + (detail.equals("cycle")
                                    ? String.valueOf(
                                            n.get("metrics").get("cycle").asInt())
                                    : n.get("category").asText()))
                    .sorted()
                    .toList();
            assertThat(got).as(type).isEqualTo(want);
            System.out.printf("Rees46FocusBlocksITCase: %d %s%n", got.size(), type);
        }
        assertThat(lines("attention-dlq.jsonl")).as("every block is valid").isEmpty();
    }
}
