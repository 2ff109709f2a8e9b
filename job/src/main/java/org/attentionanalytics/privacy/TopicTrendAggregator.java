package org.attentionanalytics.privacy;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.attentionanalytics.avro.TopicTrend;
import org.attentionanalytics.avro.internal.TrendContribution;
import org.attentionanalytics.avro.internal.TrendWindowSums;
import org.attentionanalytics.common.AvroCoders;
import org.attentionanalytics.pipeline.CountedName;

/**
 * Sums the bounded {@link TrendContribution}s of 1-hour windows and releases each window once as
 * {@code TopicTrend} records (DESIGN.md section 9; README "Topic trends"): every category of the
 * fixed set gets discrete Laplace noise on its user count and its minutes ({@link TopicTrendNoise},
 * half of epsilon each) and is suppressed when its noisy user count is below the threshold.
 *
 * <p>Key: one constant ({@link #KEY}), since the whole domain of a window is released together.
 * The per-user operator emits a window's contributions when the watermark reaches its end plus the
 * allowed lateness, so the release timer at exactly that time sees all of them. Windows without
 * contributions between two released ones are released too (noise only), except across gaps of
 * more than {@value #MAX_FILLED_WINDOWS} windows ({@value #SKIPPED_WINDOWS}); contributions for a
 * window already released are dropped and counted ({@value #LATE_CONTRIBUTIONS}). State: the true
 * sums of unreleased windows ({@value #SUMS_STATE}) and the last released window ({@value
 * #CURSOR_STATE}), Avro or basic types.
 */
public class TopicTrendAggregator extends KeyedProcessFunction<String, TrendContribution, TopicTrend> {
    private static final long serialVersionUID = 1L;

    /** The one key of the aggregator's keyed stream. */
    public static final String KEY = "all";
    /** Name of the map state: window start (ms) to the window's true sums. */
    public static final String SUMS_STATE = "trend-window-sums";
    /** Name of the value state: start of the last released window (ms), absent before the first. */
    public static final String CURSOR_STATE = "trend-last-released";
    /** Empty windows between two windows with activity are released up to this many (one week). */
    public static final int MAX_FILLED_WINDOWS = 7 * 24;

    /** Counter: windows released (empty filled ones included). */
    public static final String WINDOWS_RELEASED = "trendWindowsReleased";
    /** Counter: categories published (noisy users at or above the threshold). */
    public static final String CATEGORIES_RELEASED = "trendCategoriesReleased";
    /** Counter: categories suppressed (noisy users below the threshold). */
    public static final String CATEGORIES_SUPPRESSED = "trendCategoriesSuppressed";
    /** Counter: contributions that arrived after their window was released (dropped). */
    public static final String LATE_CONTRIBUTIONS = "trendContributionsLate";
    /** Counter: contributions naming a category outside the category set (dropped). */
    public static final String UNKNOWN_CATEGORY = "trendContributionsUnknownCategory";
    /** Counter: empty windows not released because they lay in a gap above {@link #MAX_FILLED_WINDOWS}. */
    public static final String SKIPPED_WINDOWS = "trendWindowsSkipped";

    private final List<String> categories;
    private final double epsilon;
    private final long minUsers;
    private final long latenessMs;
    private final Long testSeed;

    private transient MapState<Long, TrendWindowSums> sums;
    private transient ValueState<Long> lastReleased;
    private transient Map<String, Integer> index;
    private transient DiscreteLaplace userNoise;
    private transient DiscreteLaplace minuteNoise;
    private transient CountedName windowsReleased;
    private transient CountedName categoriesReleased;
    private transient CountedName categoriesSuppressed;
    private transient CountedName late;
    private transient CountedName unknown;
    private transient CountedName skipped;

    /**
     * The production aggregator: noise from {@link SecureRandom}.
     *
     * @param categories the fixed category set ({@code CategoryRules.categories()}), released in this order
     * @param epsilon the epsilon of one window's release, both measures together; positive and finite
     * @param minUsers categories with a noisy user count below this are suppressed (default 20)
     * @param latenessMs the per-user operator's allowed lateness, ms
     * @throws IllegalArgumentException on an empty or repeating category set, a bad epsilon or a negative lateness
     */
    public TopicTrendAggregator(List<String> categories, double epsilon, long minUsers, long latenessMs) {
        this(categories, epsilon, minUsers, latenessMs, null);
    }

    /**
     * For tests only: as above, with noise from a {@link SplittableRandom} seeded with {@code
     * seed} when it is not null (reproducible, not secure; the sequence restarts on every restore).
     */
    public TopicTrendAggregator(List<String> categories, double epsilon, long minUsers, long latenessMs, Long seed) {
        if (categories == null
                || categories.isEmpty()
                || categories.stream().distinct().count() != categories.size()) {
            throw new IllegalArgumentException("the category set must be non-empty and without repeats: " + categories);
        }
        TopicTrendNoise.splitEpsilon(epsilon); // validates
        if (latenessMs < 0) {
            throw new IllegalArgumentException("allowed lateness must not be negative: " + latenessMs);
        }
        this.categories = List.copyOf(categories);
        this.epsilon = epsilon;
        this.minUsers = minUsers;
        this.latenessMs = latenessMs;
        this.testSeed = seed;
    }

    /** @return the descriptor of the true sums of unreleased windows */
    public static MapStateDescriptor<Long, TrendWindowSums> sumsDescriptor() {
        return new MapStateDescriptor<>(SUMS_STATE, Types.LONG, new AvroTypeInfo<>(TrendWindowSums.class));
    }

    /** @return the descriptor of the start of the last released window */
    public static ValueStateDescriptor<Long> cursorDescriptor() {
        return new ValueStateDescriptor<>(CURSOR_STATE, Types.LONG);
    }

    @Override
    public void open(OpenContext openContext) {
        AvroCoders.useGeneratedCoders();
        sums = getRuntimeContext().getMapState(sumsDescriptor());
        lastReleased = getRuntimeContext().getState(cursorDescriptor());
        index = new HashMap<>();
        for (int i = 0; i < categories.size(); i++) {
            index.put(categories.get(i), i);
        }
        RandomGenerator random = testSeed == null ? new SecureRandom() : new SplittableRandom(testSeed);
        userNoise = TopicTrendNoise.userCounts(epsilon, random);
        minuteNoise = TopicTrendNoise.engagedMinutes(epsilon, random);
        windowsReleased = CountedName.register(getRuntimeContext(), WINDOWS_RELEASED);
        categoriesReleased = CountedName.register(getRuntimeContext(), CATEGORIES_RELEASED);
        categoriesSuppressed = CountedName.register(getRuntimeContext(), CATEGORIES_SUPPRESSED);
        late = CountedName.register(getRuntimeContext(), LATE_CONTRIBUTIONS);
        unknown = CountedName.register(getRuntimeContext(), UNKNOWN_CATEGORY);
        skipped = CountedName.register(getRuntimeContext(), SKIPPED_WINDOWS);
    }

    /** @return when the window starting at {@code windowStart} is released: end plus allowed lateness, ms */
    long releaseTime(long windowStart) {
        long t = windowStart + TrendContributions.WINDOW_MS + latenessMs;
        return t < windowStart ? Long.MAX_VALUE : t;
    }

    @Override
    public void processElement(TrendContribution c, Context ctx, Collector<TopicTrend> out) throws Exception {
        String category = c.getCategory();
        if (!index.containsKey(category)) {
            unknown.inc();
            return;
        }
        long window = TrendContributions.windowStart(c.getWindowStart());
        Long last = lastReleased.value();
        if ((last != null && window <= last)
                || releaseTime(window) <= ctx.timerService().currentWatermark()) {
            late.inc(); // released already (or due without its timer): never re-release
            return;
        }
        TrendWindowSums s = sums.get(window);
        if (s == null) {
            s = TrendWindowSums.newBuilder()
                    .setWindowStart(window)
                    .setUsers(new HashMap<>())
                    .setMinutes(new HashMap<>())
                    .build();
            ctx.timerService().registerEventTimeTimer(releaseTime(window));
        }
        long minutes = Math.max(0, Math.min(TopicTrendNoise.MAX_ENGAGED_MINUTES_PER_CATEGORY, c.getMinutes()));
        s.getUsers().merge(category, 1L, Long::sum);
        s.getMinutes().merge(category, minutes, Long::sum);
        sums.put(window, s);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TopicTrend> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        List<Long> dueWindows = new ArrayList<>();
        for (Long w : sums.keys()) {
            if (releaseTime(w) <= watermark) {
                dueWindows.add(w);
            }
        }
        if (dueWindows.isEmpty()) {
            return;
        }
        dueWindows.sort(null);
        Long last = lastReleased.value();
        for (long w : dueWindows) {
            if (last != null) {
                long gap = (w - last) / TrendContributions.WINDOW_MS - 1;
                if (gap > MAX_FILLED_WINDOWS) {
                    skipped.add(gap);
                } else {
                    for (long empty = last + TrendContributions.WINDOW_MS;
                            empty < w;
                            empty += TrendContributions.WINDOW_MS) {
                        release(empty, null, out);
                    }
                }
            }
            release(w, sums.get(w), out);
            sums.remove(w);
            last = w;
        }
        lastReleased.update(last);
    }

    /** Noises and judges every category of the window (true sums {@code s}, null: none) and emits the released ones. */
    private void release(long window, TrendWindowSums s, Collector<TopicTrend> out) {
        for (String category : categories) {
            long users = s == null ? 0 : s.getUsers().getOrDefault(category, 0L);
            long noisyUsers = userNoise.addNoise(users);
            if (noisyUsers < minUsers) {
                categoriesSuppressed.inc();
                continue;
            }
            long minutes = s == null ? 0 : s.getMinutes().getOrDefault(category, 0L);
            long noisyMinutes = Math.max(0, minuteNoise.addNoise(minutes));
            out.collect(TopicTrend.newBuilder()
                    .setWindowStart(Instant.ofEpochMilli(window))
                    .setWindowEnd(Instant.ofEpochMilli(window + TrendContributions.WINDOW_MS))
                    .setCategory(category)
                    .setUsers(noisyUsers)
                    .setEngagedMinutes(noisyMinutes)
                    .setEpsilon(epsilon)
                    .build());
            categoriesReleased.inc();
        }
        windowsReleased.inc();
    }
}
