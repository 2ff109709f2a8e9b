package org.attentionanalytics.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.ItemSignalKind;
import org.junit.jupiter.api.Test;

/** {@link LiveViews}: the LIVE_VIEW of a user's waiting events, for {@code recommendations-live}. */
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
        var s = LiveViews.signal("u", waiting, 9);
        assertThat(s.getKind()).isEqualTo(ItemSignalKind.LIVE_VIEW);
        assertThat(s.getLiveId()).isEqualTo(9);
        assertThat(s.getTime()).isEqualTo(30);
        assertThat(s.getItemId()).isEqualTo("a");
        assertThat(s.getWaitingItems()).containsExactly("a", "b");
        assertThat(s.getWaitingTimes()).containsExactly(30L, 20L);
        assertThat(s.getWaitingPurchases()).containsExactly("b");
    }

    @Test
    void noWaitingViewNoSignal() {
        assertThat(LiveViews.signal("u", List.of(event(EventKind.DWELL, EventType.OTHER, "b", 40)), 1))
                .isNull();
        assertThat(LiveViews.signal("u", List.of(), 1)).isNull();
    }
}
