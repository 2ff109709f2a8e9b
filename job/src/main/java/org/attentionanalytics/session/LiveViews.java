package org.attentionanalytics.session;

import java.util.ArrayList;
import java.util.List;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.ItemSignal;
import org.attentionanalytics.avro.internal.ItemSignalKind;

/**
 * The LIVE_VIEW signal of a user's events still waiting for the watermark (DESIGN.md section 12,
 * {@code recommendations-live}): the items of the waiting VIEW clicks, most recent first (an item
 * once, at its latest view), and of the waiting PURCHASE clicks. Views as the recommendations count
 * them: a VIEW with an item id (a dwell-only view has none of its own).
 */
final class LiveViews {
    private LiveViews() {}

    /**
     * @param waiting the user's waiting events, in event order
     * @param liveId the request's id
     * @return the signal, at the latest waiting view's time; null when no view is waiting
     */
    static ItemSignal signal(String user, List<AttentionEvent> waiting, long liveId) {
        List<String> items = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        List<String> purchases = new ArrayList<>();
        for (int i = waiting.size() - 1; i >= 0; i--) {
            AttentionEvent e = waiting.get(i);
            String item = e.getItemId();
            if (e.getKind() != EventKind.CLICK || item == null || item.isBlank()) {
                continue;
            }
            if (e.getEventType() == EventType.VIEW && !items.contains(item)) {
                items.add(item);
                times.add(e.getEventTime());
            } else if (e.getEventType() == EventType.PURCHASE && !purchases.contains(item)) {
                purchases.add(item);
            }
        }
        if (items.isEmpty()) {
            return null;
        }
        return ItemSignal.newBuilder()
                .setUser(user)
                .setKind(ItemSignalKind.LIVE_VIEW)
                .setTime(times.get(0))
                .setItemId(items.get(0))
                .setLiveId(liveId)
                .setWaitingItems(items)
                .setWaitingTimes(times)
                .setWaitingPurchases(purchases)
                .build();
    }
}
