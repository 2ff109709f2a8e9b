package org.attentionanalytics.attention;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.attentionanalytics.avro.AlertType;
import org.attentionanalytics.avro.AttentionAlert;
import org.attentionanalytics.avro.DailyAttentionReport;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.AttentionState;
import org.attentionanalytics.avro.internal.BudgetEntry;
import org.attentionanalytics.avro.internal.DayState;
import org.attentionanalytics.avro.internal.SessionState;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.avro.internal.ViewState;

/**
 * Attention metrics, alerts, budgets and daily reports of one user (DESIGN.md sections 7 and 8),
 * on the {@link AttentionState} inside {@link UserState}. Plain Java, no Flink: the per-user
 * operator calls it in event-time order, around {@code SessionTracker} ({@link #beginEvent}, the
 * tracker's callbacks {@link #viewStarted} and {@link #engaged}, then {@link #afterEvent}), for
 * budgets ({@link #applyBudget}) and when the watermark moves ({@link #emitReports}).
 *
 * <h2>Views and the rolling window</h2>
 *
 * The views started and ended, skims and topic switches of the last ten minutes: {@link
 * RollingWindow}.
 *
 * <p>{@code continuous_ms}, the time since the last break: {@link ContinuousUse}.
 *
 * <h2>Alerts</h2>
 *
 * Evaluated after each applied event, at its event time {@code t}: {@code INFORMATION_OVERLOAD}
 * (window: views, skim ratio and topic switches at their thresholds; not within the cooldown of the
 * previous one), {@code TAKE_A_BREAK} (continuous use at its threshold; once per stretch), {@code
 * TIME_BUDGET_EXCEEDED} (engaged ms of a category on the local day of {@code t} at or above the
 * budget in effect at {@code t}, and above 0; once per category per local day). {@code alert_id} =
 * hex of the first 16 bytes of SHA-256 of {@code pseudonym|TYPE|t|category} (no clock, no
 * randomness: a replay or a recovery computes the same ids). A user whose budget in effect at {@code
 * t} has {@code alerts_enabled} false gets none: the alert counts as raised for the cooldown and
 * once-rules, {@link Output#optedOut} is told, and it is not counted in the report.
 *
 * <h2>Budgets</h2>
 *
 * The timeline of budgets: {@link Budgets}. An entry that arrives behind the watermark re-checks
 * the unreported local days at once: a day already over the new budget gets its alert at {@code
 * max(updated_at, start of the day)}. Entries superseded before the oldest unreported day (and
 * before the watermark minus the allowed lateness) are dropped.
 *
 * <h2>Days and reports</h2>
 *
 * The tallies of each local day and its report: {@link DailyReports}; the category of a view or of
 * engaged time: {@link CategoryAttribution}.
 */
public final class AttentionTracker implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One-minute buckets in the window. */
  public static final int WINDOW_MINUTES = RollingWindow.MINUTES;
  private static final long MINUTE_MS = RollingWindow.MINUTE_MS;

  /** Where alerts, reports and contributions go. */
  public interface Output {
    /** An alert for a user who did not opt out (max-age is the caller's business). */
    void alert(AttentionAlert alert);

    /** A daily report. */
    void report(DailyAttentionReport report);

    /** An alert of {@code type} was raised for a user who opted out: not sent. */
    default void optedOut(AlertType type) {}

    /**
     * Everything attributed to a category passes here: {@code views} views started at {@code t}
     * (1 or 0), {@code engagedMs} engaged ms at event time {@code t}. Per-hour per-category
     * consumers (topic trends) hook in here.
     */
    default void contribution(String category, long t, long engagedMs, int views) {}
  }

  /** The rolling window's values. */
  public record Window(int views, int ended, int skims, int topicSwitches, long engagedMs) {
    /** @return skims / views ended, 0 when none ended */
    public double skimRatio() {
      return ended == 0 ? 0 : (double) skims / ended;
    }

    /** @return engaged ms / views ended, 0 when none ended */
    public double meanEngagedMs() {
      return ended == 0 ? 0 : (double) engagedMs / ended;
    }
  }

  private final AttentionSettings settings;
  private final RollingWindow window;
  private final ContinuousUse continuousUse;
  private final Budgets budgets;
  private final LocalDays days;
  private final CategoryAttribution attribution;
  private final DailyReports reports;

  public AttentionTracker(AttentionSettings settings) {
    this.settings = settings;
    this.window = new RollingWindow(settings);
    this.continuousUse = new ContinuousUse(settings);
    this.budgets = new Budgets(settings);
    this.days = new LocalDays(settings);
    this.attribution = new CategoryAttribution(settings);
    this.reports = new DailyReports(settings, days);
  }

  public AttentionSettings settings() {
    return settings;
  }

  // ---------------------------------------------------------------- per event

  /** Before the session tracker sees a click or dwell event: the latest time, the zone, the day. */
  public void beginEvent(UserState st, AttentionEvent e) {
    AttentionState a = attention(st);
    long t = e.getEventTime();
    if (e.getTimeZone() != null) {
      a.setEventZone(e.getTimeZone());
    }
    RollingWindow.advance(a, t);
    days.dayFor(a, t, true); // a day with events has a report, with or without dwell
  }

  /** Session tracker callback: a view started; counts it and its topic switch, attributes it to its category. */
  public void viewStarted(UserState st, SessionState session, ViewState v, Output out) {
    AttentionState a = attention(st);
    int main = CategoryAttribution.mainTopic(v.getTopics(), v.getTopicWeights());
    int category = attribution.categoryIndex(st, a, main);
    out.contribution(a.getCategories().get(category), v.getTime(), 0, 1);
    window.viewStarted(a, v.getTime(), main < 0 ? null : st.getTopicDictionary().get(main));
  }

  /**
   * Session tracker callback: {@code ms} engaged ms added at event time {@code t} to a view that
   * had {@code before}; {@code topics}/{@code shares} decide the category (of the main topic).
   */
  public void engaged(UserState st, List<Integer> topics, List<Double> shares, long before, long ms, long t,
      Output out) {
    AttentionState a = attention(st);
    int category = attribution.categoryIndex(st, a, CategoryAttribution.mainTopic(topics, shares));
    reports.engaged(a, category, before, ms, t);
    out.contribution(a.getCategories().get(category), t, ms, 0);
  }

  /** Session tracker callback: a session started (counted on the local day of its start). */
  public void sessionStarted(UserState st, SessionState s) {
    reports.sessionStarted(attention(st), s.getStart());
  }

  /** A session that started at {@code start} was merged into an earlier one: it no longer counts. */
  public void sessionSuperseded(UserState st, long start) {
    reports.sessionSuperseded(attention(st), start);
  }

  /** A session closed: its views not classified yet are, the last one ending at the session's end. */
  public void sessionClosed(UserState st, SessionState s) {
    AttentionState a = attention(st);
    RollingWindow.classifyAll(a, s);
    reports.longest(a, s);
  }

  /**
   * After a click or dwell event was applied by the session tracker: the stretch of continuous use,
   * views settled by now, then the alerts at the event's time.
   */
  public void afterEvent(UserState st, String user, AttentionEvent e, Output out) {
    AttentionState a = attention(st);
    long t = e.getEventTime();
    continuousUse.cover(a, e);
    for (SessionState s : st.getSessions()) {
      window.classifySettled(a, s, t);
    }
    String sessionId = sessionAt(st, t);
    Window w = window(st);
    if (w.views() >= settings.overloadViews() && w.skimRatio() >= settings.overloadSkimRatio()
        && w.topicSwitches() >= settings.overloadTopicSwitches()
        && (a.getLastOverloadAlert() == Long.MIN_VALUE || t - a.getLastOverloadAlert() >= settings.overloadCooldownMs())) {
      a.setLastOverloadAlert(t);
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("views", (double) w.views());
      metrics.put("views_ended", (double) w.ended());
      metrics.put("skim_ratio", w.skimRatio());
      metrics.put("topic_switches", (double) w.topicSwitches());
      metrics.put("mean_engaged_ms", w.meanEngagedMs());
      Map<String, Double> thresholds = new LinkedHashMap<>();
      thresholds.put("views", (double) settings.overloadViews());
      thresholds.put("skim_ratio", settings.overloadSkimRatio());
      thresholds.put("topic_switches", (double) settings.overloadTopicSwitches());
      thresholds.put("cooldown_ms", (double) settings.overloadCooldownMs());
      String message = String.format(Locale.ROOT,
          "%d items in %d minutes, %d%% of them skimmed, switching topics %d times. A pause, or saving items for later, may help.",
          w.views(), WINDOW_MINUTES, Math.round(100 * w.skimRatio()), w.topicSwitches());
      raise(st, a, user, AlertType.INFORMATION_OVERLOAD, t, sessionId, null, metrics, thresholds, message, out);
    }
    long continuous = continuousMs(st);
    if (!a.getBreakAlerted() && continuous >= settings.breakAfterMs()) {
      a.setBreakAlerted(true);
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("continuous_ms", (double) continuous);
      Map<String, Double> thresholds = new LinkedHashMap<>();
      thresholds.put("continuous_ms", (double) settings.breakAfterMs());
      thresholds.put("break_gap_ms", (double) settings.breakGapMs());
      String message = String.format(Locale.ROOT,
          "You have been reading for %d minutes without a break of %d minutes. A short pause away from the screen may help.",
          continuous / MINUTE_MS, settings.breakGapMs() / MINUTE_MS);
      raise(st, a, user, AlertType.TAKE_A_BREAK, t, sessionId, null, metrics, thresholds, message, out);
    }
    DayState day = days.dayFor(a, t, false);
    if (day != null) {
      checkBudgets(st, a, user, day, t, sessionId, out);
    }
  }

  // ---------------------------------------------------------------- budgets

  /**
   * An {@code AttentionBudget} (a BUDGET event: event time = {@code updated_at}) reaches its time:
   * adds it to the timeline, re-checks the unreported days that end after it (a day already over
   * the new budget gets its alert at {@code max(updated_at, start of the day)}), and drops entries
   * no longer needed.
   *
   * @param watermark the current watermark (ms): entries needed by events up to the allowed
   *     lateness behind it are kept
   */
  public void applyBudget(UserState st, String user, AttentionEvent budget, long watermark, Output out) {
    AttentionState a = attention(st);
    long from = Budgets.add(a, budget).getFrom();
    for (DayState day : new ArrayList<>(a.getDays())) {
      if (day.getEnd() <= from) {
        continue;
      }
      long t = Math.max(from, days.start(a, day));
      checkBudgets(st, a, user, day, t, sessionAt(st, t), out);
    }
    budgets.prune(a, watermark);
  }

  private void checkBudgets(UserState st, AttentionState a, String user, DayState day, long t, String sessionId,
      Output out) {
    BudgetEntry budget = Budgets.inEffect(a, t);
    if (budget == null) {
      return;
    }
    for (int k = 0; k < budget.getCategories().size(); k++) {
      String category = budget.getCategories().get(k);
      int index = a.getCategories().indexOf(category);
      if (index < 0 || index >= day.getEngaged().size() || day.getBudgetAlerted().contains(index)) {
        continue;
      }
      long engaged = day.getEngaged().get(index);
      long minutes = budget.getMinutes().get(k);
      if (engaged > 0 && engaged >= minutes * MINUTE_MS) {
        day.getBudgetAlerted().add(index);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("engaged_minutes", engaged / (double) MINUTE_MS);
        Map<String, Double> thresholds = new LinkedHashMap<>();
        thresholds.put("budget_minutes", (double) minutes);
        String message = String.format(Locale.ROOT,
            "You have spent %d minutes on %s today; your daily budget for it is %d minutes.",
            engaged / MINUTE_MS, category, minutes);
        raise(st, a, user, AlertType.TIME_BUDGET_EXCEEDED, t, sessionId, category, metrics, thresholds, message, out);
      }
    }
  }

  // ---------------------------------------------------------------- alerts

  private void raise(UserState st, AttentionState a, String user, AlertType type, long t, String sessionId,
      String category, Map<String, Double> metrics, Map<String, Double> thresholds, String message, Output out) {
    BudgetEntry budget = Budgets.inEffect(a, t);
    if (budget != null && !budget.getAlertsEnabled()) {
      out.optedOut(type);
      return;
    }
    reports.alertRaised(a, type, t);
    out.alert(AttentionAlert.newBuilder().setAlertId(alertId(user, type, t, category)).setUser(user).setType(type)
        .setEventTime(Instant.ofEpochMilli(t)).setSessionId(sessionId).setMetrics(metrics).setThresholds(thresholds)
        .setMessage(message).setCategory(category).build());
  }

  /**
   * @return hex of the first 16 bytes of SHA-256 of {@code pseudonym|TYPE|t|category} ({@code
   *     category} empty for types without one): the same alert gets the same id in every run
   */
  public static String alertId(String user, AlertType type, long t, String category) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(
          (user + "|" + type.name() + "|" + t + "|" + (category == null ? "" : category)).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- days and reports

  /**
   * Emits the report of every day whose end plus the inactivity gap plus the allowed lateness the
   * watermark has reached, in date order, and forgets those days (and the budgets only they needed).
   */
  public void emitReports(UserState st, String user, long watermark, Output out) {
    if (reports.emit(st, user, watermark, out)) {
      budgets.prune(st.getAttention(), watermark);
    }
  }

  /** Sessions about to leave state ({@code end + gap + lateness <= watermark}) leave their duration on their start day. */
  public void beforeCleanUp(UserState st, long watermark) {
    reports.beforeCleanUp(st, watermark);
  }

  /** @return the earliest watermark at which a day's report is due, or MAX_VALUE */
  public long nextDeadline(UserState st) {
    return reports.nextDeadline(st.getAttention());
  }

  /** @return true when no unreported day and no budget is left (the state may go) */
  public static boolean isEmpty(UserState st) {
    AttentionState a = st.getAttention();
    return a == null || (a.getDays().isEmpty() && a.getBudgets().isEmpty());
  }

  // ---------------------------------------------------------------- readings

  /** @return the rolling window's sums as of the latest event applied (all 0 without state) */
  public Window window(UserState st) {
    return RollingWindow.metrics(st.getAttention());
  }

  /** @return the length of the current stretch of use without a break, ms (0 without state) */
  public long continuousMs(UserState st) {
    return ContinuousUse.continuousMs(st.getAttention());
  }

  // ---------------------------------------------------------------- helpers

  /** @return the session holding {@code t} ({@code start <= t <= end}), or null */
  private static String sessionAt(UserState st, long t) {
    for (SessionState s : st.getSessions()) {
      if (s.getStart() <= t && t <= s.getEnd()) {
        return s.getSessionId();
      }
    }
    return null;
  }

  /** @return the user's attention state, created with empty buckets when missing */
  static AttentionState attention(UserState st) {
    AttentionState a = st.getAttention();
    if (a == null) {
      a = RollingWindow.withEmptyBuckets(AttentionState.newBuilder()).setCategories(new ArrayList<>())
          .setBudgets(new ArrayList<>()).setDays(new ArrayList<>()).build();
      st.setAttention(a);
    }
    return a;
  }
}
