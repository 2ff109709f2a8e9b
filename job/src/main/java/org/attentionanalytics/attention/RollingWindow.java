package org.attentionanalytics.attention;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.attentionanalytics.avro.internal.AttentionState;
import org.attentionanalytics.avro.internal.SessionState;
import org.attentionanalytics.avro.internal.ViewState;
import org.attentionanalytics.common.Hashes;

/**
 * The rolling attention window of one user (DESIGN.md section 7): {@value #MINUTES} one-minute
 * buckets of UTC event time, the minute of the latest event applied and the nine before, in the
 * {@code bucket_*} fields of {@link AttentionState}. Per bucket: views started, views ended (by
 * the minute of their end), skims, topic switches and the engaged ms of the ended views. Times are
 * epoch ms; an event outside the window changes no bucket.
 */
final class RollingWindow implements Serializable {
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

    private static final long serialVersionUID = 1L;

    /** One-minute buckets in the window. */
    static final int MINUTES = 10;

    static final long MINUTE_MS = 60_000L;

    private final long gapMs;
    private final long viewSettleMs;

    RollingWindow(AttentionSettings settings) {
        this.gapMs = settings.gapMs();
        this.viewSettleMs = settings.viewSettleMs();
    }

    /** @return {@code b} with ten empty buckets (no minute, all counts 0) */
    static AttentionState.Builder withEmptyBuckets(AttentionState.Builder b) {
        List<Long> minutes = new ArrayList<>(MINUTES);
        List<Long> engaged = new ArrayList<>(MINUTES);
        for (int i = 0; i < MINUTES; i++) {
            minutes.add(Long.MIN_VALUE);
            engaged.add(0L);
        }
        return b.setBucketMinutes(minutes)
                .setBucketViews(zeros())
                .setBucketEnded(zeros())
                .setBucketSkims(zeros())
                .setBucketSwitches(zeros())
                .setBucketEngaged(engaged);
    }

    private static List<Integer> zeros() {
        List<Integer> z = new ArrayList<>(MINUTES);
        for (int i = 0; i < MINUTES; i++) {
            z.add(0);
        }
        return z;
    }

    /** An event at {@code t} is applied: the window moves to its minute when it is the latest. */
    static void advance(AttentionState a, long t) {
        if (t > a.getLatestTime()) {
            a.setLatestTime(t);
        }
    }

    /**
     * A view started at {@code time}: one more view in its minute, and a topic switch when its main
     * topic differs from the previous view's. Views without topics ({@code mainTopic} null) and views
     * before the latest one with topics are skipped for switches; a view the inactivity gap or more
     * after the previous one has no previous.
     */
    void viewStarted(AttentionState a, long time, String mainTopic) {
        int slot = slot(a, time);
        if (slot >= 0) {
            a.getBucketViews().set(slot, a.getBucketViews().get(slot) + 1);
        }
        if (mainTopic != null && time >= a.getLastViewTime()) {
            long topic = Hashes.fnv64(mainTopic);
            boolean hasPrevious = a.getLastMainTopic() != 0 && time - a.getLastViewTime() < gapMs;
            if (hasPrevious && topic != a.getLastMainTopic() && slot >= 0) {
                a.getBucketSwitches().set(slot, a.getBucketSwitches().get(slot) + 1);
            }
            a.setLastMainTopic(topic);
            a.setLastViewTime(time);
        }
    }

    /**
     * Classifies the views of {@code s} that have settled by event time {@code t}: a view ends at the
     * start of the next view and settles once {@code t >= end + --view-settle}, so dwell that
     * arrives shortly after the next view still counts. The last view has no end before close.
     */
    void classifySettled(AttentionState a, SessionState s, long t) {
        List<ViewState> views = s.getViews();
        int first = views.size() - 1;
        while (first > 0 && !views.get(first - 1).getClassified()) {
            first--;
        }
        for (int i = first; i + 1 < views.size(); i++) {
            long end = views.get(i + 1).getTime();
            if (end + viewSettleMs > t) {
                break;
            }
            if (!views.get(i).getClassified()) {
                classify(a, views.get(i), end);
            }
        }
    }

    /** Session {@code s} closed: its views not classified yet are, the last one ending at the session's end. */
    static void classifyAll(AttentionState a, SessionState s) {
        List<ViewState> views = s.getViews();
        for (int i = 0; i < views.size(); i++) {
            ViewState v = views.get(i);
            if (!v.getClassified()) {
                classify(a, v, i + 1 < views.size() ? views.get(i + 1).getTime() : s.getEnd());
            }
        }
    }

    /** View {@code v} ended at {@code end}: ended, a skim below {@value AttentionSettings#SKIM_BELOW_MS} ms; final. */
    private static void classify(AttentionState a, ViewState v, long end) {
        v.setClassified(true);
        int slot = slot(a, end);
        if (slot < 0) {
            return;
        }
        a.getBucketEnded().set(slot, a.getBucketEnded().get(slot) + 1);
        if (v.getEngagedMs() < AttentionSettings.SKIM_BELOW_MS) {
            a.getBucketSkims().set(slot, a.getBucketSkims().get(slot) + 1);
        }
        a.getBucketEngaged().set(slot, a.getBucketEngaged().get(slot) + v.getEngagedMs());
    }

    /** @return the window's sums as of the latest event applied (all 0 without state) */
    static Window metrics(AttentionState a) {
        if (a == null || a.getLatestTime() == Long.MIN_VALUE) {
            return new Window(0, 0, 0, 0, 0);
        }
        long latest = Math.floorDiv(a.getLatestTime(), MINUTE_MS);
        int views = 0;
        int ended = 0;
        int skims = 0;
        int switches = 0;
        long engaged = 0;
        for (int i = 0; i < MINUTES; i++) {
            long m = a.getBucketMinutes().get(i);
            if (m <= latest && m > latest - MINUTES) {
                views += a.getBucketViews().get(i);
                ended += a.getBucketEnded().get(i);
                skims += a.getBucketSkims().get(i);
                switches += a.getBucketSwitches().get(i);
                engaged += a.getBucketEngaged().get(i);
            }
        }
        return new Window(views, ended, skims, switches, engaged);
    }

    /** @return the bucket slot of {@code time}, reset when it held an older minute; -1 outside the window */
    private static int slot(AttentionState a, long time) {
        long m = Math.floorDiv(time, MINUTE_MS);
        long latest = Math.floorDiv(a.getLatestTime(), MINUTE_MS);
        if (m > latest || m <= latest - MINUTES) {
            return -1;
        }
        int slot = (int) Math.floorMod(m, (long) MINUTES);
        if (a.getBucketMinutes().get(slot) != m) {
            a.getBucketMinutes().set(slot, m);
            a.getBucketViews().set(slot, 0);
            a.getBucketEnded().set(slot, 0);
            a.getBucketSkims().set(slot, 0);
            a.getBucketSwitches().set(slot, 0);
            a.getBucketEngaged().set(slot, 0L);
        }
        return slot;
    }
}
