package org.attentionanalytics.privacy;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.attentionanalytics.avro.internal.TrendContribution;
import org.attentionanalytics.avro.internal.TrendWindowState;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.common.Saturating;

/**
 * Bounds one user's contribution to the topic trends (DESIGN.md section 9) on the {@code
 * trend_windows} field of {@link UserState}; plain Java. Per user and 1-hour UTC window (of each
 * event's own time): at most {@value TopicTrendNoise#MAX_CATEGORIES_PER_USER} categories, those
 * with the most engaged ms (ties: the first in {@code CategoryRules.categories()}), each with 1
 * user and {@code min(12, floor(engaged_ms / 60000))} minutes: the sensitivities of {@link
 * TopicTrendNoise}. A window is due ({@link #due}) when the watermark reaches its end plus the
 * allowed lateness, after which every event of it would be TOO_LATE. Category indexes refer to the
 * {@code categories} given to the constructor; indexes beyond a changed list are dropped.
 */
public final class TrendContributions implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Length of a trend window: 1 hour, ms. */
    public static final long WINDOW_MS = 3_600_000L;

    private static final long MINUTE_MS = 60_000L;

    private final List<String> categories;
    private final long latenessMs;

    /**
     * @param categories the fixed category set, {@code CategoryRules.categories()}: names of the
     *     indexes passed to {@link #viewed} and {@link #engaged}
     * @param latenessMs the allowed lateness of the per-user operator, ms, at least 0
     * @throws IllegalArgumentException on an empty category list or a negative lateness
     */
    public TrendContributions(List<String> categories, long latenessMs) {
        if (categories == null || categories.isEmpty()) {
            throw new IllegalArgumentException("the category set is empty");
        }
        if (latenessMs < 0) {
            throw new IllegalArgumentException("allowed lateness must not be negative: " + latenessMs);
        }
        this.categories = List.copyOf(categories);
        this.latenessMs = latenessMs;
    }

    /** @return the start of the UTC hour that holds {@code t} (ms), also for negative times */
    public static long windowStart(long t) {
        return Math.floorDiv(t, WINDOW_MS) * WINDOW_MS;
    }

    /** @return when a window starting at {@code windowStart} is due: its end plus the allowed lateness, ms */
    public long deadline(long windowStart) {
        return Saturating.add(windowStart, WINDOW_MS + latenessMs);
    }

    /**
     * A view in category {@code categoryIndex} at event time {@code t} (ms): the user counts there in
     * the window of {@code t}, even with no engaged time.
     *
     * @throws IllegalArgumentException when {@code categoryIndex} is not an index of the category set
     */
    public void viewed(UserState state, int categoryIndex, long t) {
        add(state, categoryIndex, t, 0);
    }

    /**
     * Engaged time {@code ms} of a dwell at event time {@code t} (the dwell's own time, ms) in
     * category {@code categoryIndex}; a view's dwell shared by several categories is split by the
     * caller. Negative {@code ms} counts as 0; sums saturate at {@link Long#MAX_VALUE}.
     *
     * @throws IllegalArgumentException when {@code categoryIndex} is not an index of the category set
     */
    public void engaged(UserState state, int categoryIndex, long t, long ms) {
        add(state, categoryIndex, t, Math.max(0, ms));
    }

    /**
     * @return the earliest {@link #deadline} of the user's open windows (the event-time timer the
     *     per-user operator needs for them), or {@link Long#MAX_VALUE} when there is none
     */
    public long nextDeadline(UserState state) {
        long next = Long.MAX_VALUE;
        for (TrendWindowState w : state.getTrendWindows()) {
            next = Math.min(next, deadline(w.getWindowStart()));
        }
        return next;
    }

    /**
     * Removes the windows whose deadline the watermark has reached and returns their bounded
     * contributions: per window at most 5, in rank order (most engaged ms first, ties: lower category
     * index), windows in time order.
     *
     * @param watermark the current event-time watermark, ms
     */
    public List<TrendContribution> due(UserState state, long watermark) {
        List<TrendWindowState> windows = state.getTrendWindows();
        if (windows.isEmpty() || deadline(windows.get(0).getWindowStart()) > watermark) {
            return List.of();
        }
        List<TrendContribution> out = new ArrayList<>();
        List<TrendWindowState> keep = new ArrayList<>();
        for (TrendWindowState w : windows) {
            if (deadline(w.getWindowStart()) <= watermark) {
                bound(w, out);
            } else {
                keep.add(w);
            }
        }
        state.setTrendWindows(keep);
        return out;
    }

    /** Drops all open windows (erasure: the user's not yet released activity is forgotten). */
    public static void clear(UserState state) {
        state.setTrendWindows(new ArrayList<>());
    }

    /** Appends the bounded contributions of one window to {@code out}. */
    private void bound(TrendWindowState w, List<TrendContribution> out) {
        List<Integer> cats = w.getCategories();
        List<Long> ms = w.getEngagedMs();
        Integer[] order = new Integer[cats.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int byTime = Long.compare(ms.get(b), ms.get(a));
            return byTime != 0 ? byTime : Integer.compare(cats.get(a), cats.get(b));
        });
        int taken = 0;
        for (int i = 0; i < order.length && taken < TopicTrendNoise.MAX_CATEGORIES_PER_USER; i++) {
            int category = cats.get(order[i]);
            if (category < 0 || category >= categories.size()) {
                continue; // a category of an older rules file (see the class description)
            }
            long minutes = Math.min(TopicTrendNoise.MAX_ENGAGED_MINUTES_PER_CATEGORY, ms.get(order[i]) / MINUTE_MS);
            out.add(TrendContribution.newBuilder()
                    .setWindowStart(w.getWindowStart())
                    .setCategory(categories.get(category))
                    .setMinutes((int) minutes)
                    .build());
            taken++;
        }
    }

    private void add(UserState state, int categoryIndex, long t, long ms) {
        if (categoryIndex < 0 || categoryIndex >= categories.size()) {
            throw new IllegalArgumentException(
                    "category index " + categoryIndex + " outside the category set of " + categories.size());
        }
        long start = windowStart(t);
        List<TrendWindowState> windows = state.getTrendWindows();
        int at = 0;
        while (at < windows.size() && windows.get(at).getWindowStart() < start) {
            at++;
        }
        TrendWindowState w;
        if (at < windows.size() && windows.get(at).getWindowStart() == start) {
            w = windows.get(at);
        } else {
            w = TrendWindowState.newBuilder()
                    .setWindowStart(start)
                    .setCategories(new ArrayList<>())
                    .setEngagedMs(new ArrayList<>())
                    .build();
            if (!(windows instanceof ArrayList)) {
                windows = new ArrayList<>(windows);
                state.setTrendWindows(windows);
            }
            windows.add(at, w);
        }
        int i = w.getCategories().indexOf(categoryIndex);
        if (i < 0) {
            w.getCategories().add(categoryIndex);
            w.getEngagedMs().add(ms);
        } else {
            w.getEngagedMs().set(i, Saturating.add(w.getEngagedMs().get(i), ms));
        }
    }
}
