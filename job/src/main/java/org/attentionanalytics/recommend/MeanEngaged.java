package org.attentionanalytics.recommend;

import org.attentionanalytics.avro.internal.ItemEngagement;

/**
 * An item's mean engaged time per view (DESIGN.md section 12): the decayed sum of its ended views'
 * engaged ms over their decayed count, both with half-life H, so the mean leans towards recent
 * views and does not depend on the order the views are added in. Engaged time as the page views
 * count it (GA4's user engagement, Snowplow's engaged time: dwell and heartbeats while active).
 */
final class MeanEngaged {
    private MeanEngaged() {}

    /** @return no views yet, decayed to {@code t} */
    static ItemEngagement empty(long t) {
        return new ItemEngagement(t, 0.0, 0.0, Long.MIN_VALUE);
    }

    /** Adds one ended view with {@code engagedMs} at event time {@code t} (ms); a view before the sums' time counts decayed. */
    static void add(ItemEngagement e, long engagedMs, long t, long halfLifeMs) {
        if (t >= e.getTime()) {
            double f = Math.pow(2, -(double) (t - e.getTime()) / halfLifeMs);
            e.setEngagedMs(e.getEngagedMs() * f + engagedMs);
            e.setViews(e.getViews() * f + 1);
            e.setTime(t);
        } else {
            double g = Math.pow(2, -(double) (e.getTime() - t) / halfLifeMs);
            e.setEngagedMs(e.getEngagedMs() + engagedMs * g);
            e.setViews(e.getViews() + g);
        }
    }

    /** @return the mean engaged ms per ended view, {@code NaN} without one */
    static double mean(ItemEngagement e) {
        return e.getViews() > 0 ? e.getEngagedMs() / e.getViews() : Double.NaN;
    }
}
