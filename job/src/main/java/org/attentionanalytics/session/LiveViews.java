package org.attentionanalytics.session;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.ItemSignal;
import org.attentionanalytics.avro.internal.ItemSignalKind;
import org.attentionanalytics.avro.internal.SessionState;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.avro.internal.ViewState;

/**
 * The LIVE_VIEW signal of a user (DESIGN.md section 12, {@code recommendations-live}): the items of
 * the user's latest views as the per-user operator knows them, each once at its latest view, most
 * recent first, at most {@link #RECENT_VIEWS}: those still waiting for the watermark and those of
 * the sessions the per-user state holds (applied here, but perhaps not yet by the recommendations,
 * whose watermark follows the slowest upstream subtask, or while the live record was held back);
 * and the items of the waiting PURCHASE clicks. Views as the recommendations count them: a VIEW
 * with an item id (not a dwell-only stand-in).
 */
final class LiveViews {
    /** Most views a LIVE_VIEW carries. */
    static final int RECENT_VIEWS = 20;

    private LiveViews() {}

    /**
     * @param st the user's settled value (not changed)
     * @param waiting the user's waiting events, in event order
     * @return the signal, at the latest view's time, {@code live_id} 0 (the sender sets it); null
     *     when the user has no view
     */
    static ItemSignal signal(String user, UserState st, List<AttentionEvent> waiting) {
        List<String> candidates = new ArrayList<>();
        List<Long> candidateTimes = new ArrayList<>();
        List<String> purchases = new ArrayList<>();
        for (AttentionEvent e : waiting) {
            String item = e.getItemId();
            if (e.getKind() != EventKind.CLICK || item == null || item.isBlank()) {
                continue;
            }
            if (e.getEventType() == EventType.VIEW) {
                candidates.add(item);
                candidateTimes.add(e.getEventTime());
            } else if (e.getEventType() == EventType.PURCHASE && !purchases.contains(item)) {
                purchases.add(item);
            }
        }
        for (SessionState s : st.getSessions()) {
            List<ViewState> views = s.getViews(); // in time order: the newest are enough
            for (int i = Math.max(0, views.size() - 2 * RECENT_VIEWS); i < views.size(); i++) {
                ViewState v = views.get(i);
                if (!v.getSynthetic() && v.getItemId() != null && !v.getItemId().isBlank()) {
                    candidates.add(v.getItemId());
                    candidateTimes.add(v.getTime());
                }
            }
        }
        Integer[] order = new Integer[candidates.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(candidateTimes.get(b), candidateTimes.get(a)));
        List<String> items = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        for (int i : order) {
            if (items.size() == RECENT_VIEWS) {
                break;
            }
            if (!items.contains(candidates.get(i))) {
                items.add(candidates.get(i));
                times.add(candidateTimes.get(i));
            }
        }
        if (items.isEmpty()) {
            return null;
        }
        return request(user, items, times, purchases);
    }

    /** @return the LIVE_VIEW of one arriving VIEW, or null when it has no item */
    static ItemSignal ofView(AttentionEvent view) {
        String item = view.getItemId();
        if (item == null || item.isBlank()) {
            return null;
        }
        return request(view.getUser(), List.of(item), List.of(view.getEventTime()), List.of());
    }

    /** @return the LIVE_VIEW of these views (most recent first, not empty) and purchases, at the first view's time */
    private static ItemSignal request(String user, List<String> items, List<Long> times, List<String> purchases) {
        return ItemSignal.newBuilder()
                .setUser(user)
                .setKind(ItemSignalKind.LIVE_VIEW)
                .setTime(times.get(0))
                .setItemId(items.get(0))
                .setRecentItems(items)
                .setRecentTimes(times)
                .setWaitingPurchases(purchases)
                .build();
    }

    /**
     * {@code now} with the views and purchases of {@code atView} it lacks: the views that arrived
     * while the live record was held back ({@link #ofView}) added to the request made from the
     * state when it is sent, so that they count even when the watermark has moved them out of the
     * state since.
     *
     * @param now the later request, or null (then {@code atView})
     */
    static ItemSignal merge(ItemSignal atView, ItemSignal now) {
        if (now == null) {
            return atView;
        }
        List<String> items = new ArrayList<>(now.getRecentItems());
        List<Long> times = new ArrayList<>(now.getRecentTimes());
        for (int i = 0; i < atView.getRecentItems().size() && items.size() < RECENT_VIEWS; i++) {
            String item = atView.getRecentItems().get(i);
            if (!items.contains(item)) {
                long t = atView.getRecentTimes().get(i);
                int at = 0;
                while (at < times.size() && times.get(at) >= t) {
                    at++;
                }
                items.add(at, item);
                times.add(at, t);
            }
        }
        List<String> purchases = new ArrayList<>(now.getWaitingPurchases());
        for (String p : atView.getWaitingPurchases()) {
            if (!purchases.contains(p)) {
                purchases.add(p);
            }
        }
        return request(now.getUser(), items, times, purchases);
    }
}
