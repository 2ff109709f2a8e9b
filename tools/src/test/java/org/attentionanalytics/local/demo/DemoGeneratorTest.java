package org.attentionanalytics.local.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.attentionanalytics.io.SnowplowLine;
import org.junit.jupiter.api.Test;

class DemoGeneratorTest {
    private static final Instant START = Instant.parse("2026-03-01T08:00:00Z");

    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

    @Test
    void publishesTheTrafficToTheConfiguredTopicsKeyedByUser() throws Exception {
        FakeClock clock = new FakeClock(START);
        FakeClock expectedClock = new FakeClock(START);
        DemoTraffic expectedTraffic = new DemoTraffic(9, 40, expectedClock);
        expectedClock.advance(Duration.ofMinutes(5));
        List<DemoRecord> expected = expectedTraffic.nextBatch();

        DemoGenerator generator =
                new DemoGenerator(producer, new DemoTraffic(9, 40, clock), "clicks", "dwell", "budgets", "focus");
        generator.start();
        clock.advance(Duration.ofMinutes(5));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (generator.published() < expected.size() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        generator.close();

        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertThat(expected).isNotEmpty();
        assertThat(sent).hasSameSizeAs(expected);
        for (int i = 0; i < sent.size(); i++) {
            DemoRecord want = expected.get(i);
            ProducerRecord<byte[], byte[]> got = sent.get(i);
            assertThat(got.topic()).isEqualTo(want.topic().equals(DemoRecord.CLICKSTREAM) ? "clicks" : "dwell");
            assertThat(new String(got.key(), StandardCharsets.UTF_8)).isEqualTo(want.key());
            assertThat(got.value()).isEqualTo(want.value());
        }
        assertThat(generator.published()).isEqualTo(expected.size());
        assertThat(generator.failed()).isZero();
        assertThat(producer.flushed()).isTrue();
        assertThat(producer.closed()).isTrue();
    }

    @Test
    void asSnowplowSendsTheCatalogFirstThenEnrichedLinesKeyedByUserTheBudgetAndTheFocusBlocks() throws Exception {
        FakeClock clock = new FakeClock(START);
        DemoGenerator generator = new DemoGenerator(
                        producer, new DemoTraffic(9, 40, clock, 0, true), "clicks", "dwell", "budgets", "focus")
                .asSnowplow("enriched", "catalog");
        int catalogSize = DemoSnowplow.catalog().size();
        generator.start();
        clock.advance(Duration.ofMinutes(5));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (generator.published() < catalogSize + 200 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        generator.close();

        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertThat(sent.subList(0, catalogSize)).allMatch(r -> r.topic().equals("catalog"));
        List<ProducerRecord<byte[], byte[]>> traffic = sent.subList(catalogSize, sent.size());
        assertThat(traffic).extracting(ProducerRecord::topic).containsOnly("enriched", "budgets", "focus");
        assertThat(traffic).filteredOn(r -> r.topic().equals("budgets")).hasSize(1);
        assertThat(traffic).filteredOn(r -> r.topic().equals("focus")).hasSize(1);
        List<ProducerRecord<byte[], byte[]>> lines =
                traffic.stream().filter(r -> r.topic().equals("enriched")).toList();
        assertThat(lines).hasSizeGreaterThan(200);
        int parsed = 0;
        for (ProducerRecord<byte[], byte[]> r : lines) {
            try {
                SnowplowLine line = SnowplowLine.parse(r.value());
                assertThat(line.get(SnowplowLine.DOMAIN_USERID)).isEqualTo(new String(r.key(), StandardCharsets.UTF_8));
                parsed++;
            } catch (SnowplowLine.Malformed e) {
                // the demo's garbage records, sent as they are
            }
        }
        assertThat(parsed).isGreaterThan(lines.size() * 99 / 100);
    }

    @Test
    void runsOnceAndClosesOnce() {
        DemoGenerator generator =
                new DemoGenerator(producer, new DemoTraffic(1, 1, new FakeClock(START)), "c", "d", "b", "f");
        generator.start();
        assertThatThrownBy(generator::start).isInstanceOf(IllegalStateException.class);
        generator.close();
        generator.close();
        assertThat(producer.closed()).isTrue();
        assertThatThrownBy(generator::run).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void producerIsIdempotentWithAcksAllAndTakesExtraProperties() {
        Map<String, Object> config = DemoGenerator.producerConfig(
                "localhost:9092", Map.of(ProducerConfig.LINGER_MS_CONFIG, "5", "security.protocol", "SASL_SSL"));

        assertThat(config)
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092")
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, "5")
                .containsEntry("security.protocol", "SASL_SSL");
    }
}
