package org.attentionanalytics.attention;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.attentionanalytics.avro.internal.AttentionState;
import org.attentionanalytics.avro.internal.DayState;
import org.attentionanalytics.avro.internal.HistoryDay;

/**
 * The user's own baseline of UNUSUAL_USAGE (DESIGN.md section 13): per category, the 90th
 * percentile by nearest rank of its engaged time over the user's last {@value #DAYS} local days
 * with activity (a day without time in the category counts 0), once at least {@value #MIN_DAYS}
 * such days exist; never below {@value #FLOOR_MS} ms. The nearest-rank percentile P of n sorted
 * values is the value at rank ceil(P / 100 * n) (the nearest-rank method; ActivityWatch users ask
 * for alerts against their own usage in aw-android issue 200). Reported days are kept in {@code
 * AttentionState.usage_history} as whole seconds, at most {@value #MAX_CATEGORIES} categories a day
 * (the largest); days not reported yet count from their tallies.
 */
final class UsageBaseline {
    /** Days of history the percentile is taken over. */
    static final int DAYS = 30;
    /** Fewest days of history that make a baseline. */
    static final int MIN_DAYS = 7;
    /** The percentile. */
    static final int PERCENTILE = 90;
    /** The smallest threshold, ms: a minute. */
    static final long FLOOR_MS = 60_000L;
    /** Categories kept per day of history. */
    static final int MAX_CATEGORIES = 16;

    private UsageBaseline() {}

    /** A reported day joins the history, which keeps its latest {@value #DAYS} days. */
    static void remember(AttentionState a, DayState day) {
        List<Long> engaged = day.getEngaged();
        Integer[] order = new Integer[engaged.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(
                order, Comparator.comparingLong((Integer i) -> -engaged.get(i)).thenComparingInt(i -> i));
        List<Integer> categories = new ArrayList<>();
        List<Integer> seconds = new ArrayList<>();
        for (int k = 0; k < order.length && categories.size() < MAX_CATEGORIES; k++) {
            long s = engaged.get(order[k]) / 1000;
            if (s > 0) {
                categories.add(order[k]);
                seconds.add((int) Math.min(Integer.MAX_VALUE, s));
            }
        }
        List<HistoryDay> history = a.getUsageHistory();
        int at = history.size();
        while (at > 0 && history.get(at - 1).getDate() > day.getDate()) {
            at--;
        }
        history.add(
                at,
                HistoryDay.newBuilder()
                        .setDate(day.getDate())
                        .setCategories(categories)
                        .setEngagedSeconds(seconds)
                        .build());
        if (history.size() > DAYS) {
            a.setUsageHistory(new ArrayList<>(history.subList(history.size() - DAYS, history.size())));
        }
    }

    /** A threshold: the engaged ms at which use is unusual, over {@code days} days of history. */
    record Threshold(long ms, int days) {}

    /**
     * @return the engaged ms in {@code category} at which its use on local date {@code date} is
     *     unusual and the days of history it stands on, or null when fewer than {@value #MIN_DAYS}
     *     days with activity come before it
     */
    static Threshold threshold(AttentionState a, int category, int date) {
        List<HistoryDay> history = a.getUsageHistory();
        if (history.size() + a.getDays().size() <= MIN_DAYS - 1) {
            return null; // on the per-event path: most users have too few days to look at them
        }
        List<Long> values = new ArrayList<>();
        for (HistoryDay h : history) {
            if (h.getDate() < date) {
                int k = h.getCategories().indexOf(category);
                values.add(k < 0 ? 0L : h.getEngagedSeconds().get(k) * 1000L);
            }
        }
        int lastReported = history.isEmpty()
                ? Integer.MIN_VALUE
                : history.get(history.size() - 1).getDate();
        for (DayState d : a.getDays()) {
            if (d.getDate() < date && d.getDate() > lastReported) {
                long ms = category < d.getEngaged().size() ? d.getEngaged().get(category) : 0L;
                values.add(ms / 1000 * 1000);
            }
        }
        if (values.size() > DAYS) {
            values = values.subList(values.size() - DAYS, values.size());
        }
        if (values.size() < MIN_DAYS) {
            return null;
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int rank = (int) Math.ceil(PERCENTILE / 100.0 * sorted.size());
        return new Threshold(Math.max(FLOOR_MS, sorted.get(rank - 1)), sorted.size());
    }
}
