package org.attentionanalytics.recommend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/** The order every ranked list here uses: descending score, ties by item id, so ties never depend on arrival order. */
final class TopItems {
    private TopItems() {}

    /** @return the indexes of {@code items} by descending {@code score(i)}, ties by ascending item id */
    static List<Integer> order(List<String> items, IntToDoubleFunction score) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.<Integer>comparingDouble(score::applyAsDouble)
                .reversed()
                .thenComparing(items::get));
        return order;
    }

    /** @return the indexes of the best {@code n} of {@code items} in {@link #order} */
    static List<Integer> top(List<String> items, IntToDoubleFunction score, int n) {
        List<Integer> order = order(items, score);
        return order.subList(0, Math.min(n, order.size()));
    }
}
