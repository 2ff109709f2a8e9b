package org.attentionanalytics.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.attentionanalytics.testutil.Events.at;
import static org.attentionanalytics.testutil.Events.minutes;
import static org.attentionanalytics.testutil.Events.view;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.attentionanalytics.attention.AttentionSettings;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.io.DoorDecoder;
import org.attentionanalytics.io.DoorSettings;
import org.attentionanalytics.io.Doors;
import org.attentionanalytics.io.InputFormat;
import org.attentionanalytics.io.SnowplowDoor;
import org.attentionanalytics.testutil.SnowplowLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Robustness probes of {@code --sessions client}: the Snowplow door's {@code domain_sessionid},
 * {@link ClientSessionRouting} (operator harness, RocksDB) and the client sessions of {@link
 * SessionTracker} (through {@link UserActivityProcessor}). Cap 12 h, gap 30 min, lateness 5 min.
 *
 * <p>Each test asserts what README ("Client sessions") and DESIGN.md section 5 promise for an
 * input chosen to break it; {@code holds...} tests cover inputs the first version already handled.
 */
class ClientSessionsBreakTest {
    private static final long CAP = minutes(720);
    private static final long GAP = minutes(30);
    private static final long LATENESS = minutes(5);
    private static final Instant T = Instant.parse("2025-01-06T09:00:00Z");
    private static final long NOW = T.plusSeconds(3 * 3600).toEpochMilli();

    @TempDir
    Path dir;

    // ---------------------------------------------------------------- harness of the routing

    // ---------------------------------------------------------------- Snowplow door

    DoorDecoder door() throws Exception {
        Path key = dir.resolve("key");
        Files.writeString(key, "test-key\n");
        DoorDecoder d = Doors.snowplow(
                new DoorSettings(InputFormat.AVRO, 600_000, key.toString(), null, false), SnowplowDoor.USER_IDS);
        d.open();
        return d;
    }

    static SnowplowLines pageView(String eventId, String duid, String session, Instant at) {
        return SnowplowLines.line()
                .set("collector_tstamp", at.plusMillis(900))
                .set("dvce_created_tstamp", at)
                .set("derived_tstamp", at)
                .set("event", "page_view")
                .set("event_id", eventId)
                .set("domain_userid", duid)
                .set("domain_sessionid", session)
                .set("page_urlpath", "/news/a")
                .set("useragent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
                .webPage("pv-" + eventId);
    }

    static SourceRecord decode(DoorDecoder d, SnowplowLines line) {
        return d.decode("snowplow-enriched", 0, 1, null, line.bytes(), NOW);
    }

    static SourceRecord decode(DoorDecoder d, byte[] raw) {
        return d.decode("snowplow-enriched", 0, 1, null, raw, NOW);
    }

    /** A whitespace-only {@code domain_sessionid} names no session, as a blank {@code session_id} of the Avro and JSON doors: two visitors who send " " are not one session. */
    @Test
    void aBlankDomainSessionidIsNoSessionId() throws Exception {
        DoorDecoder d = door();
        AttentionEvent alice = decode(d, pageView("e1", "duid-alice", " ", T)).getEvent();
        AttentionEvent bob =
                decode(d, pageView("e2", "duid-bob", "\t ", T.plusSeconds(60))).getEvent();
        assertThat(alice.getSessionId()).isNull();
        assertThat(bob).isNull(); // a tab inside a field is a 132-field line: UNDECODABLE, never a session id
    }

    @Test
    void holdsEmptyDomainSessionidIsNoSessionId() throws Exception {
        AttentionEvent e = decode(door(), pageView("e1", "duid-1", "", T)).getEvent();
        assertThat(e).isNotNull();
        assertThat(e.getSessionId()).isNull();
    }

    @Test
    void holdsHugeTabAndUnicodeDomainSessionids() throws Exception {
        DoorDecoder d = door();
        SourceRecord huge = decode(d, pageView("e1", "duid-1", "x".repeat(10_000), T));
        assertThat(huge.getDeadLetter()).isNotNull();
        assertThat(huge.getDeadLetter().getReason()).isEqualTo(DeadLetterReason.FIELD_TOO_LARGE);
        // A tab inside the field makes 132 fields: UNDECODABLE, never an exception.
        SourceRecord tab = decode(d, pageView("e2", "duid-1", "a\tb", T));
        assertThat(tab.getDeadLetter()).isNotNull();
        assertThat(tab.getDeadLetter().getReason()).isEqualTo(DeadLetterReason.UNDECODABLE);
        // A newline inside the field (not at the end) and unicode are just an id.
        AttentionEvent nl = decode(d, pageView("e3", "duid-1", "a\nb", T)).getEvent();
        AttentionEvent uni =
                decode(d, pageView("e4", "duid-1", "séssion-😀-\u0000", T)).getEvent();
        assertThat(nl.getSessionId()).isNotNull();
        assertThat(uni.getSessionId()).isNotNull().isNotEqualTo(nl.getSessionId());
        // Malformed UTF-8 does not throw either.
        byte[] raw = pageView("e5", "duid-1", "s", T).bytes();
        byte[] bad = new byte[raw.length + 2];
        System.arraycopy(raw, 0, bad, 0, raw.length);
        bad[raw.length] = (byte) 0xC3;
        bad[raw.length + 1] = (byte) 0x28;
        SourceRecord r = decode(d, bad);
        assertThat(r.getEvent() != null || r.getDeadLetter() != null).isTrue();
    }

    // ---------------------------------------------------------------- routing

    /** An erasure (at its arrival, the unbounded job) drops the erased pseudonym's events that wait in the routing, as the per-user operator drops its own: none reaches the per-user operator after the erasure to build the user again. */
    @Test
    void anErasureDropsTheErasedUsersWaitingEvents() throws Exception {
        try (ClientSessionRoutingHarness r = new ClientSessionRoutingHarness()) {
            r.event("p-a", "s1", "e1", at(0, 0)).watermark(at(0, 30)); // routed: s1 is p-a's
            r.event("p-a", "s1", "e2", at(1, 0)).event("p-a", "s1", "e3", at(2, 0)); // wait for the watermark
            r.erase("p-a", at(0, 40));
            r.watermark(at(3, 0));
            assertThat(r.routed())
                    .as("the erased user's events that were waiting must not come out after the erasure")
                    .containsExactly("e1>p-a");
        }
    }

    /** An erasure at its arrival forgets the session whose identity it erases: a later event of the session by another identity (a login) starts a session of its own (README: the routing forgets the sessions of the erased user). */
    @Test
    void anErasureArrivingMidSessionForgetsItSoTheNextEventStartsItsOwn() throws Exception {
        try (ClientSessionRoutingHarness r = new ClientSessionRoutingHarness()) {
            r.event("p-a", "s1", "e1", at(0, 0)).watermark(at(0, 30));
            r.erase("p-a", at(10, 0));
            r.event("p-alice", "s1", "e2", at(1, 0)).watermark(at(2, 0)); // the login, 1 min into p-a's session
            assertThat(r.routed()).containsExactly("e1>p-a", "e2>p-alice");
        }
    }

    /** Events behind the watermark (within the allowed lateness) are routed as they arrive, not held: a session whose first events all come late takes the identity of the first to arrive (README says so). */
    @Test
    void lateEventsAreRoutedAsTheyArrive() throws Exception {
        try (ClientSessionRoutingHarness r = new ClientSessionRoutingHarness()) {
            r.event("p-x", "other", "x", at(10, 0)).watermark(at(10, 0)); // the watermark is at 10:00
            r.event("p-alice", "s1", "e2", at(8, 0)); // late, within the 5-min lateness
            r.event("p-duid", "s1", "e1", at(7, 0)); // s1's first event in event time, arrives last
            assertThat(r.routed()).containsExactly("x>p-x", "e2>p-alice", "e1>p-alice");
        }
    }

    /** An event behind the watermark by more than the allowed lateness passes the routing untouched (the per-user operator refuses it, TOO_LATE): it moves no session start, so the session's later events are not beyond its cap because of it. */
    @Test
    void aTooLateEventLeavesItsSessionsStartAlone() throws Exception {
        try (ClientSessionRoutingHarness r = new ClientSessionRoutingHarness()) {
            r.event("p-a", "s1", "e1", at(600, 0)).watermark(at(601, 0)); // 19:00, routed
            r.event("p-a", "s1", "e0", at(240, 0)); // 13:00: 6 h behind the watermark, TOO_LATE downstream
            r.event("p-a", "s1", "e2", at(600 + 420, 0)).watermark(at(600 + 421, 0)); // 7 h after e1
            assertThat(r.deadLetters())
                    .as("e2 is 7 h into a session that started with e1")
                    .isEmpty();
            assertThat(r.routed()).contains("e2>p-a");
        }
    }

    /** A too-late event does not open a session: the next on-time event decides the identity. */
    @Test
    void aTooLateEventDecidesNoIdentity() throws Exception {
        try (ClientSessionRoutingHarness r = new ClientSessionRoutingHarness()) {
            r.event("p-other", "other", "x", at(600, 0)).watermark(at(600, 0)); // the watermark is at 19:00
            r.event("p-x", "s1", "e0", at(240, 0)); // 13:00: 6 h late, TOO_LATE downstream
            r.event("p-a", "s1", "e1", at(601, 0))
                    .event("p-a", "s1", "e2", at(602, 0))
                    .watermark(at(603, 0));
            assertThat(r.routed()).contains("e1>p-a", "e2>p-a");
        }
    }

    /** An event at or after its session's forget time starts a new session whether the old one is still in state (it arrived before the watermark passed the forget time) or not. */
    @Test
    void aSessionIdUsedAgainAfterForgetAtStartsANewSessionWhateverTheArrivalOrder() throws Exception {
        long forgetAt = at(0, 0) + 2 * CAP + LATENESS;
        try (ClientSessionRoutingHarness r =
                new ClientSessionRoutingHarness()) { // live: the watermark passes forgetAt before e2 arrives
            r.event("p-a", "s1", "e1", at(0, 0)).watermark(forgetAt);
            r.event("p-b", "s1", "e2", forgetAt + minutes(1)).watermark(forgetAt + minutes(2));
            assertThat(r.routed()).containsExactly("e1>p-a", "e2>p-b");
            assertThat(r.deadLetters()).isEmpty();
        }
        try (ClientSessionRoutingHarness r =
                new ClientSessionRoutingHarness()) { // replay: both events read before the watermark moves
            r.event("p-a", "s1", "e1", at(0, 0)).event("p-b", "s1", "e2", forgetAt + minutes(1));
            r.watermark(forgetAt + minutes(2));
            assertThat(r.deadLetters()).as("same input, other arrival order").isEmpty();
            assertThat(r.routed()).containsExactly("e1>p-a", "e2>p-b");
        }
    }

    /** At exactly the forget time the session is over: the event starts a new session, as one 1 ms later. */
    @Test
    void anEventExactlyAtForgetAtStartsANewSession() throws Exception {
        long forgetAt = at(0, 0) + 2 * CAP + LATENESS;
        try (ClientSessionRoutingHarness r = new ClientSessionRoutingHarness()) {
            r.event("p-a", "s1", "e1", at(0, 0)).watermark(forgetAt - 1);
            r.event("p-b", "s1", "e2", forgetAt).watermark(forgetAt);
            assertThat(r.deadLetters()).as("an event at forgetAt").isEmpty();
            assertThat(r.routed()).containsExactly("e1>p-a", "e2>p-b");
        }
    }

    /** 8,000 events of one session, sent in reverse and released by one watermark, all come out in event order (each timer reads only the events of its own time). */
    @Test
    void manyEventsOfOneSessionReleasedByOneWatermarkAllComeOutInOrder() throws Exception {
        int n = 8_000;
        try (ClientSessionRoutingHarness r = new ClientSessionRoutingHarness()) {
            long t0 = at(0, 0);
            for (int i = n - 1; i >= 0; i--) { // in reverse
                r.event("p-a", "s1", "e" + i, t0 + i);
            }
            r.watermark(t0 + n);
            assertThat(r.harness.extractOutputValues())
                    .extracting(AttentionEvent::getEventTime)
                    .hasSize(n)
                    .isSorted();
        }
    }

    @Test
    void holdsTwoUsersWithOneSessionIdAtTheSameMsGetADeterministicIdentity() throws Exception {
        for (boolean bFirst : new boolean[] {false, true}) {
            try (ClientSessionRoutingHarness r = new ClientSessionRoutingHarness()) {
                if (bFirst) {
                    r.event("p-b", "s1", "e-b", at(0, 0)).event("p-a", "s1", "e-a", at(0, 0));
                } else {
                    r.event("p-a", "s1", "e-a", at(0, 0)).event("p-b", "s1", "e-b", at(0, 0));
                }
                r.watermark(at(1, 0));
                assertThat(r.routed()).containsExactly("e-a>p-a", "e-b>p-a"); // by event id
            }
        }
    }

    @Test
    void holdsEventsAt1970AndOnTimeReverseOrder() throws Exception {
        try (ClientSessionRoutingHarness r = new ClientSessionRoutingHarness()) {
            r.event("p-c", "s1", "e3", 2).event("p-b", "s1", "e2", 1).event("p-a", "s1", "e1", 0);
            r.watermark(10);
            assertThat(r.routed()).containsExactly("e1>p-a", "e2>p-a", "e3>p-a");
            r.event("p-z", "s1", "e4", CAP + 1); // beyond the cap of a session started at epoch 0
            r.watermark(CAP + 1);
            assertThat(r.deadLetters()).hasSize(1);
        }
    }

    /** {@code --max-session-duration} near Long.MAX_VALUE ms saturates instead of overflowing: the session is kept, not forgotten after the gap. */
    @Test
    void aHugeMaxSessionDurationSaturates() {
        long cap = org.attentionanalytics.job.JobOptions.parseDuration("106751991167 d")
                .toMillis();
        ClientSessionRules rules = new ClientSessionRules(cap, GAP, LATENESS);
        var s = rules.route(null, view("p-a", "i", at(0, 0), "news"));
        assertThat(rules.forgetAt(s))
                .as("forgetAt of a session whose cap is ~forever")
                .isGreaterThan(at(0, 0) + GAP + LATENESS);
    }

    @Test
    void holdsSessionModeParsing() {
        assertThat(SessionMode.parse("CLIENT")).isEqualTo(SessionMode.CLIENT);
        assertThat(SessionMode.parse("Gap")).isEqualTo(SessionMode.GAP);
        assertThatThrownBy(() -> SessionMode.parse("foo")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionMode.parse(" client")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionMode.parse("")).isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------- sessions of the per-user operator

    private static final String U = "u1";
    private static final UserActivityProcessor CLIENT = new UserActivityProcessor(
            SessionRules.defaults(GAP, CAP, LATENESS).withMode(SessionMode.CLIENT),
            minutes(60),
            minutes(7 * 24 * 60),
            AttentionSettings.defaults(GAP, LATENESS));

    static AttentionEvent viewIn(String session, String id, long t) {
        return AttentionEvent.newBuilder(view(U, "item-" + id, t, "news"))
                .setEventId(id)
                .setSessionId(session)
                .build();
    }

    /** The per-user sessions agree with the routing: an event of a client session at or after the time its session leaves the state (max(end + gap, start + cap) + lateness) starts a new session, even when one watermark step applies it before the old session is cleaned up. */
    @Test
    void aSessionIdUsedAgainAfterItsSessionIsOverStartsANewSessionInTheTracker() {
        UserState st = UserState.newBuilder().build();
        var out = new UserActivityProcessorTest.Recorded();
        EventOrder.insert(st.getPending(), viewIn("s1", "e1", at(0, 0)));
        CLIENT.catchUp(st, U, at(35, 0), out); // CLOSED
        String first = out.closed().get(0).getSessionId();
        EventOrder.insert(st.getPending(), viewIn("s1", "e2", at(0, 0) + CAP + minutes(6)));
        CLIENT.catchUp(st, U, at(0, 0) + CAP + minutes(7), out); // one step past 12:05 and 12:06
        CLIENT.catchUp(st, U, at(0, 0) + CAP + minutes(60), out);
        SessionSummary last = out.closed().get(out.closed().size() - 1);
        assertThat(last.getEnd().toEpochMilli() - last.getStart().toEpochMilli())
                .as("a client session never spans more than the cap")
                .isLessThanOrEqualTo(CAP);
        assertThat(last.getSessionId()).isNotEqualTo(first);
    }

    /** Same input, watermark in small steps: the old session is cleaned first and all is right. */
    @Test
    void holdsAReusedSessionIdWithAWatermarkInSmallSteps() {
        UserState st = UserState.newBuilder().build();
        var out = new UserActivityProcessorTest.Recorded();
        EventOrder.insert(st.getPending(), viewIn("s1", "e1", at(0, 0)));
        CLIENT.catchUp(st, U, at(35, 0), out);
        String first = out.closed().get(0).getSessionId();
        CLIENT.catchUp(st, U, at(0, 0) + CAP + LATENESS, out); // the timer at keptUntil
        EventOrder.insert(st.getPending(), viewIn("s1", "e2", at(0, 0) + CAP + minutes(6)));
        CLIENT.catchUp(st, U, at(0, 0) + CAP + minutes(60), out);
        SessionSummary last = out.closed().get(out.closed().size() - 1);
        assertThat(last.getSessionId()).isNotEqualTo(first);
        assertThat(last.getEventCount()).isEqualTo(1);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
