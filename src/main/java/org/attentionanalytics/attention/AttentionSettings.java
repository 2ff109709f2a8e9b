package org.attentionanalytics.attention;

import java.io.Serializable;
import java.time.Duration;
import java.time.ZoneId;
import org.attentionanalytics.job.JobOptions;

/**
 * The options of the attention metrics, alerts and daily reports (DESIGN.md sections 5, 7 and 8),
 * resolved from {@link JobOptions} once when the job is built: thresholds, cooldowns, the category
 * rules, the default zone, and the session timings the report deadline needs. Immutable.
 *
 * @param overloadViews INFORMATION_OVERLOAD: views started in the window, at least (default 30)
 * @param overloadSkimRatio and skims / views ended in the window, at least (default 0.6)
 * @param overloadTopicSwitches and topic switches in the window, at least (default 10)
 * @param overloadCooldownMs at most one INFORMATION_OVERLOAD per this much event time, ms (30 min)
 * @param breakAfterMs TAKE_A_BREAK when continuous use reaches this, ms (50 min)
 * @param breakGapMs an uncovered stretch this long is a break, ms (5 min)
 * @param viewSettleMs a view is classified once an event this much after its end is applied, ms
 *     (default: the out-of-orderness bound, 30 s)
 * @param maxAgeMs alerts further behind the processing clock are counted, not sent, ms; 0: off
 * @param defaultZone IANA id of the zone of users without budget zone and event zone (UTC)
 * @param gapMs the inactivity gap, ms: a day's report waits for end of day + gap + lateness
 * @param latenessMs the allowed lateness, ms
 * @param rules the topic -> category rules
 */
public record AttentionSettings(int overloadViews, double overloadSkimRatio, int overloadTopicSwitches,
    long overloadCooldownMs, long breakAfterMs, long breakGapMs, long viewSettleMs, long maxAgeMs,
    String defaultZone, long gapMs, long latenessMs, CategoryRules rules) implements Serializable {

  /** A view with engaged time below this is a skim (DESIGN.md section 7; Lagun and Lalmas' 10 s). */
  public static final long SKIM_BELOW_MS = 10_000L;
  /** A view with at least this much engaged time is focused (30 s "satisfied click", Kim et al., WSDM 2014). */
  public static final long FOCUSED_FROM_MS = 30_000L;

  /** The settings of the options' defaults ({@link JobOptions#defaults}) with the given session timings. */
  public static AttentionSettings defaults(long gapMs, long latenessMs) {
    JobOptions o = JobOptions.defaults();
    o.inactivityGap = Duration.ofMillis(gapMs);
    o.allowedLateness = Duration.ofMillis(latenessMs);
    return from(o);
  }

  /**
   * @return the settings of {@code o}, with the category rules loaded
   * @throws IllegalArgumentException when an option is out of range, the zone is not an IANA id, or
   *     the rules file is unreadable or has a bad line (the message names the option)
   */
  public static AttentionSettings from(JobOptions o) {
    validate(o);
    return new AttentionSettings(o.overloadViews, o.overloadSkimRatio, o.overloadTopicSwitches,
        o.overloadCooldown.toMillis(), o.breakAfter.toMillis(), o.breakGap.toMillis(), o.viewSettle().toMillis(),
        o.alertsMaxAge().toMillis(), ZoneId.of(o.defaultTimeZone).getId(), o.inactivityGap.toMillis(),
        o.allowedLateness.toMillis(), CategoryRules.load(o.categoryRulesFile));
  }

  /**
   * Checks the attention options, and that the category rules file (when given) parses.
   *
   * @throws IllegalArgumentException with a message that says what to change
   */
  public static void validate(JobOptions o) {
    if (o.overloadViews < 1) {
      throw new IllegalArgumentException("--alerts.overload.views must be at least 1, not " + o.overloadViews);
    }
    if (!(o.overloadSkimRatio >= 0 && o.overloadSkimRatio <= 1)) {
      throw new IllegalArgumentException("--alerts.overload.skim-ratio must be between 0 and 1, not " + o.overloadSkimRatio);
    }
    if (o.overloadTopicSwitches < 0) {
      throw new IllegalArgumentException("--alerts.overload.topic-switches must not be negative, not " + o.overloadTopicSwitches);
    }
    notNegative("--alerts.overload.cooldown", o.overloadCooldown);
    positive("--alerts.break.after", o.breakAfter);
    positive("--break-gap", o.breakGap);
    notNegative("--alerts.max-age", o.alertsMaxAge());
    notNegative("--view-settle", o.viewSettle());
    if (!org.attentionanalytics.io.TimeZones.isIana(o.defaultTimeZone)) {
      throw new IllegalArgumentException("--default-time-zone must be an IANA zone id such as Europe/Berlin, not '"
          + o.defaultTimeZone + "'");
    }
    if (o.categoryRulesFile != null && !o.categoryRulesFile.isBlank()) {
      CategoryRules.load(o.categoryRulesFile); // throws naming the file and the bad line
    }
  }

  private static void positive(String option, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(option + " must be positive, not " + d);
    }
  }

  private static void notNegative(String option, Duration d) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(option + " must not be negative, not " + d);
    }
  }

  /** @return these settings with another max age (ms; 0: off) */
  public AttentionSettings withMaxAgeMs(long ms) {
    return new AttentionSettings(overloadViews, overloadSkimRatio, overloadTopicSwitches, overloadCooldownMs,
        breakAfterMs, breakGapMs, viewSettleMs, ms, defaultZone, gapMs, latenessMs, rules);
  }
}
