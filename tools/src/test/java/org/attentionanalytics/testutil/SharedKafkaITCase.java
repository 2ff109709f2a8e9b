package org.attentionanalytics.testutil;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.attentionanalytics.job.JobOptions;
import org.attentionanalytics.local.EmbeddedKafka;
import org.attentionanalytics.local.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared broker keeps tests apart: two tests' options on it name disjoint topics, groups and
 * transactional ids, and a test draining its topic reads only its own records, committed or not
 * (the other test writes to the same default topic name, with its own prefix, in a transaction).
 */
class SharedKafkaITCase {
    @TempDir
    Path dir;

    @Test
    void oneBrokerPerJvm() {
        assertThat(SharedKafka.get()).isSameAs(SharedKafka.get());
        assertThat(SharedKafka.prefix(SharedKafkaITCase.class, "x"))
                .isNotEqualTo(SharedKafka.prefix(SharedKafkaITCase.class, "x"))
                .startsWith("sharedkafkaitcase-x-");
        assertThat(SharedKafka.prefix(SharedKafkaITCase.class, "a b/c")).matches("sharedkafkaitcase-a-b-c-[0-9]+-");
    }

    @Test
    void everyNameOfThePrefixedOptionsIsTheTestsOwn() throws Exception {
        EmbeddedKafka kafka = SharedKafka.get();
        String a = SharedKafka.prefix(SharedKafkaITCase.class, "a");
        String b = SharedKafka.prefix(SharedKafkaITCase.class, "b");
        JobOptions optionsA = TestJobs.boundedOptions(kafka, dir.resolve("a"), "key-a", a);
        JobOptions optionsB = TestJobs.boundedOptions(kafka, dir.resolve("b"), "key-b", b);
        List<String> namesA = names(optionsA);
        assertThat(namesA).allSatisfy(n -> assertThat(n).startsWith(a));
        assertThat(names(optionsB)).allSatisfy(n -> assertThat(n).startsWith(b)).doesNotContainAnyElementsOf(namesA);

        // b writes to its clickstream, committed and aborted; a sees none of it, and its own record only
        produce(kafka, optionsB.clickstreamTopic, "b-committed", "tx-" + b, true);
        produce(kafka, optionsB.clickstreamTopic, "b-aborted", "tx-" + b, false);
        produce(kafka, optionsA.clickstreamTopic, "a-committed", "tx-" + a, true);
        for (String isolation : List.of("read_committed", "read_uncommitted")) {
            assertThat(Committed.drain(
                            kafka,
                            optionsA.clickstreamTopic,
                            Map.of("isolation.level", isolation),
                            v -> new String(v, StandardCharsets.UTF_8)))
                    .extracting(Committed.Keyed::value)
                    .as(isolation)
                    .containsExactly("a-committed");
        }
        assertThat(Committed.drain(
                        kafka, optionsB.clickstreamTopic, Map.of(), v -> new String(v, StandardCharsets.UTF_8)))
                .extracting(Committed.Keyed::value)
                .containsExactly("b-committed");
    }

    /** Every topic, the group id and the transactional id prefix of {@code options}. */
    static List<String> names(JobOptions options) {
        List<String> names = new ArrayList<>(Topics.inputs(options));
        names.addAll(Topics.outputs(options));
        names.addAll(Stream.of(options.groupId, options.transactionalIdPrefix).toList());
        return names;
    }

    static void produce(EmbeddedKafka kafka, String topic, String value, String transactionalId, boolean commit) {
        Properties p = kafka.clientProperties();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, null, value.getBytes(StandardCharsets.UTF_8)));
            producer.flush();
            if (commit) {
                producer.commitTransaction();
            } else {
                producer.abortTransaction();
            }
        }
    }
}
