package org.attentionanalytics.recommend;

import java.util.ArrayList;
import java.util.List;
import org.attentionanalytics.avro.internal.ItemMessage;
import org.attentionanalytics.avro.internal.ItemMessageKind;
import org.attentionanalytics.avro.internal.ItemSignal;
import org.attentionanalytics.avro.internal.ItemSignalKind;
import org.attentionanalytics.avro.internal.NeighbourhoodMessage;
import org.attentionanalytics.avro.internal.RankMessage;
import org.attentionanalytics.avro.internal.RankMessageKind;
import org.attentionanalytics.avro.internal.RecsHistory;
import org.attentionanalytics.avro.internal.RecsSession;

/**
 * One user's side of the recommendations (DESIGN.md section 12), over {@link RecsHistory}: the
 * recent items (ranking context and exclusion), purchases, and each open session's counted items.
 * A counted view of item b pairs once per session with each item counted before it in the session
 * (co-occurrence within sessions), while the user's decayed count of counted interactions is below
 * kMax (Schelter et al.'s per-user cap). A list is requested after a view when the minimum interval
 * allows it, else held back until the next view or the session's close. Plain Java: the caller
 * applies one event time's signals at a time, in event-time order.
 */
public final class UserHistory {
    private final RecsSettings settings;

    private final Neighbourhoods neighbourhoods;

    /** Where the history's messages go: the item rows (keyed by item), the ranking (keyed by user) and the buckets of similar users. */
    public interface Out {
        void toItem(ItemMessage message);

        void toRanking(RankMessage message);

        void toBucket(NeighbourhoodMessage message);
    }

    /** A history without similar users (INTERESTS signals are ignored). */
    public UserHistory(RecsSettings settings) {
        this(settings, false);
    }

    /** @param similarUsers whether INTERESTS signals put the user in the buckets of similar users ({@link Neighbourhoods}) */
    public UserHistory(RecsSettings settings, boolean similarUsers) {
        this.settings = settings;
        this.neighbourhoods = similarUsers ? new Neighbourhoods() : null;
    }

    /** @return an empty history */
    public static RecsHistory empty() {
        return RecsHistory.newBuilder().build();
    }

    /**
     * Applies the user's signals of event time {@code t} (VIEW, PURCHASE, SESSION_CLOSED,
     * SESSION_SUPERSEDED, MODE, which goes on to the ranking, INTERESTS, which joins buckets of similar users; in a fixed order, so ties do not
     * depend on arrival), then requests a list
     * if a view is due one or a closing session releases a held one. A late view (not after the
     * last request) joins the history without a list of its own: lists go out in event-time order.
     * Signals from before an erasure ({@code time <= erased_until}) are dropped.
     */
    public void apply(RecsHistory h, String user, long t, List<ItemSignal> signals, Out out) {
        boolean viewed = false;
        boolean released = false;
        for (ItemSignal s : signals) {
            if (s.getTime() <= h.getErasedUntil()) {
                continue;
            }
            switch (s.getKind()) {
                case VIEW -> {
                    view(h, s, t, out);
                    viewed = true;
                }
                case PURCHASE -> rememberPurchase(h.getPurchased(), s.getItemId());
                // a closed session keeps its items: a late event or the client's next one can reopen it
                case SESSION_CLOSED -> released |= h.getHeldAsOf() != Long.MIN_VALUE;
                case SESSION_SUPERSEDED -> removeSession(h, s.getSessionId());
                case MODE ->
                    out.toRanking(RankMessage.newBuilder()
                            .setUser(user)
                            .setKind(RankMessageKind.MODE)
                            .setTime(t)
                            .setMode(s.getMode())
                            .setItems(s.getTopTopics())
                            .setSpentCategories(s.getSpentCategories())
                            .setExcluded(excluded(h.getRecentItems(), h.getRecentTimes(), h.getPurchased(), t))
                            .build());
                case INTERESTS -> {
                    if (neighbourhoods != null) {
                        neighbourhoods.interests(h, user, t, s.getTopTopics(), s.getTopWeights(), out);
                    }
                }
                default -> {}
            }
        }
        viewed &= h.getLastRequest() == Long.MIN_VALUE || t > h.getLastRequest();
        if (viewed && isDue(h, t)) {
            request(h, user, t, t, out);
        } else if (viewed) {
            h.setHeldAsOf(Math.max(t, h.getHeldAsOf()));
        } else if (released) {
            request(h, user, t, h.getHeldAsOf(), out);
        }
    }

    /**
     * Forgets everything about the user (DESIGN.md section 9): what remains is {@code erased_until},
     * so that signals from before the erasure still on their way are dropped. Tells the ranking, and
     * leaves the buckets of similar users.
     */
    public static RecsHistory erase(RecsHistory h, String user, long erasedUntil, Out out) {
        if (h != null) {
            Neighbourhoods.leaveAll(h, user, erasedUntil, out);
        }
        out.toRanking(RankMessage.newBuilder()
                .setUser(user)
                .setKind(RankMessageKind.ERASED)
                .setTime(erasedUntil)
                .build());
        RecsHistory fresh = empty();
        fresh.setErasedUntil(Math.max(erasedUntil, h == null ? Long.MIN_VALUE : h.getErasedUntil()));
        return fresh;
    }

    /** @return whether nothing is left but an erasure's time that the lateness has passed by event time {@code t} */
    public boolean isEmpty(RecsHistory h, long t) {
        return h.getRecentItems().isEmpty()
                && h.getPurchased().isEmpty()
                && h.getSessions().isEmpty()
                && h.getBuckets().isEmpty()
                && h.getHeldAsOf() == Long.MIN_VALUE
                && (h.getErasedUntil() == Long.MIN_VALUE || t - settings.latenessMs() > h.getErasedUntil());
    }

    private void view(RecsHistory h, ItemSignal s, long t, Out out) {
        String item = s.getItemId();
        rememberView(h, item, t);
        dropStale(h, t);
        if (!s.getCounted()) {
            return;
        }
        out.toItem(message(item, ItemMessageKind.COUNT, t)
                .setCount(s.getItemCount())
                .build());
        RecsSession session = session(h, s.getSessionId());
        double userCount = h.getCounted() * Math.pow(2, -(double) (t - h.getCountedTime()) / settings.halfLifeMs());
        if (session.getItems().contains(item) || userCount >= settings.maxUserInteractions()) {
            return;
        }
        h.setCounted(userCount + 1);
        h.setCountedTime(t);
        for (int j = Math.max(0, session.getItems().size() - RecsSettings.PAIR_WINDOW);
                j < session.getItems().size();
                j++) {
            String other = session.getItems().get(j);
            double otherCount = session.getCounts().get(j)
                    * Math.pow(2, -(double) (t - session.getTimes().get(j)) / settings.halfLifeMs());
            out.toItem(message(other, ItemMessageKind.PAIR, t)
                    .setOther(item)
                    .setCount(s.getItemCount())
                    .build());
            out.toItem(message(item, ItemMessageKind.PAIR, t)
                    .setOther(other)
                    .setCount(otherCount)
                    .build());
        }
        session.getItems().add(item);
        session.getCounts().add(s.getItemCount());
        session.getTimes().add(t);
        if (session.getItems().size() > RecsSettings.SESSION_ITEMS) {
            session.getItems().remove(0);
            session.getCounts().remove(0);
            session.getTimes().remove(0);
        }
    }

    /**
     * Requests a list: a QUERY to each of the {@link RecsSettings#CONTEXT_ITEMS} most recent items,
     * weighted 2^-r for the r-th most recent (r from 0) times its decay since it was viewed, and the
     * REQUEST with the items to exclude (viewed within the exclusion window, or bought).
     */
    private void request(RecsHistory h, String user, long t, long asOf, Out out) {
        query(h.getRecentItems(), h.getRecentTimes(), h.getPurchased(), user, t, asOf, 0, out);
        h.setLastRequest(t);
        h.setHeldAsOf(Long.MIN_VALUE);
    }

    /**
     * Requests a provisional list for {@code recommendations-live} (DESIGN.md section 12) from a
     * LIVE_VIEW: as {@link #request}, with the user's views and purchases not applied yet added to
     * the history's (those still waiting for the watermark in the per-user operator, carried by the
     * LIVE_VIEW, and the VIEW and PURCHASE signals waiting here), at the LIVE_VIEW's time. Changes
     * nothing: the history takes those views when the watermark passes them. Dropped when it is
     * from before an erasure.
     *
     * @param notApplied the signals waiting for the watermark here (any kind, any order)
     */
    public void liveRequest(RecsHistory h, String user, ItemSignal live, List<ItemSignal> notApplied, Out out) {
        long t = live.getTime();
        if (t <= h.getErasedUntil()) {
            return;
        }
        List<String> items = new ArrayList<>(h.getRecentItems());
        List<Long> times = new ArrayList<>(h.getRecentTimes());
        List<String> bought = new ArrayList<>(live.getWaitingPurchases());
        for (ItemSignal s : notApplied) {
            if (s.getTime() <= h.getErasedUntil() || s.getItemId() == null) {
                continue;
            }
            if (s.getKind() == ItemSignalKind.VIEW) {
                insertView(items, times, s.getItemId(), s.getTime());
            } else if (s.getKind() == ItemSignalKind.PURCHASE) {
                bought.add(s.getItemId());
            }
        }
        for (int i = live.getRecentItems().size() - 1; i >= 0; i--) { // oldest first: a later view of an item wins
            insertView(
                    items,
                    times,
                    live.getRecentItems().get(i),
                    live.getRecentTimes().get(i));
        }
        bought.addAll(h.getPurchased());
        query(items, times, bought, user, t, t, live.getLiveId(), out);
    }

    /**
     * Sends the QUERY messages and the REQUEST of one list over {@code items} viewed at {@code times}
     * (descending), excluding those viewed within the exclusion window and {@code bought}.
     *
     * @param liveId the live request's id, or 0 for a list of {@code recommendations}
     */
    private void query(
            List<String> items,
            List<Long> times,
            List<String> bought,
            String user,
            long t,
            long asOf,
            long liveId,
            Out out) {
        int queries = 0;
        for (int r = 0; r < items.size() && r < RecsSettings.CONTEXT_ITEMS; r++) {
            double weight = Math.pow(2, -r) * Math.pow(2, -(double) (t - times.get(r)) / settings.halfLifeMs());
            out.toItem(message(items.get(r), ItemMessageKind.QUERY, t)
                    .setUser(user)
                    .setWeight(weight)
                    .setLimit(settings.queryLimit())
                    .setLiveId(liveId)
                    .build());
            queries++;
        }
        List<String> exclude = excluded(items, times, bought, t);
        out.toRanking(RankMessage.newBuilder()
                .setUser(user)
                .setKind(RankMessageKind.REQUEST)
                .setTime(t)
                .setAsOf(asOf)
                .setItems(exclude)
                .setLiveId(liveId)
                .setExpected(liveId == 0 ? 0 : queries)
                .build());
    }

    /** @return the items viewed within the exclusion window before {@code t}, then those bought */
    private List<String> excluded(List<String> items, List<Long> times, List<String> bought, long t) {
        List<String> exclude = new ArrayList<>();
        for (int r = 0; r < items.size(); r++) {
            if (settings.excludeWithinMs() > 0 && t - times.get(r) < settings.excludeWithinMs()) {
                exclude.add(items.get(r));
            }
        }
        for (String item : bought) {
            if (!exclude.contains(item)) {
                exclude.add(item);
            }
        }
        return exclude;
    }

    private boolean isDue(RecsHistory h, long t) {
        return h.getLastRequest() == Long.MIN_VALUE
                || settings.minIntervalMs() == 0
                || t - h.getLastRequest() >= settings.minIntervalMs();
    }

    /** Recent items past the context that the exclusion no longer needs are dropped. */
    private void dropStale(RecsHistory h, long t) {
        List<String> items = h.getRecentItems();
        List<Long> times = h.getRecentTimes();
        while (items.size() > RecsSettings.CONTEXT_ITEMS
                && t - times.get(times.size() - 1) >= settings.excludeWithinMs()) {
            items.remove(items.size() - 1);
            times.remove(times.size() - 1);
        }
    }

    /**
     * Puts {@code item} viewed at {@code t} into the recent items, which stay in descending time
     * order (a late view goes behind later ones), at most {@link RecsSettings#RECENT_ITEMS}.
     */
    private static void rememberView(RecsHistory h, String item, long t) {
        insertView(h.getRecentItems(), h.getRecentTimes(), item, t);
    }

    /** Puts {@code item} viewed at {@code t} into {@code items}/{@code times} (descending time), at most {@link RecsSettings#RECENT_ITEMS}. */
    private static void insertView(List<String> items, List<Long> times, String item, long t) {
        int i = items.indexOf(item);
        if (i >= 0) {
            if (times.get(i) >= t) {
                return; // already there, viewed later
            }
            items.remove(i);
            times.remove(i);
        }
        int at = 0;
        while (at < times.size() && times.get(at) >= t) {
            at++;
        }
        items.add(at, item);
        times.add(at, t);
        if (items.size() > RecsSettings.RECENT_ITEMS) {
            items.remove(RecsSettings.RECENT_ITEMS);
            times.remove(RecsSettings.RECENT_ITEMS);
        }
    }

    /** Puts {@code item} first among the purchases, at most {@link RecsSettings#PURCHASES} kept. */
    private static void rememberPurchase(List<String> purchased, String item) {
        int i = purchased.indexOf(item);
        if (i >= 0) {
            purchased.remove(i); // by index: Avro's arrays have no Iterator.remove
        }
        purchased.add(0, item);
        if (purchased.size() > RecsSettings.PURCHASES) {
            purchased.remove(RecsSettings.PURCHASES);
        }
    }

    private static RecsSession session(RecsHistory h, String id) {
        String key = id == null ? "" : id;
        for (RecsSession s : h.getSessions()) {
            if (s.getSessionId().equals(key)) {
                return s;
            }
        }
        RecsSession s = new RecsSession(key, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        h.getSessions().add(s);
        if (h.getSessions().size() > RecsSettings.SESSIONS) {
            h.getSessions().remove(0); // the one that started first
        }
        return s;
    }

    private static void removeSession(RecsHistory h, String id) {
        List<RecsSession> sessions = h.getSessions();
        for (int i = sessions.size() - 1; i >= 0; i--) { // index removal: Avro's arrays have no Iterator.remove
            if (sessions.get(i).getSessionId().equals(id == null ? "" : id)) {
                sessions.remove(i);
            }
        }
    }

    private static ItemMessage.Builder message(String item, ItemMessageKind kind, long t) {
        return ItemMessage.newBuilder().setItem(item).setKind(kind).setTime(t);
    }
}
