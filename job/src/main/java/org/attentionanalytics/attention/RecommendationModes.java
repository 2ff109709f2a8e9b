package org.attentionanalytics.attention;

import org.attentionanalytics.avro.RecommendationMode;

/**
 * The recommendation mode a user's attention calls for (DESIGN.md section 12), from the same
 * measures as the alerts (section 7): {@code QUIET} while a TAKE_A_BREAK alert is in force (from the
 * alert until the user's next break), else {@code FOCUSED} while at least two of the three
 * INFORMATION_OVERLOAD measures of the rolling window (views started, skim ratio, topic switches)
 * are at or above their thresholds, else {@code NORMAL}. Unlike the alert, FOCUSED has no cooldown:
 * it lasts as long as the window says the user is overloaded.
 */
final class RecommendationModes {
    private RecommendationModes() {}

    /**
     * @param window the rolling window's values
     * @param breakAlertInForce whether a TAKE_A_BREAK alert went out in the current stretch of use
     */
    static RecommendationMode mode(RollingWindow.Window window, boolean breakAlertInForce, AttentionSettings settings) {
        if (breakAlertInForce) {
            return RecommendationMode.QUIET;
        }
        return overloadMeasuresAtThreshold(window, settings) >= 2
                ? RecommendationMode.FOCUSED
                : RecommendationMode.NORMAL;
    }

    /** @return how many of the window's views, skim ratio and topic switches are at or above their INFORMATION_OVERLOAD thresholds */
    static int overloadMeasuresAtThreshold(RollingWindow.Window w, AttentionSettings settings) {
        int n = 0;
        if (w.views() >= settings.overloadViews()) {
            n++;
        }
        if (w.skimRatio() >= settings.overloadSkimRatio()) {
            n++;
        }
        if (w.topicSwitches() >= settings.overloadTopicSwitches()) {
            n++;
        }
        return n;
    }
}
