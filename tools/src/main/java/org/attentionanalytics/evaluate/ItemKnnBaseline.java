package org.attentionanalytics.evaluate;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The exact, unbounded online item-kNN baseline of session-based recommendation (Item-KNN in
 * Hidasi et al., GRU4Rec, ICLR 2016; Ludewig and Jannach, "Evaluation of session-based
 * recommendation algorithms", 2018; used as a baseline in Wu et al., SR-GNN, AAAI 2019): the
 * neighbours of an item {@code a} are the items {@code b} that shared a session with it, ranked by
 * the cosine of their session sets, {@code cos(a, b) = |S_a ∩ S_b| / sqrt(|S_a| |S_b|)} with
 * {@code S_x} the sessions seen so far that contain {@code x}. Views are added one at a time in
 * time order; {@link #neighbours} answers from the views added before it. Every co-occurrence is
 * kept (memory grows with the sum of squared session lengths). Not thread-safe.
 */
public final class ItemKnnBaseline {
    /** Items of each session seen so far. */
    private final Map<String, Set<String>> sessionItems = new HashMap<>();
    /** {@code |S_x|}: sessions containing each item. */
    private final Map<String, Long> sessions = new HashMap<>();
    /** {@code |S_a ∩ S_b|} for every pair of items that shared a session (both directions). */
    private final Map<String, Map<String, Long>> shared = new HashMap<>();

    /** Adds a view of {@code item} in {@code session}; a repeated item in a session changes nothing. */
    public void add(String session, String item) {
        Set<String> items = sessionItems.computeIfAbsent(session, s -> new HashSet<>());
        if (!items.add(item)) {
            return;
        }
        sessions.merge(item, 1L, Long::sum);
        for (String other : items) {
            if (!other.equals(item)) {
                shared.computeIfAbsent(item, i -> new HashMap<>()).merge(other, 1L, Long::sum);
                shared.computeIfAbsent(other, i -> new HashMap<>()).merge(item, 1L, Long::sum);
            }
        }
    }

    /**
     * The up to {@code n} items with the highest cosine to {@code item} (all above 0; never
     * {@code item} itself), highest first, ties by item id; empty for an item never seen with
     * another.
     */
    public List<String> neighbours(String item, int n) {
        Map<String, Long> with = shared.getOrDefault(item, Map.of());
        long size = sessions.getOrDefault(item, 0L);
        // keeps the n best: the worst of them at the head
        PriorityQueue<Neighbour> best = new PriorityQueue<>(Neighbour.BEST_FIRST.reversed());
        for (Map.Entry<String, Long> e : with.entrySet()) {
            best.add(new Neighbour(e.getKey(), e.getValue(), size * sessions.get(e.getKey())));
            if (best.size() > n) {
                best.poll();
            }
        }
        List<Neighbour> ranked = new ArrayList<>(best);
        ranked.sort(Neighbour.BEST_FIRST);
        return ranked.stream().map(Neighbour::item).toList();
    }

    /**
     * A neighbour and its cosine {@code common / sqrt(sizes)}, compared exactly (as {@code
     * common² / sizes}, cross-multiplied) so that equal cosines tie and fall to the item id.
     */
    private record Neighbour(String item, long common, long sizes) {
        static final Comparator<Neighbour> BEST_FIRST =
                ((Comparator<Neighbour>) Neighbour::compareCosine).reversed().thenComparing(Neighbour::item);

        static int compareCosine(Neighbour x, Neighbour y) {
            // x.common² * y.sizes vs y.common² * x.sizes
            try {
                return Long.compare(
                        Math.multiplyExact(Math.multiplyExact(x.common, x.common), y.sizes),
                        Math.multiplyExact(Math.multiplyExact(y.common, y.common), x.sizes));
            } catch (ArithmeticException overflow) {
                BigInteger left = BigInteger.valueOf(x.common).pow(2).multiply(BigInteger.valueOf(y.sizes));
                BigInteger right = BigInteger.valueOf(y.common).pow(2).multiply(BigInteger.valueOf(x.sizes));
                return left.compareTo(right);
            }
        }
    }
}
