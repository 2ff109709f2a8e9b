package org.attentionanalytics.recommend;

import java.util.ArrayList;
import java.util.List;
import org.attentionanalytics.avro.internal.PopularItems;

/**
 * The most interacted-with items overall, by decayed count (DESIGN.md section 12): the fallback that
 * fills a list when a user's recent items have too few neighbours (a new user has none). The item
 * gate reports an item's exact decayed count with each counted interaction; the table keeps the
 * {@code capacity} largest reported counts (an item that drops out comes back with its next report),
 * relative to a reference time ({@link Decay}), so comparing them needs no decay.
 */
public final class Popularity {
    private final long halfLifeMs;
    private final int capacity;

    /**
     * @param halfLifeMs half-life of the counts, ms
     * @param capacity items kept
     */
    public Popularity(long halfLifeMs, int capacity) {
        this.halfLifeMs = halfLifeMs;
        this.capacity = capacity;
    }

    /** @return an empty table with reference time {@code t} */
    public static PopularItems empty(long t) {
        return PopularItems.newBuilder()
                .setTime(t)
                .setReferenceTime(t)
                .setItems(new ArrayList<>())
                .setCounts(new ArrayList<>())
                .build();
    }

    /** Item {@code item} has decayed count {@code count} at {@code t}. */
    public void report(PopularItems table, String item, double count, long t) {
        if (Decay.needsRebase(t, table.getReferenceTime(), halfLifeMs)) {
            double factor = Decay.toReference(table.getReferenceTime(), t, halfLifeMs);
            table.getCounts().replaceAll(v -> v * factor);
            table.setReferenceTime(t);
        }
        double stored = count * Decay.toReference(t, table.getReferenceTime(), halfLifeMs);
        int i = table.getItems().indexOf(item);
        if (i < 0) {
            table.getItems().add(item);
            table.getCounts().add(stored);
        } else {
            table.getCounts().set(i, stored);
        }
        table.setTime(Math.max(table.getTime(), t));
    }

    /**
     * Keeps the {@code capacity} largest counts (ties: smaller item id first) once the table holds
     * twice as many (so the sort is paid once per {@code capacity} new items).
     */
    public void trim(PopularItems table) {
        if (table.getItems().size() <= 2 * capacity) {
            return;
        }
        List<Integer> keep = ranked(table).subList(0, capacity);
        List<String> items = new ArrayList<>();
        List<Double> counts = new ArrayList<>();
        for (int i : keep) {
            items.add(table.getItems().get(i));
            counts.add(table.getCounts().get(i));
        }
        table.setItems(items);
        table.setCounts(counts);
    }

    /**
     * @param time the snapshot's time (ms): the table holds the counts of events before it
     * @return the {@code n} most popular items with their decayed counts at {@code time}, best first
     */
    public PopularItems snapshot(PopularItems table, long time, int n) {
        double scale = Decay.toReference(table.getReferenceTime(), time, halfLifeMs);
        List<String> items = new ArrayList<>();
        List<Double> counts = new ArrayList<>();
        for (int i : ranked(table)) {
            if (items.size() == n) {
                break;
            }
            items.add(table.getItems().get(i));
            counts.add(table.getCounts().get(i) * scale);
        }
        return PopularItems.newBuilder()
                .setTime(time)
                .setReferenceTime(time)
                .setItems(items)
                .setCounts(counts)
                .build();
    }

    private static List<Integer> ranked(PopularItems table) {
        return TopItems.order(table.getItems(), i -> table.getCounts().get(i));
    }
}
