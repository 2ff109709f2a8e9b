package org.attentionanalytics.evaluate;

import java.util.List;

/**
 * Adds up how well ranked lists predicted the views they were scored on: recall@k (the share of
 * scored views whose item is among the list's first k) and MRR@k (the mean of 1/rank of the item,
 * 0 when it is not among the first k), over all scored views ("next item") and over those whose
 * item the user had never viewed before ("next new item"), as in the session-based
 * recommendation evaluations of Ludewig and Jannach, "Evaluation of session-based recommendation
 * algorithms" (2018) and Wu et al., SR-GNN (AAAI 2019). A view without a list counts as a miss.
 * Not thread-safe.
 */
public final class RankingScore {
    private final int k;
    private long scored;
    private long withList;
    private long hits;
    private double reciprocalRanks;
    private long newScored;
    private long newHits;
    private double newReciprocalRanks;

    /**
     * @param k the cut-off: only the first k items of a list count
     * @throws IllegalArgumentException if k < 1
     */
    public RankingScore(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, not " + k);
        }
        this.k = k;
    }

    /**
     * Scores one view.
     *
     * @param list the items in rank order (first = rank 1); null or empty: no list
     * @param item the item the user viewed
     * @param newItem whether the user had never viewed {@code item} before
     */
    public void add(List<String> list, String item, boolean newItem) {
        int rank = 0; // 0: not among the first k
        if (list != null && !list.isEmpty()) {
            withList++;
            int index = list.subList(0, Math.min(k, list.size())).indexOf(item);
            rank = index + 1;
        }
        double reciprocal = rank == 0 ? 0 : 1.0 / rank;
        scored++;
        hits += rank == 0 ? 0 : 1;
        reciprocalRanks += reciprocal;
        if (newItem) {
            newScored++;
            newHits += rank == 0 ? 0 : 1;
            newReciprocalRanks += reciprocal;
        }
    }

    /** The figures so far; a share over no views is 0. */
    public Figures figures() {
        return new Figures(
                share(hits, scored),
                mean(reciprocalRanks, scored),
                share(newHits, newScored),
                mean(newReciprocalRanks, newScored),
                scored,
                newScored,
                share(withList, scored));
    }

    private static double share(long part, long whole) {
        return whole == 0 ? 0 : part / (double) whole;
    }

    private static double mean(double sum, long count) {
        return count == 0 ? 0 : sum / count;
    }

    /**
     * One recommender's figures (shares in [0, 1]).
     *
     * @param recall recall@k over all scored views
     * @param mrr MRR@k over all scored views
     * @param newItemRecall recall@k over the views of items new to their user
     * @param newItemMrr MRR@k over the views of items new to their user
     * @param viewsScored scored views
     * @param newItemViewsScored scored views of items new to their user
     * @param coverage share of scored views that had a non-empty list
     */
    public record Figures(
            double recall,
            double mrr,
            double newItemRecall,
            double newItemMrr,
            long viewsScored,
            long newItemViewsScored,
            double coverage) {}
}
