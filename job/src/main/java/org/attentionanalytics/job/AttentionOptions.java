package org.attentionanalytics.job;

import java.time.Duration;
import java.time.ZoneId;
import org.attentionanalytics.attention.AttentionSettings;
import org.attentionanalytics.attention.CategoryRules;
import org.attentionanalytics.io.TimeZones;

/** Resolves and checks the attention options of {@link JobOptions} (DESIGN.md sections 5, 7 and 8). */
public final class AttentionOptions {
    private AttentionOptions() {}

    /**
     * @return the settings of {@code o}, with the category rules loaded
     * @throws IllegalArgumentException when an option is out of range, the zone is not an IANA id, or
     *     the rules file is unreadable or has a bad line (the message names the option)
     */
    public static AttentionSettings settings(JobOptions o) {
        validate(o);
        return new AttentionSettings(
                o.overloadViews,
                o.overloadSkimRatio,
                o.overloadTopicSwitches,
                o.overloadCooldown.toMillis(),
                o.breakAfter.toMillis(),
                o.breakGap.toMillis(),
                o.viewSettle().toMillis(),
                o.alertsMaxAge().toMillis(),
                ZoneId.of(o.defaultTimeZone).getId(),
                o.inactivityGap.toMillis(),
                o.allowedLateness.toMillis(),
                CategoryRules.load(o.categoryRulesFile),
                o.distractionAfter.toMillis(),
                o.maxAlertsPerDay);
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
            throw new IllegalArgumentException(
                    "--alerts.overload.skim-ratio must be between 0 and 1, not " + o.overloadSkimRatio);
        }
        if (o.overloadTopicSwitches < 0) {
            throw new IllegalArgumentException(
                    "--alerts.overload.topic-switches must not be negative, not " + o.overloadTopicSwitches);
        }
        notNegative("--alerts.overload.cooldown", o.overloadCooldown);
        positive("--alerts.break.after", o.breakAfter);
        positive("--break-gap", o.breakGap);
        notNegative("--alerts.max-age", o.alertsMaxAge());
        positive("--alerts.distraction.after", o.distractionAfter);
        if (o.maxAlertsPerDay < 0) {
            throw new IllegalArgumentException("--alerts.max-per-day must not be negative, not " + o.maxAlertsPerDay);
        }
        notNegative("--view-settle", o.viewSettle());
        if (!TimeZones.isIana(o.defaultTimeZone)) {
            throw new IllegalArgumentException(
                    "--default-time-zone must be an IANA zone id such as Europe/Berlin, not '" + o.defaultTimeZone
                            + "'");
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
}
