package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.DwellKind;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.common.Hashes;
import org.attentionanalytics.io.InputFormat;
import org.attentionanalytics.local.EmbeddedKafka;
import org.attentionanalytics.privacy.Pseudonymizer;
import org.attentionanalytics.session.SessionMode;
import org.attentionanalytics.testutil.KafkaFixtures;
import org.attentionanalytics.testutil.KafkaFixtures.Raw;
import org.attentionanalytics.testutil.SharedKafka;
import org.attentionanalytics.testutil.TestJobs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --sessions client} through Kafka with the job's own inputs (DESIGN.md section 5, README
 * "Client sessions"): ClickEvents and a DwellEvent that carry {@code session_id}, once as Avro
 * (single-object encoding), once as JSON with the job's field names ({@code --input-format json},
 * no mapping).
 *
 * <p>B = 2025-01-06 09:00:00 UTC, tracker session {@code s1}:
 *
 * <ul>
 *   <li>VIEW a by {@code u-anon} at B;
 *   <li>VIEW b by {@code u-login} at B+60 s (a login mid-session);
 *   <li>DWELL of item b by {@code u-login} at B+80 s, {@code dwell_ms} 20,000;
 *   <li>VIEW c by {@code u-anon} at B+40 min (38 min 40 s after the dwell: beyond the 30-min gap);
 * </ul>
 *
 * and, without a session id, VIEW x by {@code u-x} at B+10 s.
 *
 * <p>By hand: the routing keys {@code s1}'s events by the session id's pseudonym and hands them on
 * with the pseudonym of the session's first event, {@code u-anon}'s; so {@code u-login} has no
 * session (nor page view) of its own. One session per id whatever the gaps: the session closes
 * when the watermark passes B+80 s + 30 min (a CLOSED record: end B+80 s, 3 events, 20 s) and
 * reopens under the same {@code session_id} with the view of c, so its latest record: start B, end B+40 min ({@code duration_ms} 2,400,000), 4 events
 * (3 VIEWs, the DWELL), 3 views; the DWELL has no {@code view_id} and belongs to the latest view
 * of its item at or before B+80 s, the view of b at B+60 s; it covers [B+60 s, B+80 s], which
 * begins exactly at the view's start, so the clip at the view's start cuts nothing: engaged 20 s
 * (views a and c: 0). 3 views: engaged, no bounce. CLOSED at the end of the bounded input. Its id
 * is {@code Hashes.sessionId(pseudonym(u-anon), B, pseudonym(s1))}. {@code u-x}'s event is
 * sessionized by the gap rule: a session of 1 event, 1 view, start = end = B+10 s, engaged 0
 * (a bounce), CLOSED, id {@code Hashes.sessionId(pseudonym(u-x), B+10 s)}.
 */
class AvroClientSessionsITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static final Instant B = Instant.parse("2025-01-06T09:00:00Z");
    static final String KEY = "acs-key";

    static EmbeddedKafka kafka;

    @TempDir
    static Path dir;

    @BeforeAll
    static void shareKafka() {
        kafka = SharedKafka.get();
    }

    static String pseudonym(String id) {
        return new Pseudonymizer(KEY.getBytes(StandardCharsets.UTF_8)).pseudonym(id);
    }

    static ClickEvent view(String id, String user, String item, Instant at, String session) {
        return ClickEvent.newBuilder()
                .setEventId(id)
                .setUserId(user)
                .setEventTime(at)
                .setEventType(EventType.VIEW)
                .setItemId(item)
                .setTopics(List.of("news"))
                .setSessionId(session)
                .build();
    }

    static DwellEvent dwell(String id, String user, String item, Instant at, long ms, String session) {
        return DwellEvent.newBuilder()
                .setEventId(id)
                .setUserId(user)
                .setEventTime(at)
                .setItemId(item)
                .setKind(DwellKind.DWELL)
                .setDwellMs(ms)
                .setTopics(List.of("news"))
                .setSessionId(session)
                .build();
    }

    /** The events of the class comment, as (raw user id, record); DwellEvents go to the dwell topic. */
    static List<Map.Entry<String, SpecificRecordBase>> events() {
        return List.of(
                Map.entry("u-anon", view("e1", "u-anon", "a", B, "s1")),
                Map.entry("u-x", view("x1", "u-x", "x", B.plusSeconds(10), null)),
                Map.entry("u-login", view("e2", "u-login", "b", B.plusSeconds(60), "s1")),
                Map.entry("u-login", dwell("d1", "u-login", "b", B.plusSeconds(80), 20_000, "s1")),
                Map.entry("u-anon", view("e3", "u-anon", "c", B.plus(Duration.ofMinutes(40)), "s1")));
    }

    @Test
    void avroEventsWithASessionIdGiveOneClientSessionAcrossTheGapAndTheLogin() throws Exception {
        check(InputFormat.AVRO);
    }

    /** The same events as JSON with the job's own field names ({@code record.toString()}): the same result. */
    @Test
    void jsonEventsWithASessionIdGiveTheSameClientSession() throws Exception {
        check(InputFormat.JSON);
    }

    static void check(InputFormat format) throws Exception {
        String prefix = SharedKafka.prefix(AvroClientSessionsITCase.class, format.name());
        JobOptions options = TestJobs.boundedOptions(kafka, dir.resolve(format.name()), KEY + "\n", prefix);
        options.sessions = SessionMode.CLIENT;
        options.inputFormat = format;
        AttentionJob.validate(options);
        List<Raw> in = new ArrayList<>();
        for (Map.Entry<String, SpecificRecordBase> e : events()) {
            String topic = e.getValue() instanceof DwellEvent ? options.dwellTopic : options.clickstreamTopic;
            in.add(
                    format == InputFormat.AVRO
                            ? Raw.of(topic, e.getKey(), e.getValue())
                            : new Raw(topic, e.getKey(), e.getValue().toString().getBytes(StandardCharsets.UTF_8)));
        }
        KafkaFixtures.produce(kafka.bootstrapServers(), in);
        Path out = HeartbeatsITCase.runAndWrite(options, dir.resolve(format.name() + "-out"));

        List<JsonNode> records = OutputLines.read(out.resolve(options.sessionsTopic + ".jsonl"));
        Map<String, JsonNode> last = OutputLines.latest(records, "session_id");
        String anon = pseudonym("u-anon");
        String client = Hashes.sessionId(anon, B.toEpochMilli(), pseudonym("s1"));
        String gap = Hashes.sessionId(pseudonym("u-x"), B.plusSeconds(10).toEpochMilli());
        assertThat(records)
                .as("closed once at B+80 s + gap, before the view of c reopens it under the same id")
                .filteredOn(s -> s.get("session_id").asText().equals(client))
                .filteredOn(s -> s.get("status").asText().equals("CLOSED"))
                .extracting(
                        s -> s.get("end").asText(),
                        s -> s.get("event_count").asInt(),
                        s -> s.get("engaged_ms").asLong())
                .containsExactly(
                        tuple("2025-01-06T09:01:20.000Z", 3, 20_000L), tuple("2025-01-06T09:40:00.000Z", 4, 20_000L));
        assertThat(last.values())
                .extracting(
                        s -> s.get("session_id").asText(),
                        s -> s.get("user").asText(),
                        s -> s.get("event_count").asInt(),
                        s -> s.get("views").asInt(),
                        s -> s.get("engaged_ms").asLong(),
                        s -> s.get("start").asText(),
                        s -> s.get("end").asText(),
                        s -> s.get("duration_ms").asLong(),
                        s -> s.get("bounce").asBoolean(),
                        s -> s.get("status").asText())
                .containsExactlyInAnyOrder(
                        tuple(
                                client,
                                anon,
                                4,
                                3,
                                20_000L,
                                "2025-01-06T09:00:00.000Z",
                                "2025-01-06T09:40:00.000Z",
                                2_400_000L,
                                false,
                                "CLOSED"),
                        tuple(
                                gap,
                                pseudonym("u-x"),
                                1,
                                1,
                                0L,
                                "2025-01-06T09:00:10.000Z",
                                "2025-01-06T09:00:10.000Z",
                                0L,
                                true,
                                "CLOSED"));

        Map<String, JsonNode> views = OutputLines.latest(out.resolve(options.pageViewsTopic + ".jsonl"), "view_id");
        assertThat(views.values())
                .extracting(
                        v -> v.get("user").asText(),
                        v -> v.get("session_id").asText(),
                        v -> v.get("item_id").asText(),
                        v -> v.get("start").asText(),
                        v -> v.get("engaged_ms").asLong(),
                        v -> v.get("status").asText())
                .containsExactlyInAnyOrder(
                        tuple(anon, client, "a", "2025-01-06T09:00:00.000Z", 0L, "CLOSED"),
                        tuple(anon, client, "b", "2025-01-06T09:01:00.000Z", 20_000L, "CLOSED"),
                        tuple(anon, client, "c", "2025-01-06T09:40:00.000Z", 0L, "CLOSED"),
                        tuple(pseudonym("u-x"), gap, "x", "2025-01-06T09:00:10.000Z", 0L, "CLOSED"));
        assertThat(Files.readString(out.resolve(options.sessionsTopic + ".jsonl")))
                .doesNotContain(pseudonym("u-login"));
        assertThat(Files.readString(out.resolve(options.pageViewsTopic + ".jsonl")))
                .doesNotContain(pseudonym("u-login"));
        assertThat(Files.readString(out.resolve(options.dlqTopic + ".jsonl"))).isBlank();
    }
}
