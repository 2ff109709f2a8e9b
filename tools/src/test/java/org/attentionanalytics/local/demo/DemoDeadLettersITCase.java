package org.attentionanalytics.local.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.job.JobOptions;
import org.attentionanalytics.local.EmbeddedKafka;
import org.attentionanalytics.local.OutputFiles;
import org.attentionanalytics.testutil.KafkaFixtures;
import org.attentionanalytics.testutil.KafkaFixtures.Raw;
import org.attentionanalytics.testutil.SharedKafka;
import org.attentionanalytics.testutil.TestJobs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's traffic, bad records included, through a real broker into the bounded job: not one
 * dead letter on {@code attention-dlq} holds a raw user id in any field (key, detail, or any field
 * of the decoded {@code raw_value}, {@code event_id} included), and every decodable one carries
 * its event id as a 32-hex HMAC.
 */
@Tag("slow") // about 17 s of demo traffic through the job: mvn verify -Pslow
class DemoDeadLettersITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @TempDir
    Path dir;

    @Test
    void noDeadLetterOfTheDemoHoldsARawUserId() throws Exception {
        // 20 minutes of 300 users' traffic, ending 10 minutes ago, so that the demo's "2 days ahead" records are future
        FakeClock clock = new FakeClock(Instant.now().minus(30, ChronoUnit.MINUTES));
        DemoTraffic demo = new DemoTraffic(5, 300, clock, 0, true);
        List<Raw> records = new ArrayList<>();
        Set<String> userIds = new TreeSet<>();
        for (int second = 0; second < 20 * 60; second++) {
            clock.advance(Duration.ofSeconds(1));
            for (DemoRecord r : demo.nextBatch()) {
                records.add(new Raw(r.topic(), r.key(), r.value()));
                userIds.add(r.key());
            }
        }
        { // the shared broker, this test's own topics
            EmbeddedKafka kafka = SharedKafka.get();
            JobOptions options = TestJobs.boundedOptions(
                    kafka, dir, "demo-dlq-key", SharedKafka.prefix(DemoDeadLettersITCase.class, "demo"));
            List<Raw> renamed = records.stream()
                    .map(r -> new Raw(
                            r.topic().equals(DemoRecord.CLICKSTREAM)
                                    ? options.clickstreamTopic
                                    : r.topic().equals(DemoRecord.DWELL_TIME)
                                            ? options.dwellTopic
                                            : r.topic().equals(DemoRecord.FOCUS_BLOCKS)
                                                    ? options.focusBlocksTopic
                                                    : options.budgetsTopic,
                            r.key(),
                            r.value()))
                    .toList();
            KafkaFixtures.produce(kafka.bootstrapServers(), renamed);
            TestJobs.run(options, new org.apache.flink.configuration.Configuration());
            Path out = dir.resolve("out");
            OutputFiles.write(options, out, 0, 0, 0);

            ObjectMapper json = new ObjectMapper();
            List<String> lines = Files.readAllLines(out.resolve(options.dlqTopic + ".jsonl"));
            TreeMap<String, Integer> reasons = new TreeMap<>();
            int decoded = 0;
            for (String line : lines) {
                JsonNode n = json.readTree(line);
                reasons.merge(n.get("reason").asText(), 1, Integer::sum);
                StringBuilder fields = new StringBuilder(line);
                if (n.hasNonNull("raw_value")) {
                    ByteBuffer raw = ByteBuffer.wrap(
                            Base64.getDecoder().decode(n.get("raw_value").asText()));
                    String eventId;
                    if (n.get("source_topic").asText().equals(options.clickstreamTopic)) {
                        ClickEvent c = ClickEvent.getDecoder().decode(raw);
                        fields.append(c);
                        eventId = c.getEventId();
                    } else {
                        DwellEvent d = DwellEvent.getDecoder().decode(raw);
                        fields.append(d);
                        eventId = d.getEventId();
                    }
                    assertThat(eventId).as("event_id of a dead letter").matches("[0-9a-f]{32}");
                    decoded++;
                }
                for (String id : userIds) {
                    assertThat(fields.toString())
                            .as("a dead letter names no user")
                            .doesNotContain(id);
                }
            }
            System.out.printf(
                    "DemoDeadLettersITCase: %d demo records of %d users, %d dead letters %s, %d decoded and checked%n",
                    records.size(), userIds.size(), lines.size(), reasons, decoded);
            assertThat(reasons)
                    .containsKeys(
                            "UNDECODABLE",
                            "NEGATIVE_DWELL",
                            "DWELL_TOO_LONG",
                            "FUTURE_TIMESTAMP",
                            "INVALID_TIME_ZONE",
                            "FIELD_TOO_LARGE");
            assertThat(decoded).isGreaterThan(10);
        }
    }
}
