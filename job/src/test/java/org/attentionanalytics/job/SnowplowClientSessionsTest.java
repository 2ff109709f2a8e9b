package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.attentionanalytics.avro.DeadLetter;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.PageView;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.privacy.Pseudonymizer;
import org.attentionanalytics.session.SessionMode;
import org.attentionanalytics.testutil.GraphRun;
import org.attentionanalytics.testutil.OutputTopics;
import org.attentionanalytics.testutil.RawRecord;
import org.attentionanalytics.testutil.SnowplowLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --sessions client} through the Snowplow door and the whole graph ({@link GraphRun},
 * bounded, {@code --max-session-duration 3 d} as Snowplow's {@code snowplow__max_session_days}).
 *
 * <p>sess-1, T = Monday 09:00 UTC: page view pv-1 at T by {@code domain_userid} duid-1, pings of
 * pv-1 created at T+5 and T+15 s; the user logs in: page view pv-2 at T+60 s with {@code user_id}
 * alice, a ping at T+65 s; the cookie rotates: page view pv-3 at T+120 s by duid-2. All are one
 * session of duid-1's pseudonym (the identity of its first event): 6 events, 3 views; engaged
 * time by Snowplow's page-view formula ({@code heartbeat * (distinct buckets - 1) + min_visit}):
 * pv-1 buckets 0 and 1: 10 + 5 = 15 s; pv-2 bucket 6: 5 s; pv-3 no pings: 0 s; the session 20 s.
 *
 * <p>sess-2, duid-3: pv-4 at T, pv-5 at T + 40 h (Wednesday 01:00, two midnights later): one
 * session of 2 views that closed after the 30-min gap and reopened under its id; pv-6 at T + 3 d
 * + 1 s is beyond the cap: a {@code BEYOND_MAX_SESSION} dead letter.
 */
class SnowplowClientSessionsTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = GraphRun.miniCluster();

    @TempDir
    Path dir;

    static final String KEY = "snowplow-key";
    static final Instant T = Instant.parse("2025-01-06T09:00:00Z");

    static SnowplowLines event(String event, String id, String session, String pageView, Instant at) {
        return SnowplowLines.line()
                .set("collector_tstamp", at.plusMillis(900))
                .set("dvce_created_tstamp", at)
                .set("derived_tstamp", at)
                .set("event", event)
                .set("event_id", id)
                .set("domain_sessionid", session)
                .set("page_urlpath", "/news/" + pageView)
                .set("useragent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
                .webPage(pageView);
    }

    static RawRecord record(SnowplowLines line) {
        return RawRecord.bytes(0, "203.0.113.9", line.bytes());
    }

    static String pseudonym(String id) {
        return new Pseudonymizer(KEY.getBytes(StandardCharsets.UTF_8)).pseudonym(id);
    }

    @Test
    void oneIdentityPerTrackerSessionAcrossLoginRotationAndDays() throws Exception {
        JobOptions options = GraphRun.boundedOptions(dir, KEY);
        options.snowplow = true;
        options.sessions = SessionMode.CLIENT;
        options.maxSessionDuration = Duration.ofDays(3);
        Instant twoDaysOn = T.plus(Duration.ofHours(40));
        List<SessionSummary> sessions;
        List<PageView> pageViews;
        List<OutputTopics.Keyed<DeadLetter>> dead;
        try (GraphRun run = new GraphRun(options)) {
            run.add(
                    options.snowplowTopic,
                    record(event("page_view", "e1", "sess-1", "pv-1", T).set("domain_userid", "duid-1")),
                    record(event("page_ping", "e2", "sess-1", "pv-1", T.plusSeconds(5))
                            .set("domain_userid", "duid-1")),
                    record(event("page_ping", "e3", "sess-1", "pv-1", T.plusSeconds(15))
                            .set("domain_userid", "duid-1")),
                    record(event("page_view", "e4", "sess-1", "pv-2", T.plusSeconds(60))
                            .set("domain_userid", "duid-1")
                            .set("user_id", "alice")),
                    record(event("page_ping", "e5", "sess-1", "pv-2", T.plusSeconds(65))
                            .set("domain_userid", "duid-1")
                            .set("user_id", "alice")),
                    record(event("page_view", "e6", "sess-1", "pv-3", T.plusSeconds(120))
                            .set("domain_userid", "duid-2")),
                    record(event("page_view", "e7", "sess-2", "pv-4", T).set("domain_userid", "duid-3")),
                    record(event("page_view", "e8", "sess-2", "pv-5", twoDaysOn).set("domain_userid", "duid-3")),
                    record(event(
                                    "page_view",
                                    "e9",
                                    "sess-2",
                                    "pv-6",
                                    T.plus(Duration.ofDays(3)).plusSeconds(1))
                            .set("domain_userid", "duid-3")));
            run.run();
            sessions = run.outputs().values(options.sessionsTopic, SessionSummary.class);
            pageViews = run.outputs().values(options.pageViewsTopic, PageView.class);
            dead = run.outputs().decoded(options.dlqTopic, DeadLetter.class);
        }
        Map<String, SessionSummary> last = new LinkedHashMap<>(); // upsert by session_id: the latest record
        sessions.forEach(s -> last.put(s.getSessionId(), s));
        assertThat(last.values())
                .extracting(
                        SessionSummary::getUser,
                        SessionSummary::getEventCount,
                        SessionSummary::getViews,
                        SessionSummary::getEngagedMs,
                        SessionSummary::getStart,
                        SessionSummary::getEnd)
                .containsExactlyInAnyOrder(
                        tuple(pseudonym("duid-1"), 6, 3, 20_000L, T, T.plusSeconds(120)),
                        tuple(pseudonym("duid-3"), 2, 2, 0L, T, twoDaysOn));
        assertThat(last.values())
                .allSatisfy(s -> assertThat(s.getStatus().toString()).isEqualTo("CLOSED"));
        Map<String, Long> engaged = new LinkedHashMap<>();
        pageViews.forEach(v -> engaged.put(v.getViewId(), v.getEngagedMs()));
        assertThat(engaged)
                .containsOnly(
                        Map.entry("pv-1", 15_000L),
                        Map.entry("pv-2", 5_000L),
                        Map.entry("pv-3", 0L),
                        Map.entry("pv-4", 0L),
                        Map.entry("pv-5", 0L));
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.key()).isEqualTo(pseudonym("duid-3"));
            assertThat(d.value().getReason()).isEqualTo(DeadLetterReason.BEYOND_MAX_SESSION);
        });
    }
}
