package org.attentionanalytics.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.attentionanalytics.testutil.Events.T0;
import static org.attentionanalytics.testutil.Events.at;
import static org.attentionanalytics.testutil.Events.click;
import static org.attentionanalytics.testutil.Events.dwell;
import static org.attentionanalytics.testutil.Events.minutes;
import static org.attentionanalytics.testutil.Events.view;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.attentionanalytics.attention.AttentionSettings;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.SessionStatus;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.internal.SessionState;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.avro.internal.ViewState;
import org.attentionanalytics.session.SessionRules.EngagedRule;
import org.attentionanalytics.testutil.SessionHarness;
import org.junit.jupiter.api.Test;

/**
 * The engaged-session rule (DESIGN.md section 5) and bounce = not engaged, with values worked out
 * by hand: GA4 counts a session as engaged when it "lasts longer than 10 seconds, has a key event,
 * or has at least 2 page views".
 */
class EngagedRuleTest {
    private static final String U = "u1";
    private static final long END_OF_TIME = T0 + minutes(24 * 60);
    private static final EngagedRule GA4 = EngagedRule.GA4;

    @Test
    void ga4IsTwoViewsOrLongerThanTenSecondsOrAPurchase() {
        assertThat(GA4.minViews()).isEqualTo(2);
        assertThat(GA4.minEngagedMs()).isEqualTo(10_000L);
        assertThat(GA4.inclusive()).isFalse();
        assertThat(GA4.conversions()).containsExactly(EventType.PURCHASE);
        assertThat(GA4.engaged(1, 10_000, false))
                .as("exactly 10 s is not longer than 10 s")
                .isFalse();
        assertThat(GA4.engaged(1, 10_001, false)).as("10.001 s").isTrue();
        assertThat(GA4.engaged(2, 0, false)).as("two views").isTrue();
        assertThat(GA4.engaged(0, 0, false)).as("no views, no conversion").isFalse();
        assertThat(GA4.engaged(0, 0, true)).as("a conversion alone").isTrue();
    }

    @Test
    void inclusiveCountsExactlyTheThreshold() {
        EngagedRule inclusive = new EngagedRule(2, 10_000L, true, Set.of(EventType.PURCHASE));
        assertThat(inclusive.engaged(1, 10_000, false)).isTrue();
        assertThat(inclusive.engaged(1, 9_999, false)).isFalse();
    }

    @Test
    void minViewsZeroTurnsTheViewCriterionOff() {
        EngagedRule noViews = new EngagedRule(0, 10_000L, false, Set.of(EventType.PURCHASE));
        assertThat(noViews.engaged(0, 0, false))
                .as("0 views >= 0 must not count")
                .isFalse();
        assertThat(noViews.engaged(1_000, 10_000, false))
                .as("1,000 views, 10 s")
                .isFalse();
        assertThat(noViews.engaged(1_000, 10_001, false)).isTrue();
        EngagedRule three = new EngagedRule(3, 10_000L, false, Set.of());
        assertThat(three.engaged(2, 0, false)).isFalse();
        assertThat(three.engaged(3, 0, false)).isTrue();
    }

    @Test
    void negativeThresholdsAreRefused() {
        assertThatThrownBy(() -> new EngagedRule(-1, 10_000L, false, Set.of())).hasMessageContaining("minViews");
        assertThatThrownBy(() -> new EngagedRule(2, -1L, false, Set.of())).hasMessageContaining("minEngagedMs");
    }

    /** summarize: bounce is the negation of engaged, for each case above, from a session's state. */
    @Test
    void theSummaryBouncesExactlyWhenItIsNotEngaged() {
        SessionRules rules = SessionRules.defaults(minutes(30), minutes(720), minutes(5));
        // one view of exactly 10 s: not longer than 10 s, one view, no purchase -> bounce
        assertBounce(summary(rules, 1, 10_000, false), true);
        // one view of 10.001 s -> engaged
        assertBounce(summary(rules, 1, 10_001, false), false);
        // inclusive: exactly 10 s -> engaged
        assertBounce(summary(rules.withEngaged(new EngagedRule(2, 10_000L, true, Set.of())), 1, 10_000, false), false);
        // no views (a REES46 session of only cart events), no conversion -> bounce
        assertBounce(summary(rules, 0, 0, false), true);
        // no views, a conversion (a session of only a purchase) -> engaged
        assertBounce(summary(rules, 0, 0, true), false);
        // two views of 0 s -> engaged; with min-views 0 -> bounce
        assertBounce(summary(rules, 2, 0, false), false);
        assertBounce(summary(rules.withEngaged(new EngagedRule(0, 10_000L, false, Set.of())), 2, 0, false), true);
    }

    /**
     * Through the operator: VIEW at 0:00 and 10,000 ms of dwell ending 0:10 (one view, engaged
     * exactly 10,000 ms) is a bounce; 10,001 ms of dwell makes it engaged.
     */
    @Test
    void aSingleViewOfExactlyTenSecondsIsABounce() throws Exception {
        try (SessionHarness h = harness(EngagedRule.GA4)) {
            h.send(view(U, "a", at(0, 0)), dwell(U, "a", 10_000, at(0, 10))).watermark(END_OF_TIME);
            SessionSummary s = single(h);
            assertThat(s.getViews()).isEqualTo(1);
            assertThat(s.getEngagedMs()).isEqualTo(10_000L);
            assertThat(s.getEngaged()).isFalse();
            assertThat(s.getBounce()).isTrue();
        }
        try (SessionHarness h = harness(EngagedRule.GA4)) {
            h.send(view(U, "a", at(0, 0)), dwell(U, "a", 10_001, at(0, 11))).watermark(END_OF_TIME);
            SessionSummary s = single(h);
            assertThat(s.getEngagedMs()).isEqualTo(10_001L);
            assertThat(s.getEngaged()).isTrue();
            assertThat(s.getBounce()).isFalse();
        }
        try (SessionHarness h = harness(new EngagedRule(2, 10_000L, true, Set.of(EventType.PURCHASE)))) {
            h.send(view(U, "a", at(0, 0)), dwell(U, "a", 10_000, at(0, 10))).watermark(END_OF_TIME);
            assertThat(single(h).getBounce()).as("inclusive: 10,000 >= 10,000").isFalse();
        }
    }

    /**
     * VIEW at 0:00, ADD_TO_CART at 0:01, 2,000 ms of dwell ending 0:02: one view, 2 s engaged. GA4's
     * rule: a bounce (no PURCHASE); with ADD_TO_CART as the conversion: engaged.
     */
    @Test
    void aConfiguredConversionTypeMakesAShortSessionEngaged() throws Exception {
        for (boolean cart : new boolean[] {false, true}) {
            EngagedRule rule = cart ? new EngagedRule(2, 10_000L, false, Set.of(EventType.ADD_TO_CART)) : GA4;
            try (SessionHarness h = harness(rule)) {
                h.send(
                                view(U, "a", at(0, 0)),
                                click(U, EventType.ADD_TO_CART, "a", at(0, 1)),
                                dwell(U, "a", 2_000, at(0, 2)))
                        .watermark(END_OF_TIME);
                SessionSummary s = single(h);
                assertThat(s.getViews()).isEqualTo(1);
                assertThat(s.getEngagedMs()).isEqualTo(2_000L);
                assertThat(s.getEngaged())
                        .as("ADD_TO_CART a conversion: %s", cart)
                        .isEqualTo(cart);
                assertThat(s.getBounce()).isEqualTo(!cart);
            }
        }
    }

    /** A session of a cart event alone (no view, no dwell: as REES46 has) is a bounce under GA4's rule. */
    @Test
    void aSessionWithoutViewsOrConversionIsABounce() throws Exception {
        try (SessionHarness h = harness(GA4)) {
            h.send(click(U, EventType.ADD_TO_CART, "a", at(0, 0))).watermark(END_OF_TIME);
            SessionSummary s = single(h);
            assertThat(s.getViews()).isZero();
            assertThat(s.getBounce()).isTrue();
            assertThat(s.getEngaged()).isFalse();
        }
        try (SessionHarness h = harness(GA4)) {
            h.send(click(U, EventType.PURCHASE, "a", at(0, 0))).watermark(END_OF_TIME);
            assertThat(single(h).getBounce()).as("a purchase alone is engaged").isFalse();
        }
    }

    @Test
    void minViewsZeroMeansViewsNeverMakeASessionEngaged() throws Exception {
        // three views 1 min apart, no dwell: engaged 0 ms; GA4: engaged by views; min-views 0: a bounce
        for (int minViews : new int[] {2, 0}) {
            try (SessionHarness h = harness(new EngagedRule(minViews, 10_000L, false, Set.of(EventType.PURCHASE)))) {
                h.send(view(U, "a", at(0, 0)), view(U, "b", at(1, 0)), view(U, "c", at(2, 0)))
                        .watermark(END_OF_TIME);
                SessionSummary s = single(h);
                assertThat(s.getViews()).isEqualTo(3);
                assertThat(s.getEngagedMs()).isZero();
                assertThat(s.getBounce()).as("min-views %d", minViews).isEqualTo(minViews == 0);
            }
        }
    }

    private static SessionHarness harness(EngagedRule rule) throws Exception {
        return new SessionHarness(new UserActivityFunction(
                SessionRules.defaults(minutes(30), minutes(12 * 60), minutes(5)).withEngaged(rule),
                minutes(60),
                minutes(7 * 24 * 60),
                AttentionSettings.defaults(minutes(30), minutes(5))));
    }

    private static SessionSummary single(SessionHarness h) {
        List<SessionSummary> closed = h.summaries(SessionStatus.CLOSED);
        assertThat(closed).hasSize(1);
        return closed.get(0);
    }

    private static void assertBounce(SessionSummary s, boolean bounce) {
        assertThat(s.getBounce()).isEqualTo(bounce);
        assertThat(s.getEngaged()).isEqualTo(!bounce);
    }

    /** A closed session of {@code views} views sharing {@code engagedMs}, with or without a conversion. */
    private static SessionSummary summary(SessionRules rules, int views, long engagedMs, boolean conversion) {
        List<ViewState> list = new ArrayList<>();
        for (int i = 0; i < views; i++) {
            list.add(PageViews.newView(T0 + i, 0, null, null, new ArrayList<>(), new ArrayList<>(), false));
        }
        if (!list.isEmpty()) {
            list.get(0).setEngagedMs(engagedMs);
        }
        SessionState s = SessionState.newBuilder()
                .setSessionId("s1")
                .setStart(T0)
                .setEnd(T0 + 60_000)
                .setEventCount(Math.max(1, views))
                .setClicks(0)
                .setPurchase(conversion)
                .setEngagedMs(engagedMs)
                .setClosed(true)
                .setLastOpenMinute(-1)
                .setItems(new ArrayList<>())
                .setViews(list)
                .build();
        return SessionSummaries.summarize(UserState.newBuilder().build(), U, s, SessionStatus.CLOSED, rules);
    }
}
