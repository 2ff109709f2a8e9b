package org.attentionanalytics.evaluate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The popularity baseline of session-based recommendation (POP in Ludewig and Jannach 2018): the
 * items viewed most often so far, over all users, ties by item id. Views are added one at a time in
 * time order; {@link #top} answers from the views added before it. Not thread-safe.
 */
public final class PopularityBaseline {
    private record Count(String item, long views) {}

    private static final Comparator<Count> MOST_VIEWED =
            Comparator.comparingLong(Count::views).reversed().thenComparing(Count::item);

    private final Map<String, Long> views = new HashMap<>();
    private final TreeSet<Count> ranking = new TreeSet<>(MOST_VIEWED);

    /** Counts one view of {@code item}. */
    public void add(String item) {
        long before = views.getOrDefault(item, 0L);
        if (before > 0) {
            ranking.remove(new Count(item, before));
        }
        views.put(item, before + 1);
        ranking.add(new Count(item, before + 1));
    }

    /** The {@code n} most viewed items so far, most viewed first, ties by item id (fewer if fewer were viewed). */
    public List<String> top(int n) {
        List<String> top = new ArrayList<>(n);
        for (Count c : ranking) {
            if (top.size() == n) {
                break;
            }
            top.add(c.item());
        }
        return top;
    }
}
