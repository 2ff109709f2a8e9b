package org.attentionanalytics.attention;

import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.attentionanalytics.avro.FocusBlockReport;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.AttentionState;
import org.attentionanalytics.avro.internal.BlockEntry;
import org.attentionanalytics.avro.internal.BlockOccurrence;
import org.attentionanalytics.avro.internal.BlockSpec;
import org.attentionanalytics.common.Hashes;

/**
 * The focus blocks of one user (DESIGN.md section 13): the timeline of their {@code FocusBlocks}
 * records ({@link BlockEntry}s in {@code AttentionState.block_timeline}; the record in effect at
 * {@code t} is the latest from at or before it), the occurrences with activity ({@link
 * BlockOccurrence}s in {@code open_blocks}) and their {@link FocusBlockReport} once the watermark
 * passes the occurrence's end plus the allowed lateness. An occurrence without any of the user's
 * activity has no state and no report, so a weekly block never keeps a user's state alive. A weekly
 * occurrence that overlaps a one-off block of the same record yields to it. Times are epoch ms.
 */
final class FocusBlocks implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long latenessMs;
    private final long breakGapMs;
    private final CategoryRules rules;
    private final LocalDays days;

    FocusBlocks(AttentionSettings settings, LocalDays days) {
        this.latenessMs = settings.latenessMs();
        this.breakGapMs = settings.breakGapMs();
        this.rules = settings.rules();
        this.days = days;
    }

    /** Adds the blocks of a FOCUS_BLOCKS event (event time = {@code updated_at}) to the timeline. */
    static void add(AttentionState a, AttentionEvent e) {
        BlockEntry entry = BlockEntry.newBuilder()
                .setFrom(e.getEventTime())
                .setZone(e.getTimeZone())
                .setBlocks(new ArrayList<>(e.getFocusBlocks()))
                .build();
        List<BlockEntry> timeline = a.getBlockTimeline();
        int at = timeline.size();
        while (at > 0 && timeline.get(at - 1).getFrom() > entry.getFrom()) {
            at--;
        }
        timeline.add(at, entry);
    }

    /** Drops the records superseded before the watermark minus the allowed lateness. */
    void prune(AttentionState a, long watermark) {
        long horizon = watermark == Long.MIN_VALUE ? Long.MIN_VALUE : watermark - latenessMs;
        List<BlockEntry> timeline = a.getBlockTimeline();
        int keepFrom = 0;
        for (int i = 0; i < timeline.size(); i++) {
            if (timeline.get(i).getFrom() <= horizon) {
                keepFrom = i;
            }
        }
        if (keepFrom > 0) {
            a.setBlockTimeline(new ArrayList<>(timeline.subList(keepFrom, timeline.size())));
        }
    }

    /**
     * @return the occurrence holding {@code t} of the record in effect at {@code t}, created when
     *     {@code create} and missing; null when no block holds {@code t}
     */
    BlockOccurrence at(AttentionState a, String user, long t, boolean create) {
        BlockEntry entry = null;
        for (BlockEntry e : a.getBlockTimeline()) {
            if (e.getFrom() <= t) {
                entry = e;
            }
        }
        if (entry == null || entry.getBlocks().isEmpty()) {
            return null;
        }
        ZoneId zone = entry.getZone() != null ? days.zone(entry.getZone()) : days.zoneAt(a, t);
        BlockSpec spec = null;
        long[] when = null;
        for (BlockSpec s : entry.getBlocks()) {
            long[] o = BlockTimes.occurrenceAt(s, zone, t);
            if (o != null && (BlockTimes.isOneOff(s) || !yields(entry, zone, o))) {
                spec = s;
                when = o;
                if (BlockTimes.isOneOff(s)) {
                    break;
                }
            }
        }
        if (spec == null) {
            return null;
        }
        String id = Hashes.blockId(user, spec.getName(), when[0]);
        List<BlockOccurrence> open = a.getOpenBlocks();
        for (BlockOccurrence o : open) {
            if (o.getBlockId().equals(id)) {
                return o;
            }
        }
        if (!create) {
            return null;
        }
        BlockOccurrence o = BlockOccurrence.newBuilder()
                .setBlockId(id)
                .setName(spec.getName())
                .setStart(when[0])
                .setEnd(when[1])
                .setZone(zone.getId())
                .setSpec(spec)
                .setEngaged(new ArrayList<>())
                .setClassMs(new ArrayList<>(List.of(0L, 0L, 0L)))
                .setTally(ViewSequence.empty())
                .build();
        int at = open.size();
        while (at > 0 && open.get(at - 1).getStart() > o.getStart()) {
            at--;
        }
        open.add(at, o);
        return o;
    }

    /** @return whether a weekly occurrence {@code o} overlaps a one-off block of {@code entry} */
    private static boolean yields(BlockEntry entry, ZoneId zone, long[] o) {
        for (BlockSpec s : entry.getBlocks()) {
            if (BlockTimes.isOneOff(s) && s.getStart() < o[1] && o[0] < s.getEnd()) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return the class of {@code category} in the occurrence's block: its focus categories are
     *     focus and the rules' other focus-class categories neutral; without focus categories, the
     *     rules' class
     */
    CategoryClass classIn(BlockOccurrence o, String category) {
        CategoryClass cls = rules.classOf(category);
        List<String> focus = o.getSpec().getFocusCategories();
        if (focus.isEmpty()) {
            return cls;
        }
        if (focus.contains(category)) {
            return CategoryClass.FOCUS;
        }
        return cls == CategoryClass.FOCUS ? CategoryClass.NEUTRAL : cls;
    }

    /** A view of {@code category} (index {@code index}) started at {@code t} inside {@code o}. */
    void viewStarted(BlockOccurrence o, int index, String category, long t) {
        CategoryClass cls = classIn(o, category);
        ViewSequence.viewStarted(o.getTally(), index, cls, t, breakGapMs);
        Pomodoro.viewStarted(o, cls, t);
    }

    /**
     * {@code ms} engaged ms of {@code category} (index {@code index}) at {@code t} inside {@code o}.
     *
     * @return the class it counted as
     */
    CategoryClass engaged(BlockOccurrence o, int index, String category, long ms, long t) {
        CategoryClass cls = classIn(o, category);
        List<Long> engaged = o.getEngaged();
        while (engaged.size() <= index) {
            engaged.add(0L);
        }
        engaged.set(index, engaged.get(index) + ms);
        o.getClassMs().set(cls.ordinal(), o.getClassMs().get(cls.ordinal()) + ms);
        ViewSequence.engaged(o.getTally(), cls, Math.max(o.getStart(), t - ms), t, breakGapMs);
        return cls;
    }

    /**
     * Emits the report of every occurrence whose end plus the allowed lateness the watermark has
     * reached, by start, and forgets it.
     */
    void emit(AttentionState a, String user, long watermark, AttentionTracker.Output out) {
        List<BlockOccurrence> open = a.getOpenBlocks();
        if (nextDeadline(a) > watermark) {
            return;
        }
        List<BlockOccurrence> kept = new ArrayList<>(open.size());
        for (BlockOccurrence o : open) {
            if (deadline(o) <= watermark) {
                out.blockReport(report(a, user, o));
            } else {
                kept.add(o);
            }
        }
        a.setOpenBlocks(kept);
    }

    /** @return the earliest watermark at which an occurrence's report is due, or MAX_VALUE */
    long nextDeadline(AttentionState a) {
        long next = Long.MAX_VALUE;
        if (a != null) {
            for (BlockOccurrence o : a.getOpenBlocks()) {
                next = Math.min(next, deadline(o));
            }
        }
        return next;
    }

    private long deadline(BlockOccurrence o) {
        return o.getEnd() + latenessMs;
    }

    private static FocusBlockReport report(AttentionState a, String user, BlockOccurrence o) {
        Map<String, Long> engaged = new TreeMap<>();
        long total = 0;
        for (int i = 0; i < o.getEngaged().size(); i++) {
            long ms = o.getEngaged().get(i);
            if (ms > 0) {
                engaged.put(a.getCategories().get(i), ms);
                total += ms;
            }
        }
        long focus = o.getClassMs().get(CategoryClass.FOCUS.ordinal());
        int views = o.getTally().getViews();
        return FocusBlockReport.newBuilder()
                .setBlockId(o.getBlockId())
                .setUser(user)
                .setName(o.getName())
                .setStart(Instant.ofEpochMilli(o.getStart()))
                .setEnd(Instant.ofEpochMilli(o.getEnd()))
                .setZone(o.getZone())
                .setEngagedMsByCategory(engaged)
                .setFocusMs(focus)
                .setNeutralMs(o.getClassMs().get(CategoryClass.NEUTRAL.ordinal()))
                .setDistractionMs(o.getClassMs().get(CategoryClass.DISTRACTION.ordinal()))
                .setFocusShare(total == 0 ? 0 : focus / (double) total)
                .setContextSwitches(o.getTally().getSwitches())
                .setLongestFocusMs(ViewSequence.longestRunMs(o.getTally()))
                .setMeanAttentionSpanMs(views == 0 ? 0 : total / views)
                .setInterruptions(o.getTally().getInterruptions())
                .setViews(views)
                .build();
    }
}
