package org.attentionanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.attentionanalytics.job.JobOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The embedded broker: topics, transactional writes, read_committed reads, the job's topics. */
class EmbeddedKafkaITCase {
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void transactionalWritesAreReadBackCommittedOnly() throws Exception {
        kafka.createTopic("tx-topic", 1, Map.of());
        Properties p = kafka.clientProperties();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-test");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx-topic", "k1", "committed-1"));
            producer.send(new ProducerRecord<>("tx-topic", "k2", "committed-2"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx-topic", "k3", "aborted"));
            producer.flush();
            producer.abortTransaction();
        }

        Properties c = kafka.clientProperties();
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition("tx-topic", 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            // 2 records, 1 commit marker, 1 aborted record, 1 abort marker
            assertThat(end).isEqualTo(5);
            while (consumer.position(tp) < end) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.key() + "=" + r.value());
                }
            }
        }
        assertThat(values).containsExactly("k1=committed-1", "k2=committed-2");
    }

    @Test
    void createsAllTopicsOfTheJobWithTheirConfigs() throws Exception {
        JobOptions options = new JobOptions();
        new CommandLine(options).parseArgs("--topic.interest-vectors=iv-x", "--topic.catalog=catalog-x");
        try (Admin admin = kafka.admin()) {
            Topics.createAll(admin, options, 3);
            Topics.createAll(admin, options, 3); // idempotent

            Map<String, TopicDescription> d = admin.describeTopics(Topics.outputs(options))
                    .allTopicNames()
                    .get();
            assertThat(d).hasSize(12);
            assertThat(d.values()).allSatisfy(t -> assertThat(t.partitions()).hasSize(3));

            ConfigResource iv = new ConfigResource(ConfigResource.Type.TOPIC, "iv-x");
            ConfigResource catalog = new ConfigResource(ConfigResource.Type.TOPIC, "catalog-x");
            var configs = admin.describeConfigs(List.of(iv, catalog)).all().get();
            assertThat(configs.get(iv).get("cleanup.policy").value()).isEqualTo("compact,delete");
            assertThat(configs.get(iv).get("retention.ms").value()).isEqualTo("2592000000");
            assertThat(configs.get(catalog).get("cleanup.policy").value()).isEqualTo("compact");
        }
        assertThat(Topics.inputs(options))
                .containsExactly(
                        "clickstream",
                        "dwell-time",
                        "privacy-requests",
                        "attention-budgets",
                        "focus-blocks",
                        "catalog-x");
        assertThat(Topics.outputs(options))
                .containsExactly(
                        "attention-sessions",
                        "attention-page-views",
                        "iv-x",
                        "interest-vectors-live",
                        "recommendations",
                        "recommendations-live",
                        "attention-alerts",
                        "attention-reports",
                        "focus-block-reports",
                        "topic-trends",
                        "privacy-audit",
                        "attention-dlq");
    }
}
