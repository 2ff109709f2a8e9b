package org.attentionanalytics.recommend;

import java.util.ArrayList;
import java.util.List;
import org.attentionanalytics.avro.internal.ItemRow;

/**
 * One item's row of the item-to-item table (DESIGN.md section 12): its decayed interaction count
 * n(a), and for at most k neighbours b the decayed number of session co-occurrences C(a, b) and b's
 * count n(b) as last reported. Similarity is the cosine of Linden, Smith and York (2003) over
 * co-occurrence, {@code C(a,b) / sqrt(n(a) n(b))}; all three decay alike, so the cosine does not
 * change with time alone. Counts are stored relative to the row's reference time ({@link Decay}).
 * Holds no user id.
 */
public final class ItemTable {
    private final long halfLifeMs;
    private final int neighbours;

    /** An answer to a query: neighbours and their similarities, best first. */
    public record Neighbours(List<String> items, List<Double> similarities) {}

    /**
     * @param halfLifeMs half-life of the counts, ms
     * @param neighbours k: the most similar neighbours kept
     */
    public ItemTable(long halfLifeMs, int neighbours) {
        this.halfLifeMs = halfLifeMs;
        this.neighbours = neighbours;
    }

    /** @return an empty row whose reference time is {@code t} */
    public static ItemRow emptyRow(long t) {
        return ItemRow.newBuilder()
                .setReferenceTime(t)
                .setCount(0)
                .setCountTime(Long.MIN_VALUE)
                .setNeighbours(new ArrayList<>())
                .setCooccurrences(new ArrayList<>())
                .setNeighbourCounts(new ArrayList<>())
                .build();
    }

    /** The item's interaction count is {@code count} at {@code t}; an older report than the row's is ignored. */
    public void setCount(ItemRow row, double count, long t) {
        if (t < row.getCountTime()) {
            return;
        }
        rebaseFor(row, t);
        row.setCount(count * Decay.toReference(t, row.getReferenceTime(), halfLifeMs));
        row.setCountTime(t);
    }

    /** The item co-occurred in a session at {@code t} with {@code other}, whose interaction count was {@code otherCount}. */
    public void addPair(ItemRow row, String other, double otherCount, long t) {
        rebaseFor(row, t);
        double scale = Decay.toReference(t, row.getReferenceTime(), halfLifeMs);
        int i = row.getNeighbours().indexOf(other);
        if (i < 0) {
            row.getNeighbours().add(other);
            row.getCooccurrences().add(scale);
            row.getNeighbourCounts().add(otherCount * scale);
        } else {
            row.getCooccurrences().set(i, row.getCooccurrences().get(i) + scale);
            row.getNeighbourCounts().set(i, otherCount * scale);
        }
    }

    /** @return the cosine similarity of the row's item and its {@code i}-th neighbour, 0 without counts */
    public static double similarity(ItemRow row, int i) {
        double product = row.getCount() * row.getNeighbourCounts().get(i);
        return product <= 0 ? 0 : Math.min(1.0, row.getCooccurrences().get(i) / Math.sqrt(product));
    }

    /** Keeps the k most similar neighbours (ties: smaller item id first), dropping the others' counts. */
    public void trim(ItemRow row) {
        if (row.getNeighbours().size() <= neighbours) {
            return;
        }
        List<Integer> keep = ranked(row).subList(0, neighbours);
        List<String> items = new ArrayList<>();
        List<Double> co = new ArrayList<>();
        List<Double> counts = new ArrayList<>();
        for (int i : keep) {
            items.add(row.getNeighbours().get(i));
            co.add(row.getCooccurrences().get(i));
            counts.add(row.getNeighbourCounts().get(i));
        }
        row.setNeighbours(items);
        row.setCooccurrences(co);
        row.setNeighbourCounts(counts);
    }

    /** @return the {@code limit} most similar neighbours with a positive similarity, best first */
    public Neighbours query(ItemRow row, int limit) {
        List<String> items = new ArrayList<>();
        List<Double> sims = new ArrayList<>();
        for (int i : ranked(row)) {
            double s = similarity(row, i);
            if (items.size() == limit || s <= 0) {
                break;
            }
            items.add(row.getNeighbours().get(i));
            sims.add(s);
        }
        return new Neighbours(items, sims);
    }

    private static List<Integer> ranked(ItemRow row) {
        return TopItems.order(row.getNeighbours(), i -> similarity(row, i));
    }

    /** Moves the reference time to {@code t} when a value at {@code t} would be too far from it. */
    private void rebaseFor(ItemRow row, long t) {
        if (!Decay.needsRebase(t, row.getReferenceTime(), halfLifeMs)) {
            return;
        }
        double factor = Decay.toReference(row.getReferenceTime(), t, halfLifeMs);
        row.setReferenceTime(t);
        row.setCount(row.getCount() * factor);
        row.getCooccurrences().replaceAll(v -> v * factor);
        row.getNeighbourCounts().replaceAll(v -> v * factor);
    }
}
