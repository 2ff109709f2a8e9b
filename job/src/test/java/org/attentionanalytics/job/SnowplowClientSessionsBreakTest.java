package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DeadLetter;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.io.DoorDecoder;
import org.attentionanalytics.io.DoorSettings;
import org.attentionanalytics.io.Doors;
import org.attentionanalytics.io.InputFormat;
import org.attentionanalytics.session.SessionMode;
import org.attentionanalytics.testutil.GraphRun;
import org.attentionanalytics.testutil.OutputTopics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole-graph ({@link GraphRun}, bounded) probes of {@code --sessions client} through the Snowplow
 * door, and door-level probes of {@code session_id} in JSON and Avro: each asserts what README
 * ("Client sessions") promises for an input chosen to break it.
 */
class SnowplowClientSessionsBreakTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = GraphRun.miniCluster();

    @TempDir
    Path dir;

    static final String KEY = SnowplowClientSessionsTest.KEY;
    static final Instant T = SnowplowClientSessionsTest.T;

    static Map<String, SessionSummary> latest(List<SessionSummary> sessions) {
        Map<String, SessionSummary> last = new LinkedHashMap<>();
        sessions.forEach(s -> last.put(s.getSessionId(), s));
        return last;
    }

    /** Two visitors whose tracker sends a whitespace-only {@code domain_sessionid} are two users with a session each: a blank id names no session. */
    @Test
    void twoVisitorsWithABlankDomainSessionidAreTwoSessions() throws Exception {
        JobOptions options = GraphRun.boundedOptions(dir, KEY);
        options.snowplow = true;
        options.sessions = SessionMode.CLIENT;
        List<SessionSummary> sessions;
        try (GraphRun run = new GraphRun(options)) {
            run.add(
                    options.snowplowTopic,
                    SnowplowClientSessionsTest.record(
                            SnowplowClientSessionsTest.event("page_view", "e1", " ", "pv-1", T)
                                    .set("domain_userid", "duid-alice")),
                    SnowplowClientSessionsTest.record(
                            SnowplowClientSessionsTest.event("page_view", "e2", " ", "pv-2", T.plusSeconds(60))
                                    .set("domain_userid", "duid-bob")));
            run.run();
            sessions = run.outputs().values(options.sessionsTopic, SessionSummary.class);
        }
        assertThat(latest(sessions).values())
                .extracting(SessionSummary::getUser)
                .containsExactlyInAnyOrder(
                        SnowplowClientSessionsTest.pseudonym("duid-alice"),
                        SnowplowClientSessionsTest.pseudonym("duid-bob"));
    }

    /**
     * A session id used again after the routing forgot its session (twice the cap plus the
     * lateness, quiet for the gap) starts a new session in a bounded replay too, where both events
     * are read before the watermark passes the first session's end.
     */
    @Test
    void aSessionIdUsedAgainAfterItsSessionIsOverIsANewSessionInABoundedReplay() throws Exception {
        JobOptions options = GraphRun.boundedOptions(dir, KEY);
        options.snowplow = true;
        options.sessions = SessionMode.CLIENT; // cap 12 h, gap 30 min, lateness 5 min
        Instant later = T.plus(Duration.ofHours(26)); // after twice the 12-h cap plus the lateness
        List<SessionSummary> sessions;
        List<OutputTopics.Keyed<DeadLetter>> dead;
        try (GraphRun run = new GraphRun(options)) {
            run.add(
                    options.snowplowTopic,
                    SnowplowClientSessionsTest.record(
                            SnowplowClientSessionsTest.event("page_view", "e1", "s", "pv-1", T)
                                    .set("domain_userid", "duid-1")),
                    SnowplowClientSessionsTest.record(
                            SnowplowClientSessionsTest.event("page_view", "e2", "s", "pv-2", later)
                                    .set("domain_userid", "duid-1")));
            run.run();
            sessions = run.outputs().values(options.sessionsTopic, SessionSummary.class);
            dead = run.outputs().decoded(options.dlqTopic, DeadLetter.class);
        }
        assertThat(dead).as("dead letters").isEmpty();
        assertThat(latest(sessions)).hasSize(2);
    }

    // ---------------------------------------------------------------- JSON and Avro session_id

    DoorDecoder door(InputFormat format) throws Exception {
        Path key = dir.resolve("key");
        Files.writeString(key, "test-key\n");
        DoorDecoder d = Doors.event(EventKind.CLICK, new DoorSettings(format, 600_000, key.toString(), null, false));
        d.open();
        return d;
    }

    static final long NOW = T.plusSeconds(3600).toEpochMilli();

    static SourceRecord json(DoorDecoder d, String sessionJson) {
        String v = "{\"event_id\":\"e1\",\"user_id\":\"u1\",\"event_time\":" + T.toEpochMilli()
                + ",\"event_type\":\"VIEW\",\"item_id\":\"i\",\"topics\":[\"news\"]"
                + (sessionJson == null ? "" : ",\"session_id\":" + sessionJson) + "}";
        return d.decode("clickstream", 0, 1, null, v.getBytes(StandardCharsets.UTF_8), NOW);
    }

    @Test
    void holdsJsonSessionIdShapes() throws Exception {
        DoorDecoder d = door(InputFormat.JSON);
        assertThat(json(d, "\"\"").getEvent().getSessionId()).isNull();
        assertThat(json(d, "\"  \\t\"").getEvent().getSessionId()).isNull();
        assertThat(json(d, "null").getEvent().getSessionId()).isNull();
        for (String bad : List.of("{\"a\":1}", "[\"s\"]", "true")) {
            SourceRecord r = json(d, bad);
            assertThat(r.getDeadLetter()).as(bad).isNotNull();
            assertThat(r.getEvent()).isNull();
        }
        // A number is taken as text: 42 and "42" are one session (as documented for numbers as text).
        assertThat(json(d, "42").getEvent().getSessionId())
                .isEqualTo(json(d, "\"42\"").getEvent().getSessionId());
    }

    @Test
    void holdsAvroBlankSessionIdIsNone() throws Exception {
        DoorDecoder d = door(InputFormat.AVRO);
        for (String s : List.of("", " ", "\t\n")) {
            ClickEvent c = ClickEvent.newBuilder()
                    .setEventId("e1")
                    .setUserId("u1")
                    .setEventTime(T)
                    .setEventType(EventType.VIEW)
                    .setItemId("i")
                    .setTopics(List.of("news"))
                    .setSessionId(s)
                    .build();
            SourceRecord r =
                    d.decode("clickstream", 0, 1, null, c.toByteBuffer().array(), NOW);
            assertThat(r.getEvent()).as("'" + s + "'").isNotNull();
            assertThat(r.getEvent().getSessionId()).isNull();
        }
    }
}
