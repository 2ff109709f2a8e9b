package org.attentionanalytics.privacy;

import org.attentionanalytics.io.AvroCoders;
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
import org.attentionanalytics.pipeline.CountedName;

/**
 * Sums bounded {@link TrendContribution}s per 1-hour window and releases each window once, with
 * discrete Laplace noise and suppression: {@code TopicTrend} of DESIGN.md section 9.
 *
 * <h2>The mechanism</h2>
 *
 * For a window {@code [h, h + 1 h)} and every category {@code c} of the fixed category set (in the
 * set's order):
 *
 * <pre>
 *   users~(c)   = users(c)   + Z_u,  Z_u ~ DiscreteLaplace(epsilon / 2, sensitivity 5)   (scale 5 / (epsilon / 2))
 *   minutes~(c) = minutes(c) + Z_m,  Z_m ~ DiscreteLaplace(epsilon / 2, sensitivity 60)  (scale 60 / (epsilon / 2))
 *   release TopicTrend{h, h + 1 h, c, users~(c), max(0, minutes~(c)), epsilon}  iff  users~(c) >= min-users (20)
 * </pre>
 *
 * where {@code users(c)} is the number of contributions (one per user who counts in {@code c}) and
 * {@code minutes(c)} the sum of their minutes, each clamped here to {@code [0, 12]} again. All noise
 * comes from one {@link SecureRandom} per subtask ({@link DiscreteLaplace}, exact sampler).
 *
 * <ul>
 *   <li><b>Sensitivity.</b> {@link TrendContributions} lets one user count in at most 5 categories
 *       per window with 1 user and at most 12 whole minutes in each: one user moves the vector of
 *       user counts by at most 5 (L1) and the vector of minutes by at most 60. The aggregator never
 *       sees who contributed (no pseudonym in a contribution), so it cannot enforce the 5-category
 *       bound itself: that is the per-user operator's job; it does re-clamp minutes.
 *   <li><b>The epsilon of one release.</b> Each of the two vectors gets noise calibrated to half of
 *       {@code epsilon} (option {@code --trends.epsilon}, default 1.0); by sequential composition
 *       the window's whole release is {@code epsilon}-DP (pure, delta = 0) with respect to adding or
 *       removing one user. The {@code epsilon} field of every record is this per-window total.
 *   <li><b>The public domain.</b> The category set is fixed by the rules file (public, the same in
 *       every window), and every category of it is noised and judged in every released window,
 *       whether or not anyone was active in it: a category whose true count is 0 is released about
 *       7 % of the time at the defaults ({@code P(Z_u >= 20)} with scale 10). Releasing only the
 *       categories that occur in the data, or dropping them on their true count, would make the
 *       absence of a category itself reveal that nobody (or somebody) was there, which no epsilon
 *       covers. The same holds for windows: every window from the first with activity on is
 *       released, the empty ones in between too (see "Which windows" below).
 *   <li><b>Suppression and clamping are post-processing.</b> Whether a category is published is
 *       decided on its <em>noisy</em> user count; negative noisy minutes become 0 after the noise.
 *       Neither looks at true values, so neither costs privacy. (A minutes value is drawn only for
 *       a released category; dropping the draw of a suppressed one is post-processing too.)
 *   <li><b>Composition over windows.</b> Each window's release costs {@code epsilon} for every user
 *       in it; a user active in {@code k} windows is covered by {@code k * epsilon} in total (basic
 *       composition), e.g. 24 for a user active every hour of a day at the default. Released values
 *       are never re-drawn or re-released: a window is released exactly once, and contributions
 *       that arrive for an already released window are dropped and counted ({@value
 *       #LATE_CONTRIBUTIONS}).
 * </ul>
 *
 * <h2>What a consumer may and may not conclude</h2>
 *
 * A released {@code users} value is the bounded count plus noise with standard deviation about 14
 * (default epsilon), {@code engaged_minutes} about 170 minutes: compare categories and hours only
 * with differences well above that. Values near the threshold can be pure noise (categories with
 * nobody in them are released about 7 % of the time); a missing category means "few or none", never
 * "none"; released categories are biased upwards (selected for a high noisy count); clamped minutes
 * are biased upwards for small categories. The counts are of the bounded contributions (at most 5
 * categories and 12 minutes a user and hour), so they undercount heavy users. Nothing in them tells
 * whether a given person was active: that is the point of epsilon, and it weakens with every window
 * the person is in (composition above). See {@link DiscreteLaplace} for the noise itself.
 *
 * <h2>Which windows, and when</h2>
 *
 * Key: one constant ({@link #KEY}), since releasing the whole domain of a window needs all its
 * categories in one place; the volume is at most 5 small records per active user and hour. The
 * per-user operator emits a window's contributions when the watermark reaches its end plus the
 * allowed lateness ({@link TrendContributions#deadline}), before it forwards that watermark. So when
 * the aggregator's watermark (the minimum over its inputs) reaches the same deadline, every
 * contribution of the window has arrived: the release timer is at exactly {@code h + 1 h + allowed
 * lateness}. On that timer the aggregator releases, in time order, every window whose deadline the
 * watermark has reached, and before each one the windows without contributions since the last
 * released one (noise only, so a quiet hour looks like any other), except across gaps of more than
 * {@value #MAX_FILLED_WINDOWS} windows (a week without any activity is taken to be public, and is
 * counted in {@value #SKIPPED_WINDOWS}). Windows before the first and after the latest window with
 * activity are not released: the job's period of operation is treated as public. A bounded run
 * therefore ends with the last window that had activity.
 *
 * <p>State: the true sums of unreleased windows ({@value #SUMS_STATE}, map of window start to
 * {@link TrendWindowSums}) and the start of the last released window ({@value #CURSOR_STATE}); both
 * Avro or basic types, no Kryo.
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
    if (categories == null || categories.isEmpty() || categories.stream().distinct().count() != categories.size()) {
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
    if ((last != null && window <= last) || releaseTime(window) <= ctx.timerService().currentWatermark()) {
      late.inc(); // released already (or due without its timer): never re-release
      return;
    }
    TrendWindowSums s = sums.get(window);
    if (s == null) {
      s = TrendWindowSums.newBuilder().setWindowStart(window)
          .setUsers(new HashMap<>()).setMinutes(new HashMap<>()).build();
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
          for (long empty = last + TrendContributions.WINDOW_MS; empty < w; empty += TrendContributions.WINDOW_MS) {
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
