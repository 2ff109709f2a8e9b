package org.attentionanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overload-aware recommendations end to end (DESIGN.md section 12): {@code bin/attention local
 * --dataset csv:... --recs.enabled true --bounded} (the real {@link LocalCommand}) with the default
 * thresholds, no catalog: every event carries its item's topic inline (news-1..10 are news,
 * sport-1..10 sport, science-1..10 science, tech-1..10 tech), which the rankings learn from the
 * views. 80 other users view 8 items each between 09:00 and 11:40, so the items have neighbours
 * and popularity.
 *
 * <ul>
 *   <li>{@code skimmer}: from 10:00 a view every 15 s, each read 4 s (a skim), topics news, sport,
 *       news, science, ... (every view a topic switch). The 11th view (10:02:30) makes 10 switches,
 *       and the settled views are all skims: two of the three INFORMATION_OVERLOAD measures, so the
 *       lists go FOCUSED then; the 30th view (10:07:15) reaches 30 views too, and the alert fires.
 *   <li>{@code marathon}: from 10:00 a science article every 4 minutes, read 3 min 50 s, until
 *       11:12, without a 5-minute break: continuous use passes 50 minutes at the read that ends at
 *       10:51:50 (the one before ended at 10:47:50): TAKE_A_BREAK, and QUIET from then; after 15
 *       minutes away (a break) its view at 11:27 is NORMAL again.
 *   <li>{@code budgeted}: a daily budget of 5 minutes for news; from 10:00 a news article every
 *       minute, each read 50 s: 300 s of news when the 6th read ends (10:05:50), the
 *       TIME_BUDGET_EXCEEDED alert's time; from then its lists hold no news item that day.
 * </ul>
 */
@Tag("slow") // mvn verify -Pslow
class RecommendationModesLocalITCase {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant TEN = Instant.parse("2026-03-02T10:00:00Z");

    @TempDir
    static Path dir;

    static Path out;

    @BeforeAll
    static void run() throws Exception {
        List<String> rows = new ArrayList<>();
        Random r = new Random(3);
        String[] topics = {"news", "sport", "science", "tech"};
        for (int u = 0; u < 80; u++) {
            Instant t = TEN.minus(Duration.ofHours(1)).plusSeconds(r.nextInt(9000));
            String a = topics[r.nextInt(4)];
            String b = topics[r.nextInt(4)];
            for (int k = 0; k < 8; k++) {
                String topic = r.nextDouble() < 0.7 ? a : b;
                rows.add(row("bg-" + u, t, topic + "-" + (1 + r.nextInt(10)), 20_000 + r.nextInt(70_000)));
                t = t.plusSeconds(40 + r.nextInt(80));
            }
        }
        String[] pattern = {"news", "sport", "news", "science"};
        for (int k = 0; k < 40; k++) {
            rows.add(row("skimmer", TEN.plusSeconds(15L * k), pattern[k % 4] + "-" + (1 + r.nextInt(10)), 4_000));
        }
        Instant t = TEN;
        for (; t.isBefore(TEN.plus(Duration.ofMinutes(70))); t = t.plus(Duration.ofMinutes(4))) {
            rows.add(row("marathon", t, "science-" + (1 + r.nextInt(10)), 230_000));
        }
        rows.add(row("marathon", t.plus(Duration.ofMinutes(15)), "science-1", 60_000));
        for (int k = 0; k < 15; k++) {
            rows.add(row("budgeted", TEN.plusSeconds(60L * k), "news-" + (1 + k % 10), 50_000));
        }
        Path budgets = Files.writeString(
                dir.resolve("budgets.csv"),
                "user_id,time_zone,category,minutes,alerts_enabled\nbudgeted,UTC,news,5,\n");
        Path events = Files.writeString(
                dir.resolve("events.csv"),
                "user_id,event_time,item_id,topic,dwell_ms\n" + String.join("\n", rows) + "\n");
        out = dir.resolve("out");
        BoundedLocalRun.run(
                dir, out, "--dataset", "csv:" + events, "--budgets", "csv:" + budgets, "--recs.enabled", "true");
    }

    static String row(String user, Instant t, String item, int dwellMs) {
        return user + "," + t + "," + item + "," + item.substring(0, item.indexOf('-')) + "," + dwellMs;
    }

    static List<JsonNode> lines(String file) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve(file))) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }

    /** @return the pseudonym of the one user with an alert of {@code type} */
    static String userWith(String type) throws Exception {
        List<JsonNode> alerts = lines("attention-alerts.jsonl").stream()
                .filter(a -> a.path("type").asText().equals(type))
                .toList();
        assertThat(alerts).as(type).hasSize(1);
        return alerts.get(0).path("user").asText();
    }

    static List<JsonNode> listsOf(String user) throws Exception {
        return lines("recommendations.jsonl").stream()
                .filter(l -> l.path("user").asText().equals(user))
                .toList();
    }

    static Instant asOf(JsonNode list) {
        return Instant.parse(list.path("as_of").asText());
    }

    @Test
    void theSkimmersListsGoFocusedAtTwoOverloadMeasures() throws Exception {
        String skimmer = userWith("INFORMATION_OVERLOAD");
        JsonNode alert = lines("attention-alerts.jsonl").stream()
                .filter(a -> a.path("user").asText().equals(skimmer))
                .findFirst()
                .orElseThrow();
        assertThat(alert.path("event_time").asText()).isEqualTo("2026-03-02T10:07:15.000Z");
        Instant focusedFrom = TEN.plusSeconds(150); // 10:02:30
        List<JsonNode> lists = listsOf(skimmer);
        assertThat(lists).isNotEmpty();
        for (JsonNode l : lists) {
            String mode = l.path("mode").asText();
            if (asOf(l).isBefore(focusedFrom)) {
                assertThat(mode).as(l.toString()).isEqualTo("NORMAL");
            } else {
                assertThat(mode).as(l.toString()).isEqualTo("FOCUSED");
                assertThat(l.path("items").size()).as("--recs.focused-size 3").isBetween(1, 3);
                l.path("items")
                        .forEach(i -> assertThat(i.path("item_id").asText())
                                .as("only the skimmer's top topics: news, sport, science")
                                .doesNotStartWith("tech-"));
            }
        }
        assertThat(lists).anySatisfy(l -> assertThat(asOf(l)).isEqualTo(focusedFrom));
        assertThat(lists).anySatisfy(l -> assertThat(l.path("items").size()).isGreaterThan(3));
    }

    @Test
    void theMarathonReadersListsAreQuietFromTheBreakAlertToTheNextBreak() throws Exception {
        String marathon = userWith("TAKE_A_BREAK");
        Instant alert = TEN.plus(Duration.ofMinutes(51)).plusSeconds(50); // 10:51:50
        Instant back = TEN.plus(Duration.ofMinutes(87)); // 11:27
        List<JsonNode> lists = listsOf(marathon);
        for (JsonNode l : lists) {
            Instant at = asOf(l);
            String expected = at.isBefore(alert) || !at.isBefore(back) ? "NORMAL" : "QUIET";
            assertThat(l.path("mode").asText()).as(l.toString()).isEqualTo(expected);
            if (expected.equals("QUIET")) {
                assertThat(l.path("items").size()).isZero();
            }
        }
        assertThat(lists).anySatisfy(l -> {
            assertThat(asOf(l)).isEqualTo(alert);
            assertThat(l.path("mode").asText()).isEqualTo("QUIET");
        });
        assertThat(lists).anySatisfy(l -> {
            assertThat(asOf(l)).isEqualTo(back);
            assertThat(l.path("mode").asText()).isEqualTo("NORMAL");
            assertThat(l.path("items").size()).isPositive();
        });
    }

    /**
     * Content matching (default weights: SIMILAR_TO_RECENT 1, MATCHES_INTERESTS 1): the marathon
     * reader views only science, so its interest vector is science alone and its matches come from
     * the science table, each scored 1 x cosine 1 x its share of the table's top count over the best
     * match's, so at most 1 (up to 2 when item-to-item proposes the item too, with less than the
     * match's part).
     */
    @Test
    void theMarathonReadersInterestsBringScienceItems() throws Exception {
        List<JsonNode> matches = new ArrayList<>();
        for (JsonNode l : listsOf(userWith("TAKE_A_BREAK"))) {
            l.path("items").forEach(i -> {
                if (i.path("reason").asText().equals("MATCHES_INTERESTS")) {
                    matches.add(i);
                }
            });
        }
        assertThat(matches).isNotEmpty();
        assertThat(matches).allSatisfy(i -> {
            assertThat(i.path("item_id").asText()).startsWith("science-");
            assertThat(i.path("score").asDouble()).isPositive().isLessThanOrEqualTo(2.0);
        });
        assertThat(matches)
                .anySatisfy(i -> assertThat(i.path("score").asDouble()).isLessThanOrEqualTo(1.0));
    }

    @Test
    void aSpentBudgetCategoryLeavesTheListsForTheDay() throws Exception {
        String budgeted = userWith("TIME_BUDGET_EXCEEDED");
        Instant spent = TEN.plusSeconds(5 * 60 + 50); // 10:05:50
        JsonNode alert = lines("attention-alerts.jsonl").stream()
                .filter(a -> a.path("user").asText().equals(budgeted))
                .findFirst()
                .orElseThrow();
        assertThat(alert.path("event_time").asText()).isEqualTo("2026-03-02T10:05:50.000Z");
        List<JsonNode> lists = listsOf(budgeted);
        assertThat(lists).anySatisfy(l -> {
            assertThat(asOf(l)).isBefore(spent);
            assertThat(l.path("items").toString()).contains("news-");
        });
        List<JsonNode> after =
                lists.stream().filter(l -> !asOf(l).isBefore(spent)).toList();
        assertThat(after).isNotEmpty();
        for (JsonNode l : after) {
            assertThat(l.path("mode").asText()).isEqualTo("NORMAL");
            if (!asOf(l).equals(spent)) { // the switch record at 10:05:50 is the last list without news: may be empty
                assertThat(l.path("items").size()).as(l.toString()).isPositive();
            }
            l.path("items")
                    .forEach(i -> assertThat(i.path("item_id").asText())
                            .as("news is spent for the day")
                            .doesNotStartWith("news-"));
        }
    }
}
