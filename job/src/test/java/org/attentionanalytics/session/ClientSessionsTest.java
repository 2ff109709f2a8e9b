package org.attentionanalytics.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.attentionanalytics.testutil.Events.at;
import static org.attentionanalytics.testutil.Events.minutes;
import static org.attentionanalytics.testutil.Events.view;

import org.attentionanalytics.attention.AttentionSettings;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.ClientSession;
import org.attentionanalytics.avro.internal.UserState;
import org.junit.jupiter.api.Test;

/**
 * {@code --sessions client} (DESIGN.md section 5): {@link ClientSessionRules} (one identity per
 * tracker session, the cap) and the sessions {@link SessionTracker} makes of the routed events.
 * Gap 30 min, cap 12 h, lateness 5 min; times are minutes after T0 (09:00 UTC).
 */
class ClientSessionsTest {
    private static final String U = "u1";
    private static final long GAP = minutes(30);
    private static final long LATENESS = minutes(5);
    private static final long CAP = minutes(720);
    private static final UserActivityProcessor CLIENT = new UserActivityProcessor(
            SessionRules.defaults(GAP, CAP, LATENESS).withMode(SessionMode.CLIENT),
            minutes(60),
            minutes(7 * 24 * 60),
            AttentionSettings.defaults(GAP, LATENESS));
    private static final ClientSessionRules RULES = new ClientSessionRules(CAP, GAP, LATENESS);

    private static int seq;

    static AttentionEvent viewIn(String session, String item, long t) {
        return AttentionEvent.newBuilder(view(U, item, t, "news"))
                .setEventId("e" + (++seq))
                .setSessionId(session)
                .build();
    }

    static AttentionEvent as(String user, AttentionEvent e) {
        return AttentionEvent.newBuilder(e).setUser(user).build();
    }

    static void add(UserState st, AttentionEvent... events) {
        for (AttentionEvent e : events) {
            EventOrder.insert(st.getPending(), e);
        }
    }

    @Test
    void everyEventOfASessionGoesToTheIdentityOfItsFirstEvent() {
        // duid-a's page view at 0:00 opens s1; after a login at 0:05 the user is alice, at 0:10 a
        // rotated domain_userid duid-b: both still belong to the identity of the first event.
        ClientSession s = RULES.route(null, as("p-duid-a", viewIn("s1", "a", at(0, 0))));
        assertThat(s.getUser()).isEqualTo("p-duid-a");
        s = RULES.route(s, as("p-alice", viewIn("s1", "b", at(5, 0))));
        s = RULES.route(s, as("p-duid-b", viewIn("s1", "c", at(10, 0))));
        assertThat(s.getUser()).isEqualTo("p-duid-a");
        assertThat(s.getStart()).isEqualTo(at(0, 0));
        assertThat(s.getLast()).isEqualTo(at(10, 0));
    }

    @Test
    void anEventMoreThanTheCapAfterTheStartIsBeyondIt() {
        ClientSession s = RULES.route(null, viewIn("s1", "a", at(0, 0)));
        assertThat(RULES.beyond(s, at(0, 0) + CAP)).isFalse(); // Snowplow keeps an event exactly max_session_days on
        assertThat(RULES.beyond(s, at(0, 0) + CAP + 1)).isTrue();
        // Remembered for twice the cap (its events for 12 h after the cap are dead letters) and until quiet
        // for the gap, plus the lateness: max(0:00 + 2 x 12 h, 0:10 + 30 min) + 5 min = 24:05 (next day 09:05).
        s = RULES.route(s, viewIn("s1", "b", at(10, 0)));
        assertThat(RULES.forgetAt(s)).isEqualTo(at(0, 0) + 2 * CAP + LATENESS);
        // Still sending beyond the cap at 25:00: kept until 25:35, so its later events are dead letters too.
        s.setLast(at(1500, 0));
        assertThat(RULES.forgetAt(s)).isEqualTo(at(1500, 0) + GAP + LATENESS);
    }

    @Test
    void aClientSessionReopensUnderItsOwnIdAfterTheGap() {
        UserState st = UserState.newBuilder().build();
        var out = new UserActivityProcessorTest.Recorded();
        add(st, viewIn("s1", "a", at(0, 0)));
        CLIENT.catchUp(st, U, at(35, 0), out); // 0:00 + 30 min gap passed: CLOSED, 1 event
        assertThat(out.closed())
                .singleElement()
                .satisfies(s -> assertThat(s.getEventCount()).isEqualTo(1));
        String id = out.closed().get(0).getSessionId();

        add(st, viewIn("s1", "b", at(40, 0))); // 40 min later, the same client session: the same session
        CLIENT.catchUp(st, U, at(120, 0), out);
        assertThat(out.closed()).hasSize(2);
        SessionSummary last = out.closed().get(1);
        assertThat(last.getSessionId()).isEqualTo(id);
        assertThat(last.getEventCount()).isEqualTo(2);
        assertThat(last.getViews()).isEqualTo(2);
        assertThat(last.getStart().toEpochMilli()).isEqualTo(at(0, 0));
        assertThat(last.getEnd().toEpochMilli()).isEqualTo(at(40, 0));
        // The gap rule would have made two sessions of these two events.
    }

    @Test
    void twoClientSessionsInterleavedStayApartAndEventsWithoutOneFollowTheGap() {
        UserState st = UserState.newBuilder().build();
        var out = new UserActivityProcessorTest.Recorded();
        add(
                st,
                viewIn("s1", "a", at(0, 0)),
                viewIn("s2", "b", at(1, 0)),
                viewIn("s1", "c", at(2, 0)),
                viewIn(null, "d", at(3, 0)),
                viewIn(null, "e", at(50, 0))); // 47 min after d: a gap session of its own
        CLIENT.catchUp(st, U, at(180, 0), out);
        assertThat(out.closed())
                .extracting(SessionSummary::getEventCount, s -> s.getStart().toEpochMilli())
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(2, at(0, 0)), // s1: a, c
                        org.assertj.core.groups.Tuple.tuple(1, at(1, 0)), // s2: b
                        org.assertj.core.groups.Tuple.tuple(1, at(3, 0)), // no session id: d
                        org.assertj.core.groups.Tuple.tuple(1, at(50, 0))); // no session id: e
    }

    @Test
    void aClosedClientSessionStaysInStateUntilItsCapPlusTheLateness() {
        UserState st = UserState.newBuilder().build();
        var out = new UserActivityProcessorTest.Recorded();
        add(st, viewIn("s1", "a", at(0, 0)));
        CLIENT.catchUp(st, U, at(0, 0) + CAP + LATENESS - 1, out); // 12:04:59.999: it could still reopen
        assertThat(st.getSessions()).hasSize(1);
        CLIENT.catchUp(st, U, at(0, 0) + CAP + LATENESS, out); // 12:05: no event of it can come any more
        assertThat(st.getSessions()).isEmpty();
    }
}
