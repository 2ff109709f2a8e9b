package org.attentionanalytics.recommend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * User-based collaborative filtering (Resnick et al., "GroupLens", CSCW 1994): the score of item i
 * for user u is {@code sum over neighbours v of sim(u, v) x r(v, i)}, sim the cosine of the
 * interest vectors ({@link SimilarUsers}) and r(v, i) the neighbour's weight for the item (its
 * decayed views). An item is proposed only when at least {@code minSupport} distinct neighbours
 * have it, so a list never reveals what one other user viewed ({@code --recs.min-similar-users}).
 */
public final class NeighbourItems {
    private NeighbourItems() {}

    /** A proposed item: its score (similarity-weighted views) and how many neighbours have it. */
    public record Candidate(String item, double score, int support) {}

    /**
     * @param neighbours the user's neighbours, each once
     * @param itemsOf each neighbour's items with r(v, i) &gt; 0; a neighbour missing here has none
     * @param minSupport fewest distinct neighbours an item needs (at least 1)
     * @param excluded items never proposed (the user's own recent and bought items)
     * @param size most candidates returned
     * @return by descending score, ties by item id; sums add contributions in ascending order, so
     *     they do not depend on the order of the neighbours
     * @throws IllegalArgumentException for minSupport below 1
     */
    public static List<Candidate> score(
            List<SimilarUsers.Neighbour> neighbours,
            Map<String, Map<String, Double>> itemsOf,
            int minSupport,
            Set<String> excluded,
            int size) {
        if (minSupport < 1) {
            throw new IllegalArgumentException("minSupport must be at least 1, got " + minSupport);
        }
        Map<String, List<Double>> contributions = new TreeMap<>();
        for (SimilarUsers.Neighbour v : neighbours) {
            for (Map.Entry<String, Double> e :
                    itemsOf.getOrDefault(v.user(), Map.of()).entrySet()) {
                if (e.getValue() > 0 && !excluded.contains(e.getKey())) {
                    contributions
                            .computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                            .add(v.similarity() * e.getValue());
                }
            }
        }
        List<String> items = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        List<Integer> supports = new ArrayList<>();
        contributions.forEach((item, parts) -> {
            if (parts.size() >= minSupport) {
                parts.sort(null);
                double sum = 0;
                for (double p : parts) {
                    sum += p;
                }
                items.add(item);
                scores.add(sum);
                supports.add(parts.size());
            }
        });
        List<Candidate> out = new ArrayList<>();
        for (int i : TopItems.top(items, scores::get, size)) {
            out.add(new Candidate(items.get(i), scores.get(i), supports.get(i)));
        }
        return out;
    }
}
