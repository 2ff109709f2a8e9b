package org.attentionanalytics.attention;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
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
 * The zone at {@code t} and the record of each local day: {@link LocalDays}. Each local day with
 * an event gets a {@link DayState}: engaged ms by category (each dwell on the day of its own event time, so a session from
 * 23:50 to 00:10 adds to both days), sessions started on the day (minus those merged into another),
 * the longest of those (their duration when they leave state, or at report time for sessions still
 * in state), alerts by type with event time on the day (including those held back by {@code
 * alerts.max-age}, so a report does not depend on when it was computed), and focused ms: when a
 * view's engaged time reaches 30 s ({@value AttentionSettings#FOCUSED_FROM_MS} ms, Kim et al.'s
 * "satisfied click"), its whole engaged time so far is added on the day of the dwell that crossed,
 * and later dwell of the view on the day of each dwell. A view that crosses 30 s just after
 * midnight therefore moves its earlier engaged time into the new day's focused ms: {@code
 * focus_ratio} = focused / engaged is clamped to [0, 1]. The report of day D goes out when the
 * watermark reaches the end of D (the next local midnight, {@code ZonedDateTime}: 23- and 25-hour
 * days) plus the inactivity gap plus the allowed lateness; the {@code zone} field is the zone at
 * the day's last millisecond.
 *
 * <p>One place attributes a contribution to a category: {@link #contribute} (a view started, or
 * engaged time at an event time). Per-hour per-category consumers (topic trends) hook in there
 * through {@link Output#contribution}.
 */
public final class AttentionTracker implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One-minute buckets in the window. */
  public static final int WINDOW_MINUTES = RollingWindow.MINUTES;
  private static final long MINUTE_MS = RollingWindow.MINUTE_MS;
  private static final AlertType[] TYPES = AlertType.values();

  /** Where alerts, reports and contributions go. */
  public interface Output {
    /** An alert for a user who did not opt out (max-age is the caller's business). */
    void alert(AttentionAlert alert);

    /** A daily report. */
    void report(DailyAttentionReport report);

    /** An alert of {@code type} was raised for a user who opted out: not sent. */
    default void optedOut(AlertType type) {}

    /**
     * Everything attributed to a category passes here ({@link #contribute}): {@code views} views
     * started at {@code t} (1 or 0), {@code engagedMs} engaged ms at event time {@code t}.
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

  public AttentionTracker(AttentionSettings settings) {
    this.settings = settings;
    this.window = new RollingWindow(settings);
    this.continuousUse = new ContinuousUse(settings);
    this.budgets = new Budgets(settings);
    this.days = new LocalDays(settings);
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
    int main = mainTopic(v.getTopics(), v.getTopicWeights());
    contribute(st, a, categoryIndex(st, a, main), v.getTime(), 0, 1, out);
    window.viewStarted(a, v.getTime(), main < 0 ? null : st.getTopicDictionary().get(main));
  }

  /**
   * Session tracker callback: {@code ms} engaged ms added at event time {@code t} to a view that
   * had {@code before}; {@code topics}/{@code shares} decide the category (of the main topic).
   */
  public void engaged(UserState st, List<Integer> topics, List<Double> shares, long before, long ms, long t,
      Output out) {
    AttentionState a = attention(st);
    contribute(st, a, categoryIndex(st, a, mainTopic(topics, shares)), t, ms, 0, out);
    DayState day = days.dayFor(a, t, true);
    if (day == null || ms <= 0) {
      return;
    }
    long focusFrom = AttentionSettings.FOCUSED_FROM_MS;
    if (before >= focusFrom) {
      day.setFocusedMs(day.getFocusedMs() + ms);
    } else if (before + ms >= focusFrom) {
      day.setFocusedMs(day.getFocusedMs() + before + ms);
    }
  }

  /**
   * The one place where a contribution is attributed to a category: {@code views} views started
   * at {@code t}, {@code engagedMs} engaged ms at event time {@code t} (added to the local day of
   * {@code t}). Every caller passes here, so a consumer of per-category, per-hour contributions
   * (topic trends) hooks in at {@link Output#contribution}.
   */
  void contribute(UserState st, AttentionState a, int category, long t, long engagedMs, int views, Output out) {
    if (engagedMs > 0) {
      DayState day = days.dayFor(a, t, true);
      if (day != null) {
        List<Long> engaged = day.getEngaged();
        while (engaged.size() <= category) {
          engaged.add(0L);
        }
        engaged.set(category, engaged.get(category) + engagedMs);
      }
    }
    out.contribution(a.getCategories().get(category), t, engagedMs, views);
  }

  /** Session tracker callback: a session started (counted on the local day of its start). */
  public void sessionStarted(UserState st, SessionState s) {
    DayState day = days.dayFor(attention(st), s.getStart(), true);
    if (day != null) {
      day.setSessions(day.getSessions() + 1);
    }
  }

  /** A session that started at {@code start} was merged into an earlier one: it no longer counts. */
  public void sessionSuperseded(UserState st, long start) {
    DayState day = days.dayFor(attention(st), start, false);
    if (day != null && day.getSessions() > 0) {
      day.setSessions(day.getSessions() - 1);
    }
  }

  /** A session closed: its views not classified yet are, the last one ending at the session's end. */
  public void sessionClosed(UserState st, SessionState s) {
    AttentionState a = attention(st);
    RollingWindow.classifyAll(a, s);
    longest(st, a, s);
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
   * adds it to the timeline, re-checks the unreported days that end after it, and drops entries no
   * longer needed.
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
    DayState day = days.dayFor(a, t, false);
    if (day != null) {
      List<Integer> alerts = day.getAlerts();
      while (alerts.size() < TYPES.length) {
        alerts.add(0);
      }
      alerts.set(type.ordinal(), alerts.get(type.ordinal()) + 1);
    }
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

  // ---------------------------------------------------------------- readings

  /** @return the rolling window's sums as of the latest event applied (all 0 without state) */
  public Window window(UserState st) {
    return RollingWindow.metrics(st.getAttention());
  }

  /** @return the length of the current stretch of use without a break, ms (0 without state) */
  public long continuousMs(UserState st) {
    return ContinuousUse.continuousMs(st.getAttention());
  }

  // ---------------------------------------------------------------- days and reports

  /**
   * Emits the report of every day whose end plus the inactivity gap plus the allowed lateness the
   * watermark has reached, in date order, and forgets those days.
   */
  public void emitReports(UserState st, String user, long watermark, Output out) {
    AttentionState a = st.getAttention();
    if (a == null || a.getDays().isEmpty()) {
      return;
    }
    List<DayState> all = a.getDays();
    List<DayState> kept = new ArrayList<>(all.size());
    for (DayState day : all) {
      if (day.getEnd() + settings.gapMs() + settings.latenessMs() > watermark) {
        kept.add(day);
        continue;
      }
      ZoneId zone = days.zoneAt(a, day.getEnd() - 1);
      long start = LocalDays.dayStart(day.getDate(), zone);
      long longest = day.getLongestSessionMs();
      for (SessionState s : st.getSessions()) {
        if (s.getStart() >= start && s.getStart() < day.getEnd()) {
          longest = Math.max(longest, s.getEnd() - s.getStart());
        }
      }
      Map<String, Long> engaged = new TreeMap<>();
      long total = 0;
      for (int i = 0; i < day.getEngaged().size(); i++) {
        long ms = day.getEngaged().get(i);
        if (ms > 0) {
          engaged.put(a.getCategories().get(i), ms);
          total += ms;
        }
      }
      Map<String, Integer> alerts = new LinkedHashMap<>();
      for (AlertType type : TYPES) {
        alerts.put(type.name(), type.ordinal() < day.getAlerts().size() ? day.getAlerts().get(type.ordinal()) : 0);
      }
      double focus = total == 0 ? 0 : Math.min(1.0, Math.max(0.0, day.getFocusedMs() / (double) total));
      out.report(DailyAttentionReport.newBuilder().setUser(user).setDate(LocalDate.ofEpochDay(day.getDate()))
          .setZone(zone.getId()).setEngagedMsByCategory(engaged).setSessions(day.getSessions())
          .setLongestSessionMs(longest).setAlerts(alerts).setFocusRatio(focus).build());
      a.setLastReportedDate(Math.max(a.getLastReportedDate(), day.getDate()));
    }
    if (kept.size() != all.size()) {
      a.setDays(kept);
      budgets.prune(a, watermark);
    }
  }

  /** Sessions about to leave state ({@code end + gap + lateness <= watermark}) leave their duration on their start day. */
  public void beforeCleanUp(UserState st, long watermark) {
    AttentionState a = st.getAttention();
    if (a == null) {
      return;
    }
    for (SessionState s : st.getSessions()) {
      if (s.getClosed() && s.getEnd() + settings.gapMs() + settings.latenessMs() <= watermark) {
        longest(st, a, s);
      }
    }
  }

  private void longest(UserState st, AttentionState a, SessionState s) {
    DayState day = days.dayFor(a, s.getStart(), false);
    if (day != null) {
      day.setLongestSessionMs(Math.max(day.getLongestSessionMs(), s.getEnd() - s.getStart()));
    }
  }

  /** @return the earliest watermark at which a day's report is due, or MAX_VALUE */
  public long nextDeadline(UserState st) {
    AttentionState a = st.getAttention();
    long next = Long.MAX_VALUE;
    if (a != null) {
      for (DayState d : a.getDays()) {
        next = Math.min(next, d.getEnd() + settings.gapMs() + settings.latenessMs());
      }
    }
    return next;
  }

  /** @return true when no unreported day and no budget is left (the state may go) */
  public static boolean isEmpty(UserState st) {
    AttentionState a = st.getAttention();
    return a == null || (a.getDays().isEmpty() && a.getBudgets().isEmpty());
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

  /** @return the dictionary index of the main topic: largest catalog weight (ties: first), else the first; -1 when none */
  static int mainTopic(List<Integer> topics, List<Double> weights) {
    if (topics.isEmpty()) {
      return -1;
    }
    int best = 0;
    if (weights.size() == topics.size()) {
      for (int k = 1; k < topics.size(); k++) {
        if (weights.get(k) > weights.get(best)) {
          best = k;
        }
      }
    }
    return topics.get(best);
  }

  /** @return the index in this user's category dictionary of the main topic's category (adding it) */
  private int categoryIndex(UserState st, AttentionState a, int mainTopic) {
    String category = mainTopic < 0 ? CategoryRules.OTHER
        : settings.rules().categoryOf(st.getTopicDictionary().get(mainTopic));
    List<String> categories = a.getCategories();
    for (int i = 0; i < categories.size(); i++) {
      if (categories.get(i).equals(category)) {
        return i;
      }
    }
    categories.add(category);
    return categories.size() - 1;
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
