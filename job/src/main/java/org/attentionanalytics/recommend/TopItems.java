package org.attentionanalytics.recommend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.IntToDoubleFunction;

/** The order every ranked list here uses: descending score, ties by item id, so ties never depend on arrival order. */
final class TopItems {
    private TopItems() {}

    /** @return the indexes of {@code items} by descending {@code score(i)}, ties by ascending item id */
    static List<Integer> order(List<String> items, IntToDoubleFunction score) {
        Comparator<Integer> better = better(items, score);
        List<Integer> order = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            order.add(i);
        }
        order.sort(better);
        return order;
    }

    /**
     * @return the indexes of the best {@code n} of {@code items} in {@link #order} (a bounded heap when
     *     {@code n} is smaller than the list: n log n, not a sort of all)
     */
    static List<Integer> top(List<String> items, IntToDoubleFunction score, int n) {
        if (n >= items.size()) {
            return order(items, score);
        }
        Comparator<Integer> better = better(items, score);
        PriorityQueue<Integer> kept = new PriorityQueue<>(n + 1, better.reversed()); // the worst kept on top
        for (int i = 0; i < items.size(); i++) {
            kept.add(i);
            if (kept.size() > n) {
                kept.poll();
            }
        }
        List<Integer> top = new ArrayList<>(kept);
        top.sort(better);
        return top;
    }

    /** Descending score ({@link Double#compare}), then ascending item id; each score read once. */
    private static Comparator<Integer> better(List<String> items, IntToDoubleFunction score) {
        double[] s = new double[items.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = score.applyAsDouble(i);
        }
        return (a, b) -> {
            int c = Double.compare(s[b], s[a]);
            return c != 0 ? c : items.get(a).compareTo(items.get(b));
        };
    }
}
