package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.common.Hashes;
import org.attentionanalytics.local.EmbeddedKafka;
import org.attentionanalytics.local.OutputFiles;
import org.attentionanalytics.pipeline.PipelineCounters;
import org.attentionanalytics.privacy.Pseudonymizer;
import org.attentionanalytics.session.SessionMode;
import org.attentionanalytics.testutil.KafkaFixtures;
import org.attentionanalytics.testutil.KafkaFixtures.Raw;
import org.attentionanalytics.testutil.SharedKafka;
import org.attentionanalytics.testutil.SnowplowLines;
import org.attentionanalytics.testutil.TestJobs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: Snowplow enriched events through Kafka ({@code --snowplow}) give sessions and page views
 * whose engaged time, page views and event counts equal those of Snowplow's published dbt models,
 * on hand-written events. Each scenario's expected values are derived by hand in its Javadoc from
 * the definitions below, each with its source; where the job differs from Snowplow, the Javadoc
 * gives both values and the test asserts the job's (README, "Snowplow's numbers", lists them).
 *
 * <p>The Snowplow definitions (dbt-snowplow-web 1.0.1 and dbt-snowplow-unified 1.0.0, which agree
 * on all of these; utils = dbt-snowplow-utils), defaults {@code snowplow__heartbeat} 10, {@code
 * snowplow__min_visit_length} 5, {@code snowplow__max_session_days} 3, {@code
 * snowplow__days_late_allowed} 3, {@code snowplow__session_timestamp} collector_tstamp:
 *
 * <ul>
 *   <li><b>[DEDUP]</b> Duplicate {@code event_id}s: only the copy with the earliest {@code
 *       collector_tstamp} (then {@code dvce_created_tstamp}) is kept, before any table is built.
 *       utils {@code macros/base/base_create_snowplow_events_this_run.sql} ({@code row_number() over
 *       (partition by event_id order by collector_tstamp, dvce_created_tstamp) = 1}); docs
 *       https://docs.snowplow.io/docs/modeling-your-data/modeling-your-data-with-dbt/package-mechanics/deduplication/
 *       ("the earliest collector_tstamp record ... The same methodology is applied to
 *       page/screen_view_ids, however we order by derived_tstamp").
 *   <li><b>[PV-DEDUP]</b> A page view's row: one per {@code page_view_id}, from {@code page_view}
 *       events only, the one with the earliest {@code derived_tstamp} (then {@code
 *       dvce_created_tstamp}). web {@code models/page_views/scratch/default/snowplow_web_page_views_this_run.sql}
 *       ({@code where ev.event_name = 'page_view'}, {@code page_view_id_dedupe_index = 1}); unified
 *       {@code models/views/scratch/snowplow_unified_views_this_run.sql} ({@code view_id_dedupe_index}).
 *       So pings whose page view id has no {@code page_view} event give no page-view row.
 *   <li><b>[PV-ENGAGED]</b> A page view's {@code engaged_time_in_s} = heartbeat x (count(distinct
 *       floor(epoch(dvce_created_tstamp) / heartbeat)) - 1) + min_visit_length over its {@code
 *       page_ping}s, 0 without pings. web {@code models/page_views/scratch/snowplow_web_pv_engaged_time.sql}
 *       and {@code coalesce(t.engaged_time_in_s, 0)} in {@code snowplow_web_page_views_this_run.sql};
 *       unified {@code models/views/scratch/snowplow_unified_pv_engaged_time.sql}.
 *   <li><b>[S-EVENTS]</b> A session's {@code total_events} = {@code count(*)} of its de-duplicated
 *       events (every event name, a re-sent page_view included). web {@code
 *       models/sessions/scratch/default/snowplow_web_sessions_this_run.sql} ({@code session_aggs});
 *       unified {@code models/sessions/scratch/snowplow_unified_sessions_this_run.sql}.
 *   <li><b>[S-VIEWS]</b> A session's {@code page_views} = count(distinct page_view_id) over its
 *       {@code page_view} <i>and</i> {@code page_ping} events (unified: {@code count(distinct
 *       view_id)}): a page view id seen only on pings counts. Same files.
 *   <li><b>[S-ENGAGED]</b> A session's {@code engaged_time_in_s} = heartbeat x (distinct (page view
 *       id, bucket) pairs of pings - distinct page view ids of pings) + min_visit_length x distinct
 *       page view ids of pings: the sum of [PV-ENGAGED] over every page view id that has pings, stray
 *       ones included. Same files.
 *   <li><b>[S-TIME]</b> A session's {@code start_tstamp} = min(derived_tstamp), minus
 *       min_visit_length when its first page event (by derived_tstamp, dvce_created_tstamp,
 *       event_id) is a page_ping; {@code end_tstamp} = max(derived_tstamp). Same files.
 *   <li><b>[SESSION]</b> A session is one {@code domain_sessionid} (the tracker's: a new one after
 *       30 min without events, its {@code sessionCookieTimeout} default 1800 s); it does not split
 *       at midnight. Events whose collector_tstamp is after the session's start (min collector_tstamp)
 *       + max_session_days are left out; sessions longer are quarantined. utils {@code
 *       macros/base/base_create_snowplow_sessions_lifecycle_manifest.sql}, {@code
 *       base_create_snowplow_events_this_run.sql} ({@code a.collector_tstamp <= start_tstamp + 3
 *       days}), {@code base_quarantine_sessions.sql}.
 *   <li><b>[LATE]</b> A late event (dvce_sent_tstamp <= dvce_created_tstamp + days_late_allowed)
 *       belongs to its session like any other: the models sessionize by domain_sessionid, not by
 *       arrival. utils {@code base_create_snowplow_events_this_run.sql}; docs
 *       https://docs.snowplow.io/docs/modeling-your-data/modeling-your-data-with-dbt/package-mechanics/late-arriving-data/
 *   <li><b>[USER]</b> A session's {@code domain_userid} is the lifecycle manifest's {@code
 *       user_identifier}, {@code max(domain_userid)} over the session's events ("Edge case 1:
 *       Arbitary selection"), written on every event of the session; its {@code
 *       original_domain_userid} and {@code user_id} are those of its first page event; {@code
 *       stitched_user_id} is the last non-null {@code user_id} (by collector_tstamp) of the {@code
 *       domain_userid}, else the {@code domain_userid}. utils {@code
 *       base_create_snowplow_sessions_lifecycle_manifest.sql}; web {@code
 *       models/user_mapping/snowplow_web_user_mapping.sql}, {@code macros/stitch_user_identifiers.sql}.
 * </ul>
 *
 * <p>The lines are as enrich writes them from a tracker with a right clock that sends at once:
 * {@code derived_tstamp} = {@code dvce_created_tstamp} = t, {@code dvce_sent_tstamp} = {@code
 * collector_tstamp} = t + 300 ms (so enrich's {@code derived_tstamp = collector - (sent - created)}
 * is t), unless a scenario says otherwise. B = 2025-01-06T09:00:00Z, a multiple of the 10-s
 * heartbeat, so a ping at B + 10k + r s is in bucket k. The job reads a page_view at its {@code
 * derived_tstamp} and a page_ping at its {@code dvce_created_tstamp}; with both equal to t its times
 * are Snowplow's. The job's sessions are gap sessions ({@code --sessions gap}, the default): for the
 * scenarios here each domain_sessionid is one run of one user's events with gaps below 30 min, so
 * they are the same sessions. The scenarios that need client sessions (one session per
 * domain_sessionid whatever its user ids) are at the end of this file.
 */
@Tag("slow") // twelve bounded runs, about 80 s: mvn verify -Pslow (.ci/run)
class SnowplowScenariosITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static final Instant B = Instant.parse("2025-01-06T09:00:00Z");

    private static final String KEY = "sp-scenarios-key";
    private static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    private static final Map<String, Run> RUNS = new ConcurrentHashMap<>();

    static EmbeddedKafka kafka;

    @TempDir
    static Path dir;

    @BeforeAll
    static void shareKafka() {
        kafka = SharedKafka.get();
    }

    // ---- Duplicate event ids ----

    /**
     * Duplicate event ids: tracker retries of a page_view and of a page_ping (same event_id and
     * payload, collected again 40 s later).
     *
     * <p>Events (session s-dup, domain_userid d-dup, no user_id): page_view e-v1 of pv-a at B; pings
     * of pv-a e-p1 at B+5, e-p2 at B+15, e-p3 at B+25; then e-p1 again (collector B+40.3, created
     * B+5) and e-v1 again (collector B+41.3, derived B).
     *
     * <p>Snowplow: [DEDUP] keeps the first copy of e-p1 and e-v1, leaving 4 events; [S-EVENTS]
     * total_events 4; [S-VIEWS] page_views 1 (pv-a); [PV-ENGAGED] buckets 0, 1, 2: 10 x (3 - 1) + 5 =
     * 25 s for pv-a; [S-ENGAGED] 10 x (3 - 1) + 5 x 1 = 25 s; [S-TIME] B to B+25. The job: the same,
     * the two copies counted as {@code duplicates} (not {@code duplicate_views}: the event id catches
     * the page view first).
     */
    @Test
    void duplicateEventIds() throws Exception {
        Run run = run("dup", SnowplowScenariosITCase::duplicateEventIdsLines);
        String user = pseudonym("d-dup");
        assertSession(run.session(user, B), B, B.plusSeconds(25), 4, 1, 25_000);
        assertThat(run.views).containsOnlyKeys("pv-a");
        assertView(run.views.get("pv-a"), B, B.plusSeconds(25), 25_000);
        assertThat(run.counter(PipelineCounters.DUPLICATES)).isEqualTo(2);
        assertThat(run.counter(PipelineCounters.DUPLICATE_VIEWS)).isZero();
        assertThat(run.deadLetters).isEmpty();
    }

    static List<SnowplowLines> duplicateEventIdsLines() {
        String s = "s-dup";
        String d = "d-dup";
        return List.of(
                view("e-v1", B, s, d, null, "pv-a"),
                ping("e-p1", B.plusSeconds(5), s, d, null, "pv-a"),
                ping("e-p2", B.plusSeconds(15), s, d, null, "pv-a"),
                ping("e-p3", B.plusSeconds(25), s, d, null, "pv-a"),
                collectedAt(ping("e-p1", B.plusSeconds(5), s, d, null, "pv-a"), B.plusMillis(40_300)),
                collectedAt(view("e-v1", B, s, d, null, "pv-a"), B.plusMillis(41_300)));
    }

    /**
     * Which copy of a duplicate event id counts: two copies of ping e-k4 of pv-k that differ (a
     * "synthetic" duplicate), copy A created B+55 and collected B+55.3 (first on the topic), copy B
     * created B+27 and collected B+60.3 (sent then: derived B+27).
     *
     * <p>Events (s-keep, d-keep): page_view e-kv of pv-k at B; pings e-k1 B+5, e-k2 B+15, e-k3 B+25;
     * e-k4 copy A; e-k4 copy B.
     *
     * <p>Snowplow: [DEDUP] keeps copy A (earliest collector_tstamp): 5 events; buckets 0, 1, 2, 5:
     * [PV-ENGAGED] 10 x (4 - 1) + 5 = 35 s; [S-ENGAGED] 35 s; [S-VIEWS] 1; [S-TIME] end B+55.
     *
     * <p>The job keeps the copy it applies first, in event-time order: copy B (B+27, bucket 2,
     * already counted): 5 events, 25 s, end B+27. A known difference (README, "Snowplow's numbers"):
     * the job carries no collector time; a tracker's retry repeats the event's times, so real
     * duplicates count the same in both.
     */
    @Test
    void duplicateEventIdWithDifferentTimesTheJobKeepsTheEarliestEventTime() throws Exception {
        Run run = run("keep", SnowplowScenariosITCase::duplicateCopiesLines);
        String user = pseudonym("d-keep");
        assertSession(run.session(user, B), B, B.plusSeconds(27), 5, 1, 25_000);
        assertView(run.views.get("pv-k"), B, B.plusSeconds(27), 25_000);
        assertThat(run.counter(PipelineCounters.DUPLICATES)).isEqualTo(1);
    }

    static List<SnowplowLines> duplicateCopiesLines() {
        String s = "s-keep";
        String d = "d-keep";
        return List.of(
                view("e-kv", B, s, d, null, "pv-k"),
                ping("e-k1", B.plusSeconds(5), s, d, null, "pv-k"),
                ping("e-k2", B.plusSeconds(15), s, d, null, "pv-k"),
                ping("e-k3", B.plusSeconds(25), s, d, null, "pv-k"),
                ping("e-k4", B.plusSeconds(55), s, d, null, "pv-k"),
                collectedAt(ping("e-k4", B.plusSeconds(27), s, d, null, "pv-k"), B.plusMillis(60_300)));
    }

    // ---- A page view re-sent with its id ----

    /**
     * A page view re-sent with its id under another event id (a second page_view event with the same
     * web_page id, e.g. a tracker firing trackPageView twice without a new page context).
     *
     * <p>Events (s-resent, d-resent): page_view e-r1 of pv-r at B; pings e-r2 B+5, e-r3 B+15;
     * page_view e-r4 of pv-r at B+20; ping e-r5 B+25.
     *
     * <p>Snowplow: no event id repeats ([DEDUP] keeps 5); [PV-DEDUP] one row for pv-r, the page_view
     * at B (earliest derived_tstamp); [PV-ENGAGED] buckets 0, 1, 2: 25 s; [S-VIEWS] 1; [S-ENGAGED]
     * 25 s; [S-TIME] B to B+25. [S-EVENTS] total_events is 5 (below, {@link
     * #resentPageViewCountsInTotalEvents}); the job counts the re-sent page view as an event but no
     * view ({@code duplicate_views} 1).
     */
    @Test
    void resentPageView() throws Exception {
        Run run = run("resent", SnowplowScenariosITCase::resentPageViewLines);
        String user = pseudonym("d-resent");
        JsonNode session = run.session(user, B);
        assertThat(session.get("views").asInt()).isEqualTo(1);
        assertThat(session.get("engaged_ms").asLong()).isEqualTo(25_000);
        assertThat(Instant.parse(session.get("start").asText())).isEqualTo(B);
        assertThat(Instant.parse(session.get("end").asText())).isEqualTo(B.plusSeconds(25));
        assertThat(run.views).containsOnlyKeys("pv-r");
        assertView(run.views.get("pv-r"), B, B.plusSeconds(25), 25_000);
        assertThat(run.counter(PipelineCounters.DUPLICATE_VIEWS)).isEqualTo(1);
        assertThat(run.deadLetters).isEmpty();
    }

    /**
     * {@link #resentPageView}'s session, [S-EVENTS]: total_events = count(*) of the de-duplicated
     * events = 5 (the re-sent page_view has its own event_id, so it is an event of the session; only
     * the page-view table collapses it, [PV-DEDUP]).
     */
    @Test
    void resentPageViewCountsInTotalEvents() throws Exception {
        Run run = run("resent", SnowplowScenariosITCase::resentPageViewLines);
        assertSession(run.session(pseudonym("d-resent"), B), B, B.plusSeconds(25), 5, 1, 25_000);
    }

    static List<SnowplowLines> resentPageViewLines() {
        String s = "s-resent";
        String d = "d-resent";
        return List.of(
                view("e-r1", B, s, d, null, "pv-r"),
                ping("e-r2", B.plusSeconds(5), s, d, null, "pv-r"),
                ping("e-r3", B.plusSeconds(15), s, d, null, "pv-r"),
                view("e-r4", B.plusSeconds(20), s, d, null, "pv-r"),
                ping("e-r5", B.plusSeconds(25), s, d, null, "pv-r"));
    }

    // ---- Stray and lone pings ----

    /**
     * A lone ping (a page view with one ping) and stray pings (pings of a page view id that has no
     * page_view event, e.g. its page_view was lost or blocked).
     *
     * <p>Events (s-stray, d-stray): page_view e-l1 of pv-l at B; ping e-l2 of pv-l at B+5; pings e-x1
     * at B+40 and e-x2 at B+50 of pv-x (no page_view of pv-x), same page path.
     *
     * <p>Snowplow: [PV-ENGAGED] pv-l has one bucket: 10 x (1 - 1) + 5 = 5 s; [S-EVENTS] 4; [S-VIEWS]
     * distinct ids over page_view and page_ping = {pv-l, pv-x} = 2; [S-ENGAGED] (id, bucket) pairs
     * (pv-l,0), (pv-x,4), (pv-x,5) = 3, ids with pings 2: 10 x (3 - 2) + 5 x 2 = 20 s (pv-x's 15 s
     * count); [S-TIME] B to B+50. The job: the same session (the stray pings stand for a view of their
     * own, counted in views, 5 + 10 = 15 s). [PV-DEDUP]: Snowplow has a page-view row for pv-l only;
     * the job also writes pv-x's stand-in view (below, {@link #strayPingsTheJobWritesAStandInView}).
     */
    @Test
    void loneAndStrayPings() throws Exception {
        Run run = run("stray", SnowplowScenariosITCase::strayPingLines);
        String user = pseudonym("d-stray");
        assertSession(run.session(user, B), B, B.plusSeconds(50), 4, 2, 20_000);
        assertView(run.views.get("pv-l"), B, B.plusSeconds(5), 5_000);
        assertThat(run.deadLetters).isEmpty();
    }

    /**
     * What the job writes for {@link #loneAndStrayPings}'s stray pings: a page-view record of pv-x
     * (a stand-in view). Snowplow's page-view table has no row for it ([PV-DEDUP]: page_view events
     * only), though its session counts pv-x as a page view and its engaged time, as the job's: a
     * known difference (README, "Snowplow's numbers").
     */
    @Test
    void strayPingsTheJobWritesAStandInView() throws Exception {
        Run run = run("stray", SnowplowScenariosITCase::strayPingLines);
        assertThat(run.views).containsOnlyKeys("pv-l", "pv-x");
        assertView(run.views.get("pv-x"), B.plusSeconds(40), B.plusSeconds(50), 15_000);
    }

    static List<SnowplowLines> strayPingLines() {
        String s = "s-stray";
        String d = "d-stray";
        return List.of(
                view("e-l1", B, s, d, null, "pv-l"),
                ping("e-l2", B.plusSeconds(5), s, d, null, "pv-l"),
                ping("e-x1", B.plusSeconds(40), s, d, null, "pv-x"),
                ping("e-x2", B.plusSeconds(50), s, d, null, "pv-x"));
    }

    /**
     * A session of one lone stray ping: ping e-o1 of pv-o at B+5 (s-only, d-only), no page_view.
     *
     * <p>Snowplow: [S-EVENTS] 1; [S-VIEWS] 1 (pv-o, from the ping); [S-ENGAGED] 10 x (1 - 1) + 5 x 1 =
     * 5 s; [PV-DEDUP] no page-view row. [S-TIME]: its first page event is a page_ping, so start_tstamp
     * = B+5 - 5 s = B, end B+5; the job starts it at the ping, B+5 (a known difference: README,
     * "Snowplow's numbers").
     */
    @Test
    void loneStrayPingIsASession() throws Exception {
        Run run = run("only", SnowplowScenariosITCase::loneStrayPingLines);
        JsonNode session = run.session(pseudonym("d-only"), B.plusSeconds(5));
        assertThat(session.get("event_count").asInt()).isEqualTo(1);
        assertThat(session.get("views").asInt()).isEqualTo(1);
        assertThat(session.get("engaged_ms").asLong()).isEqualTo(5_000);
        assertThat(Instant.parse(session.get("end").asText())).isEqualTo(B.plusSeconds(5));
        assertThat(run.deadLetters).isEmpty();
    }

    static List<SnowplowLines> loneStrayPingLines() {
        return List.of(ping("e-o1", B.plusSeconds(5), "s-only", "d-only", null, "pv-o"));
    }

    // ---- A late event ----

    /**
     * A late event: a ping sent late (the device was offline), on the topic after later events.
     *
     * <p>Events (s-late, d-late), in topic order: page_view e-t1 of pv-t at B; pings of pv-t e-t2
     * B+5, e-t3 B+15; page_view e-u1 of pv-u at B+60; pings of pv-u e-u2 B+65, e-u3 B+75; then ping
     * e-t4 of pv-t created B+25, sent and collected B+180 (derived B+25).
     *
     * <p>Snowplow: [LATE] sent 155 s after creation (within days_late_allowed 3 d): e-t4 is an event
     * of s-late. [S-EVENTS] 7; [S-VIEWS] 2; [PV-ENGAGED] pv-t buckets 0, 1, 2: 25 s, pv-u buckets 6,
     * 7: 10 x (2 - 1) + 5 = 15 s; [S-ENGAGED] 10 x (5 - 2) + 5 x 2 = 40 s; [S-TIME] B to B+75. The
     * job: e-t4 is 50 s behind the latest event time, so at most 20 s behind the watermark (30 s
     * out-of-orderness), within the 5-min allowed lateness, whenever the watermark moved: the same
     * values. (An event late by more than the allowed lateness is a TOO_LATE dead letter in the job,
     * while Snowplow takes it up to 3 days late: not tested here, a bounded run's watermark depends on
     * when it is emitted.)
     */
    @Test
    void lateEvent() throws Exception {
        Run run = run("late", SnowplowScenariosITCase::lateEventLines);
        String user = pseudonym("d-late");
        assertSession(run.session(user, B), B, B.plusSeconds(75), 7, 2, 40_000);
        assertView(run.views.get("pv-t"), B, B.plusSeconds(25), 25_000);
        assertView(run.views.get("pv-u"), B.plusSeconds(60), B.plusSeconds(75), 15_000);
        assertThat(run.deadLetters).isEmpty();
    }

    static List<SnowplowLines> lateEventLines() {
        String s = "s-late";
        String d = "d-late";
        return List.of(
                view("e-t1", B, s, d, null, "pv-t"),
                ping("e-t2", B.plusSeconds(5), s, d, null, "pv-t"),
                ping("e-t3", B.plusSeconds(15), s, d, null, "pv-t"),
                view("e-u1", B.plusSeconds(60), s, d, null, "pv-u"),
                ping("e-u2", B.plusSeconds(65), s, d, null, "pv-u"),
                ping("e-u3", B.plusSeconds(75), s, d, null, "pv-u"),
                collectedAt(ping("e-t4", B.plusSeconds(25), s, d, null, "pv-t"), B.plusSeconds(180)));
    }

    // ---- A session over two days ----

    /**
     * A session over midnight (a reader active across it): M = 2025-01-06T23:59:30Z; page_view e-m0
     * of pv-m at M; pings e-m1..e-m5 at M+5, M+15, M+25, M+35 (00:00:05 on the 7th), M+45 (s-night,
     * d-night).
     *
     * <p>Snowplow: [SESSION] one domain_sessionid, no split at midnight; [S-EVENTS] 6; [S-VIEWS] 1;
     * [PV-ENGAGED] buckets of M (a multiple of 10 s) +0, +1, +2, +3, +4: 10 x (5 - 1) + 5 = 45 s;
     * [S-ENGAGED] 45 s; [S-TIME] M to M+45. The job (DESIGN.md section 5: sessions do not split at
     * midnight): the same. A session whose domain_sessionid spans days with gaps of 30 min or more
     * needs client sessions (below).
     */
    @Test
    void sessionOverMidnight() throws Exception {
        Run run = run("night", SnowplowScenariosITCase::overMidnightLines);
        Instant m = Instant.parse("2025-01-06T23:59:30Z");
        assertSession(run.session(pseudonym("d-night"), m), m, m.plusSeconds(45), 6, 1, 45_000);
        assertThat(run.sessions).hasSize(1);
        assertView(run.views.get("pv-m"), m, m.plusSeconds(45), 45_000);
        assertThat(run.deadLetters).isEmpty();
    }

    static List<SnowplowLines> overMidnightLines() {
        Instant m = Instant.parse("2025-01-06T23:59:30Z");
        String s = "s-night";
        String d = "d-night";
        List<SnowplowLines> lines = new ArrayList<>();
        lines.add(view("e-m0", m, s, d, null, "pv-m"));
        for (int i = 1; i <= 5; i++) {
            lines.add(ping("e-m" + i, m.plusSeconds(10L * i - 5), s, d, null, "pv-m"));
        }
        return lines;
    }

    // ---- A NULL user id ----

    /**
     * NULL user ids: events of s-anon with no user_id (the visitor never logged in), domain_userid
     * d-anon; and one event with no user id of any kind and no domain_sessionid.
     *
     * <p>Events: page_view e-n1 of pv-n at B; pings e-n2 B+5, e-n3 B+15 (user_id empty); a page_view
     * e-n9 at B+20 with user_id, domain_userid, network_userid and domain_sessionid all empty.
     *
     * <p>Snowplow: [USER] user_id NULL, domain_userid d-anon, stitched_user_id d-anon (no user_id to
     * map it to); [S-EVENTS] 3; [S-VIEWS] 1; [PV-ENGAGED] buckets 0, 1: 15 s; [S-ENGAGED] 15 s;
     * [S-TIME] B to B+15. The event without ids has no session identifier: the lifecycle manifest keeps
     * {@code session_identifier is not null} only (utils {@code
     * base_create_snowplow_sessions_lifecycle_manifest.sql}), so it is in no table. The job: the user
     * is the pseudonym of domain_userid (the first set of user_id, domain_userid, network_userid); the
     * same values; the event without ids is a MISSING_FIELD dead letter (in no session either).
     */
    @Test
    void nullUserId() throws Exception {
        Run run = run("anon", SnowplowScenariosITCase::nullUserIdLines);
        String user = pseudonym("d-anon");
        assertSession(run.session(user, B), B, B.plusSeconds(15), 3, 1, 15_000);
        assertThat(run.sessions).hasSize(1);
        assertThat(run.session(user, B).get("user").asText()).isEqualTo(user);
        assertView(run.views.get("pv-n"), B, B.plusSeconds(15), 15_000);
        assertThat(run.views.get("pv-n").get("user").asText()).isEqualTo(user);
        assertThat(run.deadLetters).singleElement().satisfies(dead -> {
            assertThat(dead.get("reason").asText()).isEqualTo(DeadLetterReason.MISSING_FIELD.name());
            assertThat(dead.get("detail").asText()).isEqualTo("none of user_id, domain_userid, network_userid is set");
        });
    }

    static List<SnowplowLines> nullUserIdLines() {
        String s = "s-anon";
        String d = "d-anon";
        return List.of(
                view("e-n1", B, s, d, null, "pv-n"),
                ping("e-n2", B.plusSeconds(5), s, d, null, "pv-n"),
                ping("e-n3", B.plusSeconds(15), s, d, null, "pv-n"),
                view("e-n9", B.plusSeconds(20), null, null, null, "pv-n9"));
    }

    // ---- Scenarios of one domain_sessionid with several user ids or days: gap sessions (the default) ----

    /**
     * A rotating domain_userid in one domain_sessionid (e.g. a first-party cookie reset by the
     * browser mid-visit), as the job's gap sessions (the default) see it: two users, so two sessions.
     *
     * <p>Events (s-rot): page_view e-o1 of pv-o1 at B, pings e-o2 B+5, e-o3 B+15, domain_userid
     * d-rot-a; page_view e-o4 of pv-o2 at B+60, ping e-o5 B+65, domain_userid d-rot-b.
     *
     * <p>Snowplow ([SESSION], one domain_sessionid): one session of 5 events, 2 page views, 15 + 5 =
     * 20 s, B to B+65, domain_userid max(d-rot-a, d-rot-b) = d-rot-b ([USER]), original_domain_userid
     * d-rot-a: the client-session twin below. The job in gap mode: d-rot-a's session of 3 events, 1
     * view, [PV-ENGAGED] buckets 0, 1: 15 s, B to B+15; d-rot-b's of 2 events, 1 view, 5 s, B+60 to
     * B+65.
     */
    @Test
    void rotatingDomainUseridGapSessionsSplit() throws Exception {
        Run run = run("rot", SnowplowScenariosITCase::rotatingDomainUseridLines);
        assertThat(run.sessions).hasSize(2);
        assertSession(run.session(pseudonym("d-rot-a"), B), B, B.plusSeconds(15), 3, 1, 15_000);
        assertSession(
                run.session(pseudonym("d-rot-b"), B.plusSeconds(60)),
                B.plusSeconds(60),
                B.plusSeconds(65),
                2,
                1,
                5_000);
        assertView(run.views.get("pv-o1"), B, B.plusSeconds(15), 15_000);
        assertView(run.views.get("pv-o2"), B.plusSeconds(60), B.plusSeconds(65), 5_000);
    }

    static List<SnowplowLines> rotatingDomainUseridLines() {
        String s = "s-rot";
        return List.of(
                view("e-o1", B, s, "d-rot-a", null, "pv-o1"),
                ping("e-o2", B.plusSeconds(5), s, "d-rot-a", null, "pv-o1"),
                ping("e-o3", B.plusSeconds(15), s, "d-rot-a", null, "pv-o1"),
                view("e-o4", B.plusSeconds(60), s, "d-rot-b", null, "pv-o2"),
                ping("e-o5", B.plusSeconds(65), s, "d-rot-b", null, "pv-o2"));
    }

    /**
     * A login mid-session, as the job's gap sessions (the default) see it: the user is user_id once it is
     * set, so the visit is two sessions of two users.
     *
     * <p>Events (s-login, domain_userid d-login): page_view e-g1 of pv-g1 at B, ping e-g2 B+5, no
     * user_id; the visitor logs in: page_view e-g3 of pv-g2 at B+60, pings e-g4 B+65, e-g5 B+75,
     * user_id u-42.
     *
     * <p>Snowplow ([SESSION]): one session of 5 events, 2 page views, 5 + 15 = 20 s, B to B+75,
     * user_id NULL (its first page event's), domain_userid d-login, stitched_user_id u-42 ([USER]: the
     * last user_id of d-login): the client-session twin below. The job in gap mode: d-login's session
     * of 2 events, 1 view, 5 s, B to B+5; u-42's of 3 events, 1 view, buckets 6, 7: 15 s, B+60 to
     * B+75.
     */
    @Test
    void loginMidSessionGapSessionsSplit() throws Exception {
        Run run = run("login", SnowplowScenariosITCase::loginMidSessionLines);
        assertThat(run.sessions).hasSize(2);
        assertSession(run.session(pseudonym("d-login"), B), B, B.plusSeconds(5), 2, 1, 5_000);
        assertSession(
                run.session(pseudonym("u-42"), B.plusSeconds(60)), B.plusSeconds(60), B.plusSeconds(75), 3, 1, 15_000);
        assertView(run.views.get("pv-g1"), B, B.plusSeconds(5), 5_000);
        assertView(run.views.get("pv-g2"), B.plusSeconds(60), B.plusSeconds(75), 15_000);
    }

    static List<SnowplowLines> loginMidSessionLines() {
        String s = "s-login";
        String d = "d-login";
        return List.of(
                view("e-g1", B, s, d, null, "pv-g1"),
                ping("e-g2", B.plusSeconds(5), s, d, null, "pv-g1"),
                view("e-g3", B.plusSeconds(60), s, d, "u-42", "pv-g2"),
                ping("e-g4", B.plusSeconds(65), s, d, "u-42", "pv-g2"),
                ping("e-g5", B.plusSeconds(75), s, d, "u-42", "pv-g2"));
    }

    /**
     * One domain_sessionid over days with long pauses (a tracker whose session cookie outlives 30 min
     * of inactivity, or a server-side tracker reusing its session id), as the job's gap sessions see
     * it today: three sessions.
     *
     * <p>Events (s-days, d-days): page_view e-d1 of pv-d1 at B (Monday), pings e-d2 B+5, e-d3 B+15;
     * page_view e-d4 of pv-d2 at B+1 d (Tuesday), ping e-d5 B+1 d+5 s; page_view e-d6 of pv-d3 at B+3
     * d+1 h, ping e-d7 B+3 d+1 h+5 s.
     *
     * <p>Snowplow ([SESSION]): one session starting at the first collector_tstamp, B+0.3 s; e-d6 and
     * e-d7 are collected after B+0.3 s + 3 d and left out; 5 events, 2 page views, 15 + 5 = 20 s, B to
     * B+1 d+5 s: the client-session twin below. The job in gap mode (gaps of 30 min or more): three
     * sessions, 3 events / 15 s, 2 events / 5 s, 2 events / 5 s.
     */
    @Test
    void sessionOverDaysGapSessionsSplit() throws Exception {
        Run run = run("days", SnowplowScenariosITCase::sessionOverDaysLines);
        String user = pseudonym("d-days");
        Instant day2 = B.plus(Duration.ofDays(1));
        Instant day4 = B.plus(Duration.ofDays(3)).plus(Duration.ofHours(1));
        assertThat(run.sessions).hasSize(3);
        assertSession(run.session(user, B), B, B.plusSeconds(15), 3, 1, 15_000);
        assertSession(run.session(user, day2), day2, day2.plusSeconds(5), 2, 1, 5_000);
        assertSession(run.session(user, day4), day4, day4.plusSeconds(5), 2, 1, 5_000);
        assertThat(run.deadLetters).isEmpty();
    }

    static List<SnowplowLines> sessionOverDaysLines() {
        String s = "s-days";
        String d = "d-days";
        Instant day2 = B.plus(Duration.ofDays(1));
        Instant day4 = B.plus(Duration.ofDays(3)).plus(Duration.ofHours(1));
        return List.of(
                view("e-d1", B, s, d, null, "pv-d1"),
                ping("e-d2", B.plusSeconds(5), s, d, null, "pv-d1"),
                ping("e-d3", B.plusSeconds(15), s, d, null, "pv-d1"),
                view("e-d4", day2, s, d, null, "pv-d2"),
                ping("e-d5", day2.plusSeconds(5), s, d, null, "pv-d2"),
                view("e-d6", day4, s, d, null, "pv-d3"),
                ping("e-d7", day4.plusSeconds(5), s, d, null, "pv-d3"));
    }

    // ---- The same scenarios with client sessions ----

    /**
     * Client sessions ({@code --sessions client}): the events of one domain_sessionid are one session
     * of the identity of its first event in event time; it reopens under the same session_id when an
     * event of it comes within its start + {@code --max-session-duration} (3 d, Snowplow's {@code
     * snowplow__max_session_days}), and later events are {@code BEYOND_MAX_SESSION} dead letters.
     */
    static void clientSessions(JobOptions o) {
        o.sessions = SessionMode.CLIENT;
        o.maxSessionDuration = Duration.ofDays(3);
    }

    /**
     * {@link #rotatingDomainUseridGapSessionsSplit}'s events, one domain_sessionid s-rot.
     *
     * <p>Snowplow: [SESSION] one session; [S-EVENTS] 5; [S-VIEWS] 2 (pv-o1, pv-o2); [PV-ENGAGED] pv-o1
     * buckets 0, 1: 15 s, pv-o2 bucket 6: 5 s; [S-ENGAGED] 10 x (3 - 2) + 5 x 2 = 20 s; [S-TIME] B to
     * B+65. [USER]: the session's domain_userid is max(d-rot-a, d-rot-b) = d-rot-b (every row of the
     * session and its page views carry it), its original_domain_userid d-rot-a. Client sessions: the
     * session of the first event's identity, d-rot-a, i.e. Snowplow's original_domain_userid, not its
     * domain_userid (a difference to report, not asserted here).
     */
    @Test
    void rotatingDomainUseridClientSession() throws Exception {
        Run run = run(
                "rot-client",
                SnowplowScenariosITCase::rotatingDomainUseridLines,
                SnowplowScenariosITCase::clientSessions);
        assertThat(run.sessions).hasSize(1);
        JsonNode session = last(run.sessions.values());
        assertSession(session, B, B.plusSeconds(65), 5, 2, 20_000);
        assertThat(session.get("user").asText()).isEqualTo(pseudonym("d-rot-a"));
        assertView(run.views.get("pv-o1"), B, B.plusSeconds(15), 15_000);
        assertView(run.views.get("pv-o2"), B.plusSeconds(60), B.plusSeconds(65), 5_000);
        assertThat(run.views.get("pv-o2").get("user").asText()).isEqualTo(pseudonym("d-rot-a"));
        assertThat(run.deadLetters).isEmpty();
    }

    /**
     * {@link #loginMidSessionGapSessionsSplit}'s events, one domain_sessionid s-login.
     *
     * <p>Snowplow: [SESSION] one session; [S-EVENTS] 5; [S-VIEWS] 2; [PV-ENGAGED] pv-g1 bucket 0: 5
     * s, pv-g2 buckets 6, 7: 15 s; [S-ENGAGED] 10 x (3 - 2) + 5 x 2 = 20 s; [S-TIME] B to B+75.
     * [USER]: user_id NULL (the first page event's), domain_userid d-login, stitched_user_id u-42 (the
     * user mapping's last user_id of d-login). Client sessions: the session of the first event's
     * identity, d-login (Snowplow's domain_userid; its stitched_user_id would be u-42).
     */
    @Test
    void loginMidSessionClientSession() throws Exception {
        Run run = run(
                "login-client", SnowplowScenariosITCase::loginMidSessionLines, SnowplowScenariosITCase::clientSessions);
        assertThat(run.sessions).hasSize(1);
        JsonNode session = last(run.sessions.values());
        assertSession(session, B, B.plusSeconds(75), 5, 2, 20_000);
        assertThat(session.get("user").asText()).isEqualTo(pseudonym("d-login"));
        assertView(run.views.get("pv-g1"), B, B.plusSeconds(5), 5_000);
        assertView(run.views.get("pv-g2"), B.plusSeconds(60), B.plusSeconds(75), 15_000);
        assertThat(run.deadLetters).isEmpty();
    }

    /**
     * {@link #sessionOverDaysGapSessionsSplit}'s events, one domain_sessionid s-days.
     *
     * <p>Snowplow: [SESSION] the session starts at min(collector_tstamp) = B+0.3 s; e-d6 and e-d7
     * (collected B+3 d+1 h+0.3 s and +5.3 s) are after B+0.3 s + 3 d: left out of every table (and the
     * session quarantined). [S-EVENTS] 5; [S-VIEWS] 2 (pv-d1, pv-d2); [PV-ENGAGED] pv-d1 buckets 0, 1:
     * 15 s, pv-d2 one bucket: 5 s; [S-ENGAGED] 10 x (3 - 2) + 5 x 2 = 20 s; [S-TIME] B to B+1 d+5 s.
     * Client sessions with --max-session-duration 3 d: closed after 30 min, reopened by e-d4 under the
     * same session_id (before B + 3 d), e-d6 and e-d7 more than 3 d after B are BEYOND_MAX_SESSION dead
     * letters. Both keep an event exactly 3 d after the start; Snowplow measures collector_tstamp, the
     * job event time (the same here: a tracker that sends at once).
     */
    @Test
    void sessionOverDaysClientSession() throws Exception {
        Run run = run(
                "days-client", SnowplowScenariosITCase::sessionOverDaysLines, SnowplowScenariosITCase::clientSessions);
        Instant day2 = B.plus(Duration.ofDays(1));
        assertThat(run.sessions).hasSize(1);
        JsonNode session = last(run.sessions.values());
        assertSession(session, B, day2.plusSeconds(5), 5, 2, 20_000);
        assertThat(session.get("user").asText()).isEqualTo(pseudonym("d-days"));
        assertThat(run.views).containsOnlyKeys("pv-d1", "pv-d2");
        assertView(run.views.get("pv-d1"), B, B.plusSeconds(15), 15_000);
        assertView(run.views.get("pv-d2"), day2, day2.plusSeconds(5), 5_000);
        assertThat(run.deadLetters)
                .hasSize(2)
                .allSatisfy(dead -> assertThat(dead.get("reason").asText()).isEqualTo("BEYOND_MAX_SESSION"));
    }

    // ---- Helpers ----

    /** A page_view of {@code pageViewId} at {@code t} (see the class comment for its timestamps). */
    static SnowplowLines view(
            String eventId, Instant t, String session, String duid, String userId, String pageViewId) {
        return line("page_view", eventId, t, session, duid, userId, pageViewId);
    }

    /** A page_ping of {@code pageViewId} created at {@code t}. */
    static SnowplowLines ping(
            String eventId, Instant t, String session, String duid, String userId, String pageViewId) {
        return line("page_ping", eventId, t, session, duid, userId, pageViewId);
    }

    static SnowplowLines line(
            String event, String eventId, Instant t, String session, String duid, String userId, String pageViewId) {
        SnowplowLines l = SnowplowLines.line()
                .set("app_id", "news")
                .set("platform", "web")
                .set("event", event)
                .set("event_id", eventId)
                .set("dvce_created_tstamp", t)
                .set("derived_tstamp", t)
                .set("user_ipaddress", "203.0.113.9")
                .set("page_url", "https://news.example/news/s")
                .set("page_urlpath", "/news/s")
                .set("useragent", FIREFOX)
                .webPage(pageViewId);
        if (session != null) {
            l.set("domain_sessionid", session);
        }
        if (duid != null) {
            l.set("domain_userid", duid);
        }
        if (userId != null) {
            l.set("user_id", userId);
        }
        return collectedAt(l, t.plusMillis(300));
    }

    /** {@code l} sent and collected at {@code at} (its derived_tstamp stays its creation time). */
    static SnowplowLines collectedAt(SnowplowLines l, Instant at) {
        return l.set("dvce_sent_tstamp", at).set("collector_tstamp", at);
    }

    static String pseudonym(String raw) {
        return new Pseudonymizer(KEY.getBytes(StandardCharsets.UTF_8)).pseudonym(raw);
    }

    /** One bounded run of a scenario's lines and what it wrote, the latest record per session and per view. */
    record Run(
            JobExecutionResult result,
            Map<String, JsonNode> sessions,
            Map<String, JsonNode> views,
            List<JsonNode> deadLetters) {
        long counter(String name) {
            Object v = result.getAllAccumulatorResults().get(name);
            return v == null ? 0 : ((Number) v).longValue();
        }

        /** The latest record of the session of {@code user} that started at {@code start}. */
        JsonNode session(String user, Instant start) {
            JsonNode s = sessions.get(Hashes.sessionId(user, start.toEpochMilli()));
            assertThat(s).as("session of %s at %s in %s", user, start, sessions).isNotNull();
            return s;
        }
    }

    /** Runs the lines of a scenario once per test class (the disabled twins reuse it), on topics of its own. */
    static Run run(String name, Supplier<List<SnowplowLines>> lines) throws Exception {
        return run(name, lines, o -> {});
    }

    /** As {@link #run(String, Supplier)} with options set by {@code configure} (e.g. client sessions). */
    static Run run(String name, Supplier<List<SnowplowLines>> lines, Consumer<JobOptions> configure) throws Exception {
        Run cached = RUNS.get(name);
        if (cached != null) {
            return cached;
        }
        String prefix = SharedKafka.prefix(SnowplowScenariosITCase.class, name);
        JobOptions options = TestJobs.boundedOptions(kafka, dir.resolve(name), KEY + "\n", prefix);
        options.snowplow = true;
        options.snowplowTopic = prefix + "snowplow-enriched";
        configure.accept(options);
        List<Raw> in = new ArrayList<>();
        for (SnowplowLines line : lines.get()) {
            // one key: one partition, so the topic order is the order written here
            in.add(new Raw(options.snowplowTopic, "203.0.113.9", line.bytes()));
        }
        KafkaFixtures.produce(kafka.bootstrapServers(), in);
        Configuration noRestarts = new Configuration();
        noRestarts.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        JobExecutionResult result = TestJobs.run(options, noRestarts);
        Path out = dir.resolve(name + "-out");
        OutputFiles.write(options, out, 0, 0, 0);
        Run run = new Run(
                result,
                OutputLines.latest(OutputLines.read(out.resolve(options.sessionsTopic + ".jsonl")), "session_id"),
                OutputLines.latest(OutputLines.read(out.resolve(options.pageViewsTopic + ".jsonl")), "view_id"),
                OutputLines.read(out.resolve(options.dlqTopic + ".jsonl")));
        RUNS.put(name, run);
        return run;
    }

    static JsonNode last(java.util.Collection<JsonNode> records) {
        assertThat(records).isNotEmpty();
        return new ArrayList<>(records).get(records.size() - 1);
    }

    /** A CLOSED session record with these values. */
    static void assertSession(JsonNode s, Instant start, Instant end, int events, int views, long engagedMs) {
        assertThat(s.get("status").asText()).isEqualTo("CLOSED");
        assertThat(Instant.parse(s.get("start").asText())).as("start").isEqualTo(start);
        assertThat(Instant.parse(s.get("end").asText())).as("end").isEqualTo(end);
        assertThat(s.get("event_count").asInt()).as("event_count").isEqualTo(events);
        assertThat(s.get("views").asInt()).as("views").isEqualTo(views);
        assertThat(s.get("engaged_ms").asLong()).as("engaged_ms").isEqualTo(engagedMs);
    }

    /** A CLOSED page-view record with these values. */
    static void assertView(JsonNode v, Instant start, Instant lastActivity, long engagedMs) {
        assertThat(v).isNotNull();
        assertThat(v.get("status").asText()).isEqualTo("CLOSED");
        assertThat(Instant.parse(v.get("start").asText())).as("start").isEqualTo(start);
        assertThat(Instant.parse(v.get("last_activity").asText()))
                .as("last_activity")
                .isEqualTo(lastActivity);
        assertThat(v.get("engaged_ms").asLong()).as("engaged_ms").isEqualTo(engagedMs);
    }
}
