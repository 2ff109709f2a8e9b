package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.common.Hashes;
import org.attentionanalytics.io.InputFormat;
import org.attentionanalytics.io.OutputFormat;
import org.attentionanalytics.io.SchemaRegistrySettings;
import org.attentionanalytics.local.EmbeddedKafka;
import org.attentionanalytics.local.SchemaRegistryServer;
import org.attentionanalytics.testutil.ApicurioSerde;
import org.attentionanalytics.testutil.KafkaFixtures;
import org.attentionanalytics.testutil.KafkaFixtures.Raw;
import org.attentionanalytics.testutil.SharedKafka;
import org.attentionanalytics.testutil.TestJobs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job with {@code --input-format avro-registry --output-format avro-registry} against a real
 * broker and a real registry ({@link SchemaRegistryServer}, Apicurio Registry 2.4.2).
 *
 * <p>Schema evolution: a producer still on the previous {@code ClickEvent}, the one before {@code
 * view_id} and {@code session_id} were added (both optional, default null), registers it and
 * writes {@code SegmentJsonTest}'s six events with it, as Apicurio's serializer does (Confluent wire
 * format). The new job resolves each against its own schema, so alice's session is the one derived
 * by hand in {@code JsonMappingITCase}: 09:00:00 to 09:01:10, 70,000 ms, 3 events, 2 views. A
 * record whose schema id the registry does not know (id 987654) is an {@code UNKNOWN_SCHEMA} dead
 * letter, and the job finishes.
 *
 * <p>At start the job registers every output schema under {@code <topic>-value}, compatibility
 * {@code BACKWARD}; a subject whose latest schema the job's cannot read (it lacks {@code
 * duration_ms}, which the job's {@code SessionSummary} requires without a default) stops the job
 * before it runs, in one line.
 */
@Tag("slow")
class SchemaRegistryITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static final String KEY = SegmentJsonTest.KEY;
    static final ObjectMapper JSON = new ObjectMapper();

    static EmbeddedKafka kafka;
    static SchemaRegistryServer registry;
    static JobOptions options;
    static Path out;

    @TempDir
    static Path dir;

    /** ClickEvent as it was before view_id and session_id were added. */
    static Schema previousClickEvent() {
        Set<String> added = Set.of("view_id", "session_id");
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : ClickEvent.getClassSchema().getFields()) {
            if (!added.contains(f.name())) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        Schema s = ClickEvent.getClassSchema();
        return Schema.createRecord(s.getName(), s.getDoc(), s.getNamespace(), false, fields);
    }

    @BeforeAll
    static void run() throws Exception {
        kafka = SharedKafka.get();
        registry = SchemaRegistryServer.start();
        options = TestJobs.boundedOptions(
                kafka, dir.resolve("state"), KEY + "\n", SharedKafka.prefix(SchemaRegistryITCase.class, "run"));
        options.inputFormat = InputFormat.AVRO_REGISTRY;
        options.outputFormat = OutputFormat.AVRO_REGISTRY;
        options.schemaRegistryUrl = registry.url();
        AttentionJob.validate(options);

        Schema previous = previousClickEvent();
        SchemaRegistrySettings settings = options.schemaRegistry();
        List<Raw> in = new ArrayList<>();
        try (AvroKafkaSerializer<GenericRecord> producer = new AvroKafkaSerializer<>()) {
            producer.configure(
                    ApicurioSerde.config(settings), false); // registers the previous schema, as a producer would
            for (SegmentJsonTest.Sent e : SegmentJsonTest.EVENTS) {
                ClickEvent now = SegmentJsonTest.click(e);
                GenericRecordBuilder old = new GenericRecordBuilder(previous);
                for (Schema.Field f : previous.getFields()) {
                    Object v = now.get(f.name()); // a generic record holds timestamps as epoch millis
                    old.set(f.name(), v instanceof java.time.Instant t ? (Object) t.toEpochMilli() : v);
                }
                in.add(new Raw(
                        options.clickstreamTopic, e.user(), producer.serialize(options.clickstreamTopic, old.build())));
            }
        }
        byte[] unknown = {0, 0, 0x0F, 0x12, 0x06, 2, 3, 4}; // schema id 0x000F1206 = 987654
        in.add(new Raw(options.clickstreamTopic, "alice", unknown));
        KafkaFixtures.produce(kafka.bootstrapServers(), in);
        out = HeartbeatsITCase.runAndWrite(options, dir.resolve("out"));
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void aRecordOfThePreviousClickEventIsReadByTheNewJob() throws Exception {
        String id = Hashes.sessionId(SegmentJsonTest.ALICE, SegmentJsonTest.T.toEpochMilli());
        JsonNode s = OutputLines.latest(out.resolve(options.sessionsTopic + ".jsonl"), "session_id")
                .get(id);
        assertThat(s).isNotNull();
        assertThat(s.get("start").asText()).isEqualTo("2025-01-06T09:00:00.000Z");
        assertThat(s.get("end").asText()).isEqualTo("2025-01-06T09:01:10.000Z");
        assertThat(s.get("duration_ms").asLong()).isEqualTo(70_000);
        assertThat(s.get("event_count").asInt()).isEqualTo(3);
        assertThat(s.get("views").asInt()).isEqualTo(2);
        assertThat(s.get("status").asText()).isEqualTo("CLOSED");
    }

    @Test
    void anUnknownSchemaIdIsADeadLetter() throws Exception {
        List<JsonNode> dead = OutputLines.read(out.resolve(options.dlqTopic + ".jsonl"));
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.get("reason").asText()).isEqualTo("UNKNOWN_SCHEMA");
            assertThat(d.get("detail").asText())
                    .isEqualTo("schema id 987654 is not in the schema registry at " + registry.url());
        });
    }

    @Test
    void everyOutputSubjectIsRegisteredWithBackwardCompatibility() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String topic : List.of(options.sessionsTopic, options.pageViewsTopic, options.dlqTopic)) {
            String subject = SchemaRegistrySettings.subject(topic);
            HttpResponse<String> config = http.send(
                    HttpRequest.newBuilder(URI.create(registry.url() + "/apis/ccompat/v6/config/" + subject))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(JSON.readTree(config.body()).get("compatibilityLevel").asText())
                    .as(subject)
                    .isEqualTo("BACKWARD");
        }
        // the session topic's values carry the registered id (byte 0, then the 4-byte id)
        HttpResponse<String> latest = http.send(
                HttpRequest.newBuilder(URI.create(registry.url() + "/apis/ccompat/v6/subjects/"
                                + SchemaRegistrySettings.subject(options.sessionsTopic) + "/versions/latest"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode version = JSON.readTree(latest.body());
        assertThat(new Schema.Parser().parse(version.get("schema").asText()))
                .isEqualTo(SessionSummary.getClassSchema());
    }

    @Test
    void aSubjectTheJobsSchemaCannotReadStopsTheJobAtStartInOneLine() throws Exception {
        JobOptions other = TestJobs.boundedOptions(
                kafka, dir.resolve("other"), KEY + "\n", SharedKafka.prefix(SchemaRegistryITCase.class, "refused"));
        other.outputFormat = OutputFormat.AVRO_REGISTRY;
        other.schemaRegistryUrl = registry.url();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : SessionSummary.getClassSchema().getFields()) {
            if (!f.name().equals("duration_ms")) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        Schema s = SessionSummary.getClassSchema();
        Schema earlier = Schema.createRecord(s.getName(), s.getDoc(), s.getNamespace(), false, fields);
        try (var client = other.schemaRegistry().client()) {
            client.createArtifact(
                    SchemaRegistrySettings.GROUP,
                    SchemaRegistrySettings.subject(other.sessionsTopic),
                    null,
                    "AVRO",
                    io.apicurio.registry.rest.v2.beans.IfExists.FAIL,
                    false,
                    new ByteArrayInputStream(earlier.toString().getBytes(StandardCharsets.UTF_8)));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        assertThatThrownBy(() -> AttentionJob.defineWorkflow(env, other, JobIo.KAFKA))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "the schema registry at " + registry.url() + " refuses SessionSummary for subject "
                                + other.sessionsTopic + "-value (topic " + other.sessionsTopic + "): not compatible")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
