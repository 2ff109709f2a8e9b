package org.attentionanalytics.interest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.Consumer;
import org.attentionanalytics.avro.InterestVector;
import org.attentionanalytics.avro.TopicWeight;
import org.attentionanalytics.job.JobOptions;
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
 * Replays the real REES46 sample ({@code ../shared/data/rees46/2019-Oct-head.csv}, 5,019 events,
 * no dwell) through Kafka and the job with default options, and checks the latest interest vector
 * of the three most active users against {@code src/test/python/rees46_vectors.py}, an independent
 * computation in plain Python (signals VIEW 1, cart 3, purchase 5, topic = category_code or
 * category:id, half-life 7 days, as of each user's last event). Its output:
 *
 * <pre>
 * 512742880 1569896507000 22.936294289735944 24 computers.desktop=0.9990670234862072 computers.components.videocards=0.043186601885426834
 * 513840435 1569889145000 23.99293862631716 24 electronics.smartphone=1.0
 * 513494064 1569896704000 12.204254001486385 23 category:2053013553559896355=0.8193062313768532 category:2078957461921858354=0.4914519590800629 category:2076715364204413467=0.16382432858425153 apparel.shoes.keds=0.16381550429533207 category:2053013562611204913=0.16379842037159176 category:2075962341748376288=0.08190493601476405
 * </pre>
 */
@Tag("slow") // mvn verify -Pslow
class Rees46VectorsITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @TempDir
    Path dir;

    record Expected(String userId, long asOf, double norm, long counted, Map<String, Double> top) {}

    static final List<Expected> EXPECTED = List.of(
            new Expected(
                    "512742880",
                    1569896507000L,
                    22.936294289735944,
                    24,
                    Map.of(
                            "computers.desktop",
                            0.9990670234862072,
                            "computers.components.videocards",
                            0.043186601885426834)),
            new Expected("513840435", 1569889145000L, 23.99293862631716, 24, Map.of("electronics.smartphone", 1.0)),
            new Expected(
                    "513494064",
                    1569896704000L,
                    12.204254001486385,
                    23,
                    Map.of(
                            "category:2053013553559896355",
                            0.8193062313768532,
                            "category:2078957461921858354",
                            0.4914519590800629,
                            "category:2076715364204413467",
                            0.16382432858425153,
                            "apparel.shoes.keds",
                            0.16381550429533207,
                            "category:2053013562611204913",
                            0.16379842037159176,
                            "category:2075962341748376288",
                            0.08190493601476405)));

    @Test
    void latestVectorsMatchAnIndependentComputation() throws Exception {
        Path data =
                Path.of(System.getProperty("attention.sharedData", "../../shared/data"), "rees46", "2019-Oct-head.csv");
        Assumptions.assumeTrue(Files.exists(data), "shared data not present: " + data);
        { // the shared broker, this test's own topics
            EmbeddedKafka kafka = SharedKafka.get();
            JobOptions options = TestJobs.boundedOptions(
                    kafka, dir, "rees46-key", SharedKafka.prefix(Rees46VectorsITCase.class, "vectors"));
            DatasetReplay.replay(
                    ReplayOptions.parse("--dataset", "rees46:" + data),
                    kafka.clientProperties(),
                    options.clickstreamTopic,
                    options.dwellTopic,
                    false);
            TestJobs.run(options, new org.apache.flink.configuration.Configuration());

            Map<String, InterestVector> latest = new HashMap<>();
            try (Consumer<byte[], byte[]> consumer = TopicDrain.newConsumer(kafka.bootstrapServers(), Map.of())) {
                TopicDrain.drain(consumer, options.interestVectorsTopic, -1, Duration.ofSeconds(60), r -> {
                    try {
                        InterestVector v = InterestVector.getDecoder().decode(r.value());
                        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(v.getUser());
                        latest.put(v.getUser(), v);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }
            Pseudonymizer pseudonyms = new Pseudonymizer("rees46-key".getBytes(StandardCharsets.UTF_8));
            for (Expected e : EXPECTED) {
                InterestVector v = latest.get(pseudonyms.pseudonym(e.userId()));
                assertThat(v).as("vector of %s", e.userId()).isNotNull();
                assertThat(v.getAsOf()).isEqualTo(Instant.ofEpochMilli(e.asOf()));
                assertThat(v.getNorm()).isCloseTo(e.norm(), within(1e-9));
                assertThat(v.getEventsCounted()).isEqualTo(e.counted());
                assertThat(v.getTop()).hasSize(e.top().size());
                for (TopicWeight tw : v.getTop()) {
                    assertThat(tw.getWeight())
                            .as(tw.getTopic())
                            .isCloseTo(e.top().get(tw.getTopic()), within(1e-9));
                }
            }
            assertThat(latest.size())
                    .as("users with a vector: every user has a topic in REES46")
                    .isEqualTo(1_755);
        }
    }
}
