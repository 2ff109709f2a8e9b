package org.attentionanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.attentionanalytics.io.AvroJson;
import org.attentionanalytics.io.AvroRecordSerializer;
import org.attentionanalytics.io.OutputEncoder;
import org.attentionanalytics.io.OutputFormat;
import org.attentionanalytics.io.SchemaRegistration;
import org.attentionanalytics.io.SchemaRegistrySettings;
import org.attentionanalytics.job.JobOptions;
import org.attentionanalytics.testutil.ApicurioSerde;
import org.attentionanalytics.testutil.SampleRecords;
import org.attentionanalytics.testutil.SharedKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every output record type in the three {@code --output-format}s, through the real broker and a
 * real registry: a record with every field set (optional ones too; {@link SampleRecords#of}) and a
 * tombstone, written by the job's sink serializer ({@link AvroRecordSerializer}) to a topic per
 * type and format, read back as {@code consume} and the output files do ({@link OutputDecoder}),
 * and for the wire format also with Apicurio's deserializer, as README's Java consumer, and
 * compared field by field; the tombstone stays a null value. Then the consumers of README's "Reading the outputs": the Python
 * consumer ({@code deploy/consumers/consume_registry.py}, Debian's python3-avro, -requests and
 * -confluent-kafka) decodes the {@code avro-registry} session topic, and {@code kcat} reads the
 * {@code json} one. Without them (they come with {@code .ci/run}) those two are skipped, except
 * on CI.
 */
@Tag("slow")
class OutputFormatsITCase {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String USER = "4f0c9a2e11d3b5a7c6e8f0a1b2c3d4e5";

    static SchemaRegistryServer registry;
    static SchemaRegistrySettings settings;
    static String prefix;

    @BeforeAll
    static void start() throws IOException {
        registry = SchemaRegistryServer.start();
        settings = new SchemaRegistrySettings(registry.url(), Map.of());
        prefix = SharedKafka.prefix(OutputFormatsITCase.class, "t");
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    static String topic(OutputFormat format, RecordType type) {
        return prefix + format + "-" + type.topic(JobOptions.defaults());
    }

    @Test
    void everyOutputTypeRoundTripsInEveryFormat() throws Exception {
        for (OutputFormat format : OutputFormat.values()) {
            for (RecordType type : RecordType.outputs()) {
                String topic = topic(format, type);
                SpecificRecordBase record = (SpecificRecordBase) SampleRecords.of(type.schema());
                long id = write(format, topic, record);
                List<ConsumerRecord<byte[], byte[]>> read = readAll(topic);
                assertThat(read).as(topic).hasSize(2);
                byte[] value = read.get(0).value();
                switch (format) {
                    case AVRO -> assertThat(value[0]).isEqualTo((byte) 0xC3);
                    case JSON ->
                        assertThat(JSON.readTree(value).has(AvroJson.KEY_FIELD)).isFalse();
                    case AVRO_REGISTRY ->
                        assertThat(ByteBuffer.wrap(value, 1, 4).getInt())
                                .as("schema id of " + topic)
                                .isEqualTo((int) id);
                }
                OutputDecoder decoder = new OutputDecoder(settings);
                assertThat(decoder.decode(type, topic, value)).as(topic).isEqualTo(record);
                if (format != OutputFormat.JSON) { // the type from the header or the registry
                    assertThat(decoder.decode(null, topic, value)).as(topic).isEqualTo(record);
                }
                if (format == OutputFormat.AVRO_REGISTRY) { // README's Java consumer: Apicurio's deserializer
                    try (AvroKafkaDeserializer<Object> apicurio = new AvroKafkaDeserializer<>()) {
                        Map<String, Object> config = new java.util.HashMap<>(ApicurioSerde.config(settings));
                        config.put("apicurio.registry.use-specific-avro-reader", "true");
                        apicurio.configure(config, false);
                        assertThat(apicurio.deserialize(topic, value)).as(topic).isEqualTo(record);
                    }
                }
                assertThat(new String(read.get(1).key(), StandardCharsets.UTF_8))
                        .isEqualTo(USER);
                assertThat(read.get(1).value()).as("tombstone of " + topic).isNull();
            }
        }
    }

    @Test
    void thePythonConsumerDecodesTheRegistryTopicAndKcatReadsTheJsonOne() throws Exception {
        boolean ci = System.getenv("CI") != null;
        boolean tools = run(List.of("/usr/bin/python3", "-c", "import avro, requests, confluent_kafka")).exitCode == 0
                && run(List.of("kcat", "-V")).exitCode == 0;
        Assumptions.assumeTrue(
                tools || ci,
                "python3-avro, python3-requests, python3-confluent-kafka or kcat missing (.ci/run installs them)");
        SpecificRecordBase session = (SpecificRecordBase) SampleRecords.of(RecordType.SESSION_SUMMARY.schema());
        String registryTopic = topic(OutputFormat.AVRO_REGISTRY, RecordType.SESSION_SUMMARY) + "-py";
        write(OutputFormat.AVRO_REGISTRY, registryTopic, session);
        Path script = Path.of("..", "deploy", "consumers", "consume_registry.py");
        Result python = run(List.of(
                "/usr/bin/python3",
                script.toString(),
                SharedKafka.get().bootstrapServers(),
                registry.url(),
                registryTopic,
                "2"));
        assertThat(python.exitCode).as(python.output).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : python.output.split("\n")) {
            if (line.startsWith("{")) {
                lines.add(JSON.readTree(line));
            }
        }
        assertThat(lines).hasSize(2);
        JsonNode value = lines.get(0).get("value");
        assertThat(lines.get(0).get("key").asText()).isEqualTo(USER);
        assertThat(value.get("session_id").asText())
                .isEqualTo(session.get("session_id").toString());
        assertThat(value.get("event_count").asLong()).isEqualTo(((Number) session.get("event_count")).longValue());
        assertThat(Instant.parse(value.get("start").asText().replace("+00:00", "Z")))
                .isEqualTo(session.get("start"));
        assertThat(lines.get(1).get("value").isNull()).isTrue();

        String jsonTopic = topic(OutputFormat.JSON, RecordType.SESSION_SUMMARY) + "-kcat";
        write(OutputFormat.JSON, jsonTopic, session);
        Result kcat = run(List.of(
                "kcat", "-b", SharedKafka.get().bootstrapServers(), "-C", "-t", jsonTopic, "-e", "-q", "-c", "1"));
        assertThat(kcat.exitCode).as(kcat.output).isZero();
        assertThat(kcat.output.trim()).isEqualTo(JSON.writeValueAsString(AvroJson.toJson(session)));
    }

    @Test
    void createTopicsRegistersTheOutputSchemasWhenAsked() throws Exception {
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cli = org.attentionanalytics.cli.AttentionCli.commandLine();
        cli.setOut(new java.io.PrintWriter(out, true));
        String p = prefix + "ct-";
        int code = cli.execute(
                "create-topics",
                "--bootstrap-servers",
                SharedKafka.get().bootstrapServers(),
                "--topic.sessions",
                p + "sessions",
                "--schema-registry-url",
                registry.url());
        assertThat(code).as(out.toString()).isZero();
        assertThat(out.toString())
                .contains("registered SessionSummary under " + p + "sessions-value (id ")
                .contains("registered DeadLetter under attention-dlq-value (id ");
        assertThat(out.toString().lines().filter(l -> l.startsWith("registered ")))
                .hasSize(RecordType.outputs().length);
    }

    record Result(int exitCode, String output) {}

    static Result run(List<String> command) throws Exception {
        Path log = Files.createTempFile("consumer-", ".out");
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + Files.readString(log));
            }
            return new Result(p.exitValue(), Files.readString(log));
        } catch (IOException e) {
            return new Result(-1, e.toString()); // not installed
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /**
     * Writes {@code record} and a tombstone, both keyed {@link #USER}, through the job's sink
     * serializer, its schema first registered as the job does for {@code avro-registry}.
     *
     * @return the schema id, or -1
     */
    static long write(OutputFormat format, String topic, SpecificRecordBase record) throws Exception {
        long id = format == OutputFormat.AVRO_REGISTRY
                ? SchemaRegistration.register(settings, topic, record.getSchema())
                : -1;
        OutputEncoder encoder =
                format == OutputFormat.AVRO_REGISTRY ? OutputEncoder.registry(id) : OutputEncoder.of(format);
        AvroRecordSerializer<SpecificRecordBase> values =
                new AvroRecordSerializer<>(topic, r -> USER, r -> r, encoder, Integer.MAX_VALUE, null);
        AvroRecordSerializer<SpecificRecordBase> tombstones =
                new AvroRecordSerializer<>(topic, r -> USER, r -> null, encoder, Integer.MAX_VALUE, null);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.get().bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        SharedKafka.get().createTopic(topic, 1, Map.of());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(values.serialize(record, null, null)).get();
            producer.send(tombstones.serialize(record, null, null)).get();
        }
        return id;
    }

    @Test
    void aHostileWireValueIsReportedNotDecoded() throws Exception {
        long id = SchemaRegistration.register(settings, prefix + "hostile", RecordType.CLICK_EVENT.schema());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(new byte[] {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id});
        org.apache.avro.io.BinaryEncoder e =
                org.apache.avro.io.EncoderFactory.get().directBinaryEncoder(out, null);
        e.writeString("e1"); // event_id
        e.writeString("u1"); // user_id
        e.writeLong(1L); // event_time
        e.writeEnum(0); // event_type
        e.writeIndex(0); // item_id: null
        e.writeLong(2_147_483_639L); // topics: a block claiming 2^31 - 9 items, then nothing
        e.flush();
        OutputDecoder decoder = new OutputDecoder(settings);
        assertThatThrownBy(() -> decoder.decode(null, prefix + "hostile", out.toByteArray()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("2147483639");
    }

    static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                TopicDrain.newConsumer(SharedKafka.get().bootstrapServers(), Map.of())) {
            TopicDrain.drain(c, topic, -1, TopicDrain.DEFAULT_STALL_TIMEOUT, out::add);
        }
        return out;
    }
}
