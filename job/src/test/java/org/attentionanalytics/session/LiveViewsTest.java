package org.attentionanalytics.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.attentionanalytics.testutil.Events.T0;
import static org.attentionanalytics.testutil.Events.minutes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.ItemSignal;
import org.attentionanalytics.avro.internal.ItemSignalKind;
import org.attentionanalytics.avro.internal.SessionState;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.avro.internal.ViewState;
import org.attentionanalytics.testutil.Events;
import org.attentionanalytics.testutil.SessionHarness;
import org.junit.jupiter.api.Test;

/** {@link LiveViews}: the LIVE_VIEW request for {@code recommendations-live}, made at a view and brought up to date when sent. */
class LiveViewsTest {
    static AttentionEvent event(EventKind kind, EventType type, String item, long t) {
        return AttentionEvent.newBuilder()
                .setKind(kind)
                .setEventId("e" + t)
                .setUser("u")
                .setEventTime(t)
                .setEventType(type)
                .setItemId(item)
                .build();
    }

    /**
     * Views of a (10), b (20), a again (30), a dwell on b (40), a view without an item (50), a
     * purchase of b (60): the items most recent first, each at its latest view, are a (30) and b
     * (20); the purchase is b; the signal's time and item are the latest view's.
     */
    @Test
    void theWaitingViewsMostRecentFirstEachOnceAndThePurchases() {
        List<AttentionEvent> waiting = List.of(
                event(EventKind.CLICK, EventType.VIEW, "a", 10),
                event(EventKind.CLICK, EventType.VIEW, "b", 20),
                event(EventKind.CLICK, EventType.VIEW, "a", 30),
                event(EventKind.DWELL, EventType.OTHER, "b", 40),
                event(EventKind.CLICK, EventType.VIEW, null, 50),
                event(EventKind.CLICK, EventType.PURCHASE, "b", 60));
        var s = LiveViews.signal("u", UserState.newBuilder().build(), waiting);
        assertThat(s.getKind()).isEqualTo(ItemSignalKind.LIVE_VIEW);
        assertThat(s.getTime()).isEqualTo(30);
        assertThat(s.getItemId()).isEqualTo("a");
        assertThat(s.getRecentItems()).containsExactly("a", "b");
        assertThat(s.getRecentTimes()).containsExactly(30L, 20L);
        assertThat(s.getWaitingPurchases()).containsExactly("b");
    }

    static ViewState settledView(String item, long t, boolean synthetic) {
        return ViewState.newBuilder()
                .setTime(t)
                .setItem(0)
                .setItemId(item)
                .setTopics(new ArrayList<>())
                .setEngagedMs(0)
                .setSynthetic(synthetic)
                .build();
    }

    /**
     * The views the per-user operator has applied count too (the recommendations may not have them
     * yet): settled c (5), b (15) and a dwell stand-in for x (25, not a view); waiting view of a (30).
     * Most recent first, each item once: a (30), b (15), c (5); the stand-in is not a view.
     * With no view waiting at all (the watermark passed it while the live record was held back),
     * the settled ones still make a signal, at b's time.
     */
    @Test
    void theSettledSessionsViewsFollowTheWaitingOnes() {
        UserState st = UserState.newBuilder().build();
        st.getSessions()
                .add(SessionState.newBuilder()
                        .setSessionId("s")
                        .setStart(5)
                        .setEnd(25)
                        .setEventCount(3)
                        .setClicks(0)
                        .setPurchase(false)
                        .setEngagedMs(0)
                        .setClosed(false)
                        .setLastOpenMinute(-1)
                        .setItems(new ArrayList<>())
                        .setViews(new ArrayList<>(List.of(
                                settledView("c", 5, false), settledView("b", 15, false), settledView("x", 25, true))))
                        .build());
        var s = LiveViews.signal("u", st, List.of(event(EventKind.CLICK, EventType.VIEW, "a", 30)));
        assertThat(s.getRecentItems()).containsExactly("a", "b", "c");
        assertThat(s.getRecentTimes()).containsExactly(30L, 15L, 5L);
        assertThat(s.getTime()).isEqualTo(30);

        var settledOnly = LiveViews.signal("u", st, List.of());
        assertThat(settledOnly.getRecentItems()).containsExactly("b", "c");
        assertThat(settledOnly.getTime()).isEqualTo(15);
    }

    /**
     * The request made at the view (b 20, a 10) brought up to date at sending (c 30 and b 20 in the
     * state then, and a purchase of p): c, b, a, with p; the time is c's.
     */
    @Test
    void aRequestIsBroughtUpToDateWhenSent() {
        ItemSignal atView = ItemSignal.newBuilder()
                .setUser("u")
                .setKind(ItemSignalKind.LIVE_VIEW)
                .setTime(20)
                .setItemId("b")
                .setRecentItems(List.of("b", "a"))
                .setRecentTimes(List.of(20L, 10L))
                .build();
        ItemSignal now = ItemSignal.newBuilder(atView)
                .setTime(30)
                .setItemId("c")
                .setRecentItems(List.of("c", "b"))
                .setRecentTimes(List.of(30L, 20L))
                .setWaitingPurchases(List.of("p"))
                .build();
        ItemSignal merged = LiveViews.merge(atView, now);
        assertThat(merged.getRecentItems()).containsExactly("c", "b", "a");
        assertThat(merged.getRecentTimes()).containsExactly(30L, 20L, 10L);
        assertThat(merged.getWaitingPurchases()).containsExactly("p");
        assertThat(merged.getTime()).isEqualTo(30);
        assertThat(LiveViews.merge(atView, null)).isSameAs(atView);
    }

    /**
     * Through the operator (live job, 10 s interval): view a goes out at once; view b and a purchase
     * of p arrive while the user is held; the request sent when the interval has passed has b, a
     * and excludes p.
     */
    @Test
    void aPurchaseWhileTheRecordIsHeldIsExcluded() throws Exception {
        try (SessionHarness h = new SessionHarness(
                new UserActivityFunction(minutes(30), minutes(240), minutes(5), minutes(10), minutes(7 * 24 * 60))
                        .withLiveVectors(Duration.ofSeconds(10), Duration.ZERO)
                        .withItemSignals(true))) {
            h.processingTime(10_000);
            h.watermark(T0 - 1);
            h.send(Events.view("u1", "a", T0, "sports"));
            h.send(Events.view("u1", "b", T0 + 2_000, "news"));
            h.send(Events.click("u1", EventType.PURCHASE, "p", T0 + 3_000, "news"));
            h.clockOnly(20_000);

            List<ItemSignal> requests = h.itemSignals().stream()
                    .filter(x -> x.getKind() == ItemSignalKind.LIVE_VIEW)
                    .toList();
            assertThat(requests).hasSize(2);
            assertThat(requests.get(1).getRecentItems()).containsExactly("b", "a");
            assertThat(requests.get(1).getWaitingPurchases()).containsExactly("p");
        }
    }

    @Test
    void noViewNoSignal() {
        UserState none = UserState.newBuilder().build();
        assertThat(LiveViews.signal("u", none, List.of(event(EventKind.DWELL, EventType.OTHER, "b", 40))))
                .isNull();
        assertThat(LiveViews.signal("u", none, List.of())).isNull();
    }
}
