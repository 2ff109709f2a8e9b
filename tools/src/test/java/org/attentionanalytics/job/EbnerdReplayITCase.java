package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.Consumer;
import org.attentionanalytics.avro.AlertType;
import org.attentionanalytics.avro.AttentionAlert;
import org.attentionanalytics.avro.DailyAttentionReport;
import org.attentionanalytics.avro.SessionStatus;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.local.EmbeddedKafka;
import org.attentionanalytics.local.TopicDrain;
import org.attentionanalytics.privacy.Pseudonymizer;
import org.attentionanalytics.replay.DatasetReplay;
import org.attentionanalytics.replay.ReplayOptions;
import org.attentionanalytics.testutil.SharedKafka;
import org.attentionanalytics.testutil.TestJobs;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays the real EB-NeRD reading history ({@code ../shared/data/ebnerd/history_flat.csv}, 8,303
 * reads by 44 users) through Kafka and the job, and checks the sessions against numbers computed
 * independently by {@code src/test/python/ebnerd_sessions.py} (plain Python over the CSV: per
 * user, VIEW at impression_time and dwell ending read_time_s later, new session at a gap of 30
 * min or 12 h after the start, dwell capped at 30 min): {@code users=44 sessions=2020
 * engaged_ms=348916000 dwell_too_long=0 bounces=231 bounces_old=220 neither_old=11}. Bounce is not
 * engaged (GA4's rule, the {@code --engaged.*} defaults: engaged time > 10 s or >= 2 views; the
 * history has no conversions): 231 sessions, 2020 - 231 = 1,789 engaged. The earlier definition
 * (one view and < 10 s) gave 220: the 11 more are sessions of one view and exactly 10,000 ms,
 * neither bounce nor engaged before.
 *
 * <p>Alerts and daily reports (zone Europe/Copenhagen by {@code --default-time-zone}, {@code
 * alerts.max-age} off as for {@code local --dataset}), against {@code
 * src/test/python/ebnerd_attention.py} (per-user merge of the covered intervals, days by
 * zoneinfo): {@code reports=599 users=44 engaged_ms=348916000 sessions=2020} and two
 * TAKE_A_BREAK:
 *
 * <ul>
 *   <li>user 24779 reads 12 articles from 2023-02-16T14:18:38Z without a 5-minute gap between the
 *       covered intervals (each read covers [impression, impression + read time]); the read that
 *       ends at 15:10:34Z brings the stretch to 51:56 (3,116,000 ms, over 50 min): the alert's
 *       event time. The stretch ends at 15:12:11Z (53.6 min).
 *   <li>user 33638 reads 20 articles from 2023-02-20T23:09:32Z; at 2023-02-21T00:01:12Z the stretch
 *       is 51:40 (3,100,000 ms). It ends at 00:04:29Z (55 min).
 * </ul>
 *
 * No other user has a stretch of 50 min (the next longest: 35.5 min, user 60241). UNUSUAL_USAGE
 * (DESIGN.md section 13): 62, each the script's (user, time, the day's engaged ms and the
 * baseline of the user's earlier days), the first on 2023-02-09, once the users have 7 days of
 * history. No
 * INFORMATION_OVERLOAD: the history file has no topics and the replay no catalog, so no view has
 * a main topic and there are no topic switches (10 needed). No TIME_BUDGET_EXCEEDED: no budgets.
 * The reports: one per user and Copenhagen day with an event, 599; their engaged time adds up to
 * the sessions' (348,916,000 ms, all in category {@code other}, no topics) and their session
 * counts to the 2,020 sessions.
 */
@Tag("slow") // mvn verify -Pslow
class EbnerdReplayITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @TempDir
    Path dir;

    @Test
    void sessionsAndEngagedTimeMatchAnIndependentComputation() throws Exception {
        Path history =
                Path.of(System.getProperty("attention.sharedData", "../../shared/data"), "ebnerd", "history_flat.csv");
        Assumptions.assumeTrue(Files.exists(history), "shared data not present: " + history);
        { // the shared broker, this test's own topics
            EmbeddedKafka kafka = SharedKafka.get();
            JobOptions options = TestJobs.boundedOptions(
                    kafka, dir, "ebnerd-key", SharedKafka.prefix(EbnerdReplayITCase.class, "history"));
            options.defaultTimeZone = "Europe/Copenhagen";
            options.alertsMaxAge = Duration.ZERO;
            DatasetReplay.replay(
                    ReplayOptions.parse("--dataset", "ebnerd-history:" + history),
                    kafka.clientProperties(),
                    options.clickstreamTopic,
                    options.dwellTopic,
                    false);
            TestJobs.run(options, new org.apache.flink.configuration.Configuration());

            Map<String, SessionSummary> latest = new HashMap<>();
            List<AttentionAlert> alerts = new ArrayList<>();
            List<DailyAttentionReport> reports = new ArrayList<>();
            long[] deadLetters = {0};
            try (Consumer<byte[], byte[]> consumer = TopicDrain.newConsumer(kafka.bootstrapServers(), Map.of())) {
                TopicDrain.drain(consumer, options.sessionsTopic, -1, Duration.ofSeconds(60), r -> {
                    try {
                        SessionSummary s = SessionSummary.getDecoder().decode(r.value());
                        latest.put(s.getSessionId(), s);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                TopicDrain.drain(consumer, options.dlqTopic, -1, Duration.ofSeconds(60), r -> deadLetters[0]++);
                TopicDrain.drain(
                        consumer,
                        options.alertsTopic,
                        -1,
                        Duration.ofSeconds(60),
                        r -> alerts.add(decode(AttentionAlert.getDecoder(), r.value())));
                TopicDrain.drain(
                        consumer,
                        options.reportsTopic,
                        -1,
                        Duration.ofSeconds(60),
                        r -> reports.add(decode(DailyAttentionReport.getDecoder(), r.value())));
            }
            assertThat(latest.values())
                    .allSatisfy(s -> assertThat(s.getStatus()).isEqualTo(SessionStatus.CLOSED));
            assertThat(latest).hasSize(2020);
            assertThat(latest.values())
                    .allSatisfy(s -> assertThat(s.getBounce()).isEqualTo(!s.getEngaged()));
            assertThat(latest.values().stream()
                            .filter(SessionSummary::getBounce)
                            .count())
                    .isEqualTo(231);
            assertThat(latest.values().stream()
                            .mapToLong(SessionSummary::getEngagedMs)
                            .sum())
                    .isEqualTo(348_916_000L);
            assertThat(latest.values().stream()
                            .map(SessionSummary::getUser)
                            .distinct()
                            .count())
                    .isEqualTo(44);
            assertThat(latest.values().stream()
                            .mapToLong(SessionSummary::getEventCount)
                            .sum())
                    .isEqualTo(2 * 8_303L);
            assertThat(deadLetters[0]).isZero();
            assertThat(latest.values())
                    .allSatisfy(s -> assertThat(s.getBounce()).isEqualTo(!s.getEngaged()));
            assertThat(latest.values().stream()
                            .filter(SessionSummary::getBounce)
                            .count())
                    .isEqualTo(231);

            Pseudonymizer pseudonyms = new Pseudonymizer(Pseudonymizer.loadKey(options.pseudonymKeyFile));
            assertThat(alerts.stream().filter(a -> a.getType() == AlertType.TAKE_A_BREAK))
                    .extracting(
                            AttentionAlert::getType,
                            AttentionAlert::getUser,
                            a -> a.getEventTime().toString(),
                            a -> a.getMetrics().get("continuous_ms"))
                    .containsExactlyInAnyOrder(
                            tuple(
                                    AlertType.TAKE_A_BREAK,
                                    pseudonyms.pseudonym("24779"),
                                    "2023-02-16T15:10:34Z",
                                    3_116_000.0),
                            tuple(
                                    AlertType.TAKE_A_BREAK,
                                    pseudonyms.pseudonym("33638"),
                                    "2023-02-21T00:01:12Z",
                                    3_100_000.0));
            assertThat(reports).hasSize(599);
            assertThat(reports).extracting(DailyAttentionReport::getZone).containsOnly("Europe/Copenhagen");
            assertThat(reports.stream()
                            .map(DailyAttentionReport::getUser)
                            .distinct()
                            .count())
                    .isEqualTo(44);
            assertThat(reports.stream()
                            .mapToLong(r -> r.getEngagedMsByCategory().values().stream()
                                    .mapToLong(Long::longValue)
                                    .sum())
                            .sum())
                    .isEqualTo(348_916_000L);
            assertThat(reports.stream()
                            .flatMap(r -> r.getEngagedMsByCategory().keySet().stream())
                            .distinct())
                    .containsOnly("other");
            assertThat(reports.stream()
                            .mapToInt(DailyAttentionReport::getSessions)
                            .sum())
                    .isEqualTo(2020);
            assertThat(reports.stream()
                            .mapToInt(r -> r.getAlerts().get("TAKE_A_BREAK"))
                            .sum())
                    .isEqualTo(2);

            // UNUSUAL_USAGE, each one the script's: user, time, the day's engaged ms and the baseline
            Process p = new ProcessBuilder("python3", "src/test/python/ebnerd_attention.py", history.toString())
                    .redirectErrorStream(true)
                    .start();
            String printed = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(printed).isZero();
            List<String> want = printed.lines()
                    .filter(l -> l.startsWith("UNUSUAL_USAGE "))
                    .map(l -> {
                        Map<String, String> f = new HashMap<>();
                        for (String kv : l.substring("UNUSUAL_USAGE ".length()).split(" ")) {
                            f.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                        }
                        return pseudonyms.pseudonym(f.get("user_id")) + " "
                                + java.time.OffsetDateTime.parse(f.get("at")).toInstant() + " "
                                + f.get("engaged_ms") + " " + f.get("threshold_ms");
                    })
                    .sorted()
                    .toList();
            List<String> got = alerts.stream()
                    .filter(a -> a.getType() == AlertType.UNUSUAL_USAGE)
                    .map(a -> a.getUser() + " " + a.getEventTime() + " "
                            + a.getMetrics().get("engaged_ms").longValue() + " "
                            + a.getThresholds().get("engaged_ms").longValue())
                    .sorted()
                    .toList();
            assertThat(got).isEqualTo(want);
            assertThat(got).hasSize(62);
            assertThat(reports.stream()
                            .mapToInt(r -> r.getAlerts().get("UNUSUAL_USAGE"))
                            .sum())
                    .isEqualTo(62);
        }
    }

    private static <T> T decode(org.apache.avro.message.BinaryMessageDecoder<T> decoder, byte[] value) {
        try {
            return decoder.decode(value);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
