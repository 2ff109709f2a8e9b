package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DeadLetter;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.privacy.Pseudonymizer;
import org.attentionanalytics.testutil.GraphRun;
import org.attentionanalytics.testutil.OutputTopics;
import org.attentionanalytics.testutil.OutputTopics.Keyed;
import org.attentionanalytics.testutil.RawRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Privacy through the job's whole graph on the fast tier ({@link GraphRun}: in-memory sources
 * through the job's doors, MiniCluster, RocksDB, collecting sinks that keep the bytes the Kafka
 * serializer writes). Erasure with a savepoint and a restore into TTL state are in the Kafka tier
 * ({@code PrivacyITCase}).
 */
class PrivacyTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = GraphRun.miniCluster();

    @TempDir
    static Path dir;

    static final String PII_USER = "pii-user-4711";
    static final List<String> PII = List.of(
            PII_USER,
            "203.0.113.77",
            "PiiAgent/9.9",
            "pii-search-words",
            "pii-device-0042",
            "pii-url@example.com",
            "pii-referrer-token");

    /**
     * With the default {@code dlq.redact=true}, a bounded run over records that carry all seven PII
     * fields and fail validation (invalid time zone, negative dwell, future timestamp) or decoding
     * (bytes holding the raw id): every {@code attention-dlq} record is keyed by the pseudonym, and
     * no byte of any key or value in any output topic holds a PII value.
     */
    @Test
    void deadLettersCarryNoPii() throws Exception {
        Path key = dir.resolve("key");
        Files.writeString(key, "privacy-it-key\n");
        Pseudonymizer pseudonyms = new Pseudonymizer(Pseudonymizer.loadKey(key.toString()));
        JobOptions options = JobOptions.defaults();
        options.pseudonymKeyFile = key.toString();
        options.bounded = true;
        options.parallelism = 2;
        options.idleness = Duration.ofHours(1);
        options.checkpointInterval = Duration.ofMillis(300);
        assertThat(options.dlqRedact).isTrue();
        long now = System.currentTimeMillis();
        ClickEvent.Builder pii = ClickEvent.newBuilder()
                .setEventId("c1")
                .setUserId(PII_USER)
                .setEventTime(Instant.ofEpochMilli(now - 60_000))
                .setEventType(EventType.VIEW)
                .setItemId("item-1")
                .setTopics(List.of("news"))
                .setUrl("https://example.com/a?email=pii-url@example.com")
                .setReferrer("https://r.example/?ref=pii-referrer-token")
                .setIp("203.0.113.77")
                .setUserAgent("PiiAgent/9.9")
                .setSearchQuery("pii-search-words")
                .setDeviceId("pii-device-0042");
        OutputTopics out;
        try (GraphRun run = new GraphRun(options)) {
            run.add(
                    options.clickstreamTopic,
                    RawRecord.of(
                            PII_USER,
                            ClickEvent.newBuilder(pii.build())
                                    .setEventId("c-ok")
                                    .build()), // a valid event: outputs to scan
                    RawRecord.of(
                            PII_USER,
                            ClickEvent.newBuilder(pii.build())
                                    .setEventId("c-tz")
                                    .setTimeZone("Mars/Olympus")
                                    .build()),
                    RawRecord.of(
                            PII_USER,
                            ClickEvent.newBuilder(pii.build())
                                    .setEventId("c-future")
                                    .setEventTime(Instant.ofEpochMilli(now + 86_400_000L))
                                    .build()),
                    RawRecord.bytes(
                            RawRecord.ANY_PARTITION,
                            PII_USER,
                            ("not avro " + PII_USER + " 203.0.113.77").getBytes(StandardCharsets.UTF_8)));
            run.add(
                    options.dwellTopic,
                    RawRecord.of(
                            PII_USER,
                            DwellEvent.newBuilder()
                                    .setEventId("d-neg")
                                    .setUserId(PII_USER)
                                    .setEventTime(Instant.ofEpochMilli(now - 50_000))
                                    .setItemId("item-1")
                                    .setDwellMs(-1L)
                                    .setUserAgent("PiiAgent/9.9")
                                    .build()));
            var result = run.run();
            System.out.println("PrivacyTest: counters " + new TreeMap<>(result.getAllAccumulatorResults()));
            out = run.outputs();
        }

        String pseudonym = pseudonyms.pseudonym(PII_USER);
        List<Keyed<DeadLetter>> dead = out.decoded(options.dlqTopic, DeadLetter.class);
        System.out.println("PrivacyTest: dead letters "
                + dead.stream()
                        .map(d -> d.key() + " " + d.value().getReason()
                                + " raw_value "
                                + (d.value().getRawValue() == null
                                        ? "null"
                                        : d.value().getRawValue().remaining() + " bytes")
                                + " detail '" + d.value().getDetail() + "'")
                        .toList());
        assertThat(dead)
                .extracting(d -> d.value().getReason().name())
                .containsExactlyInAnyOrder("INVALID_TIME_ZONE", "FUTURE_TIMESTAMP", "UNDECODABLE", "NEGATIVE_DWELL");
        assertThat(dead).allSatisfy(d -> assertThat(d.key()).isEqualTo(pseudonym));
        assertThat(dead)
                .filteredOn(d -> d.value().getReason().name().equals("UNDECODABLE"))
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.value().getRawValue()).isNull();
                    assertThat(d.value().getRawLength()).isEqualTo(("not avro " + PII_USER + " 203.0.113.77").length());
                });
        int scanned = 0;
        for (String topic : out.topics()) {
            for (Keyed<byte[]> r : out.raw(topic)) {
                String bytes = (r.key() == null ? "" : r.key()) + "|"
                        + (r.value() == null ? "" : new String(r.value(), StandardCharsets.ISO_8859_1));
                for (String p : PII) {
                    assertThat(bytes).as("a record of %s contains %s", topic, p).doesNotContain(p);
                }
                scanned++;
            }
        }
        System.out.println("PrivacyTest: " + scanned + " output records scanned in " + out.topics() + ", no PII");
        assertThat(out.topics()).contains(options.dlqTopic, options.sessionsTopic, options.interestVectorsTopic);
        assertThat(scanned)
                .as("records in the output topics: 4 dead letters, sessions, a vector")
                .isGreaterThanOrEqualTo(6);
    }
}
