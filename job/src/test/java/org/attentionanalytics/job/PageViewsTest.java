package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.DwellKind;
import org.attentionanalytics.avro.ErasureConfirmation;
import org.attentionanalytics.avro.ErasureRequest;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.PageView;
import org.attentionanalytics.avro.SessionStatus;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.common.Hashes;
import org.attentionanalytics.privacy.Pseudonymizer;
import org.attentionanalytics.testutil.GraphRun;
import org.attentionanalytics.testutil.OutputTopics;
import org.attentionanalytics.testutil.OutputTopics.Keyed;
import org.attentionanalytics.testutil.RawRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code attention-page-views} through the job's whole graph (bounded, in-memory sources through
 * the job's doors, MiniCluster, RocksDB; {@link GraphRun}), with the default {@code --heartbeat}
 * (10 s) and {@code --min-visit} (5 s), one run for both tests:
 *
 * <ul>
 *   <li>{@code alice}: VIEW of item a at T (view id {@code pv-1}), HEARTBEATs of {@code pv-1} at
 *       T+5 s, T+15 s, T+25 s (T is a multiple of 10 s: buckets T/10 s, +1, +2), VIEW of item b at
 *       T+60 s (no view id), then the session closes at the end of input.
 *   <li>{@code bob}: VIEW of a at T ({@code pv-e}), VIEW of b at T+60 s, an erasure requested at
 *       T+120 s (a bounded run applies it in event time), nothing after.
 * </ul>
 */
class PageViewsTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = GraphRun.miniCluster();

    @TempDir
    static Path dir;

    static final String KEY = "page-views-key";
    /** A whole minute in the past, a multiple of the 10 s heartbeat. */
    static final Instant T = Instant.parse("2025-01-06T09:00:00Z");

    static final Pseudonymizer PSEUDONYMS = new Pseudonymizer(KEY.getBytes(StandardCharsets.UTF_8));
    static final String ALICE = PSEUDONYMS.pseudonym("alice");
    static final String BOB = PSEUDONYMS.pseudonym("bob");

    static JobOptions options;
    static List<Keyed<PageView>> pageViews;
    static List<Keyed<SessionSummary>> sessions;
    static List<Keyed<ErasureConfirmation>> audit;

    static ClickEvent view(String id, String user, String item, String viewId, Instant at, String topic) {
        return ClickEvent.newBuilder()
                .setEventId(id)
                .setUserId(user)
                .setEventTime(at)
                .setEventType(EventType.VIEW)
                .setItemId(item)
                .setTopics(List.of(topic))
                .setViewId(viewId)
                .build();
    }

    static DwellEvent heartbeat(String id, String user, String item, String viewId, Instant at, int scrollPct) {
        return DwellEvent.newBuilder()
                .setEventId(id)
                .setUserId(user)
                .setEventTime(at)
                .setItemId(item)
                .setKind(DwellKind.HEARTBEAT)
                .setViewId(viewId)
                .setScrollDepthPct(scrollPct)
                .build();
    }

    @BeforeAll
    static void run() throws Exception {
        options = GraphRun.boundedOptions(dir, KEY);
        assertThat(options.heartbeat.toMillis()).isEqualTo(10_000);
        assertThat(options.minVisit.toMillis()).isEqualTo(5_000);
        assertThat(options.pageViewsTopic).isEqualTo("attention-page-views");
        String c = options.clickstreamTopic;
        String d = options.dwellTopic;
        try (GraphRun run = new GraphRun(options)) {
            run.add(
                            c,
                            RawRecord.of("alice", view("a1", "alice", "a", "pv-1", T, "news")),
                            RawRecord.of("alice", view("a5", "alice", "b", null, T.plusSeconds(60), "sports")),
                            RawRecord.of("bob", view("b1", "bob", "a", "pv-e", T, "news")),
                            RawRecord.of("bob", view("b2", "bob", "b", null, T.plusSeconds(60), "sports")))
                    .add(
                            d,
                            RawRecord.of("alice", heartbeat("a2", "alice", "a", "pv-1", T.plusSeconds(5), 20)),
                            RawRecord.of("alice", heartbeat("a3", "alice", "a", "pv-1", T.plusSeconds(15), 60)),
                            RawRecord.of("alice", heartbeat("a4", "alice", "a", "pv-1", T.plusSeconds(25), 40)))
                    .add(
                            options.privacyRequestsTopic,
                            RawRecord.of(
                                    "bob",
                                    ErasureRequest.newBuilder()
                                            .setRequestId("req-bob")
                                            .setUserId("bob")
                                            .setRequestedAt(T.plusSeconds(120))
                                            .build()));
            run.run();
            OutputTopics out = run.outputs();
            pageViews = out.decoded(options.pageViewsTopic, PageView.class);
            sessions = out.decoded(options.sessionsTopic, SessionSummary.class);
            audit = out.decoded(options.privacyAuditTopic, ErasureConfirmation.class);
        }
        pageViews.forEach(v -> System.out.println("PageViewsTest: " + v.key() + " " + v.value()));
    }

    static List<PageView> of(String user) {
        return pageViews.stream()
                .filter(k -> k.key().equals(user))
                .map(Keyed::value)
                .toList();
    }

    /**
     * pv-1: engaged 25 s = min-visit 5 s for its first heartbeat bucket + 2 x 10 s for the two
     * others, from T to its last heartbeat at T+25 s; written OPEN when b starts, CLOSED when the
     * session closes. b: no view id of its own (derived: 32 hex), nothing after its VIEW, written
     * once, CLOSED.
     */
    @Test
    void aViewIsWrittenWhenTheNextStartsAndAgainWhenItsSessionCloses() {
        String session = Hashes.sessionId(ALICE, T.toEpochMilli());
        PageView pv1 = PageView.newBuilder()
                .setViewId("pv-1")
                .setSessionId(session)
                .setUser(ALICE)
                .setItemId("a")
                .setTopics(List.of("news"))
                .setStart(T)
                .setLastActivity(T.plusSeconds(25))
                .setEngagedMs(25_000)
                .setAbsoluteMs(25_000)
                .setMaxScrollPct(60)
                .setStatus(SessionStatus.OPEN)
                .build();
        String bViewId = Hashes.viewId(ALICE, "b", T.plusSeconds(60).toEpochMilli());
        assertThat(bViewId).matches("[0-9a-f]{32}");
        PageView b = PageView.newBuilder()
                .setViewId(bViewId)
                .setSessionId(session)
                .setUser(ALICE)
                .setItemId("b")
                .setTopics(List.of("sports"))
                .setStart(T.plusSeconds(60))
                .setLastActivity(T.plusSeconds(60))
                .setEngagedMs(0)
                .setAbsoluteMs(0)
                .setMaxScrollPct(null)
                .setStatus(SessionStatus.CLOSED)
                .build();
        PageView pv1Closed =
                PageView.newBuilder(pv1).setStatus(SessionStatus.CLOSED).build();

        List<PageView> alice = of(ALICE);
        assertThat(alice).hasSize(3);
        assertThat(alice.get(0)).as("pv-1 when b starts").isEqualTo(pv1);
        assertThat(alice.subList(1, 3)).as("both at the session's close").containsExactlyInAnyOrder(pv1Closed, b);
        assertThat(sessions).filteredOn(k -> k.key().equals(ALICE)).last().satisfies(s -> {
            assertThat(s.value().getStatus()).isEqualTo(SessionStatus.CLOSED);
            assertThat(s.value().getSessionId()).isEqualTo(session);
        });
    }

    /**
     * Erasure drops the open session without a summary and its views without further records, as
     * DESIGN.md section 9 says: only the record written before the erasure (pv-e, OPEN, when b
     * started) remains, until the topic's retention removes it; b never gets one.
     */
    @Test
    void anErasureWritesNoFurtherPageViewsOfTheUser() {
        assertThat(audit).extracting(Keyed::key).containsExactly(BOB);
        assertThat(audit.get(0).value().getCleared()).contains("sessions");
        List<PageView> bob = of(BOB);
        assertThat(bob).hasSize(1);
        assertThat(bob.get(0).getViewId()).isEqualTo("pv-e");
        assertThat(bob.get(0).getStatus()).isEqualTo(SessionStatus.OPEN);
        assertThat(sessions)
                .filteredOn(k -> k.key().equals(BOB))
                .isNotEmpty()
                .allSatisfy(s -> assertThat(s.value().getStatus()).isEqualTo(SessionStatus.OPEN));
        assertThat(pageViews)
                .as("keyed by the pseudonym, which the record carries")
                .allSatisfy(k -> assertThat(k.value().getUser()).isEqualTo(k.key()));
    }
}
