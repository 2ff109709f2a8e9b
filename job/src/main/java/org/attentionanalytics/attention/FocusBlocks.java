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
import org.attentionanalytics.common.Saturating;

/**
 * The focus blocks of one user (DESIGN.md section 13): the timeline of their {@code FocusBlocks}
 * records ({@link BlockEntry}s in {@code AttentionState.block_timeline}; the record in effect at
 * {@code t} is the latest from at or before it), the occurrences with activity ({@link
 * BlockOccurrence}s in {@code open_blocks}) and their {@link FocusBlockReport} once the watermark
 * passes the occurrence's end plus the allowed lateness. An occurrence without any of the user's
 * activity has no state and no report, so a weekly block never keeps a user's state alive. A weekly
 * occurrence that overlaps a one-off block of the same record yields to it. Views count in the
 * occurrence holding their start; engaged time covering {@code [t - ms, t]} counts in each
 * occurrence it overlaps, by the overlap. Times are epoch ms.
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

    /** A share of engaged time in an occurrence: {@code ms} ending at {@code at}. */
    record Part(BlockOccurrence occurrence, long ms, long at) {}

    /**
     * Adds the blocks of a FOCUS_BLOCKS event (event time = {@code updated_at}) to the timeline; a
     * record of the same {@code updated_at} as one there replaces it.
     */
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
        if (at > 0 && timeline.get(at - 1).getFrom() == entry.getFrom()) {
            timeline.set(at - 1, entry);
        } else {
            timeline.add(at, entry);
        }
    }

    /**
     * Drops the records superseded before the watermark minus the allowed lateness, and the one in
     * effect there too when nothing of it can occur any more (no blocks, or one-off blocks that
     * ended): no event still to come is under them.
     */
    void prune(AttentionState a, long watermark) {
        if (watermark == Long.MIN_VALUE || a.getBlockTimeline().isEmpty()) {
            return;
        }
        long horizon = Saturating.add(watermark, -latenessMs);
        List<BlockEntry> timeline = a.getBlockTimeline();
        int keepFrom = 0;
        for (int i = 0; i < timeline.size(); i++) {
            if (timeline.get(i).getFrom() <= horizon) {
                keepFrom = i;
            }
        }
        BlockEntry inEffect = timeline.get(keepFrom);
        if (inEffect.getFrom() <= horizon && !canOccurAfter(inEffect, horizon)) {
            keepFrom++;
        }
        if (keepFrom > 0) {
            a.setBlockTimeline(new ArrayList<>(timeline.subList(keepFrom, timeline.size())));
        }
    }

    private static boolean canOccurAfter(BlockEntry entry, long t) {
        for (BlockSpec s : entry.getBlocks()) {
            if (!BlockTimes.isOneOff(s) || s.getEnd() > t) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return the occurrence holding {@code t} of the record in effect at {@code t}, created when
     *     {@code create} and missing; null when no block holds {@code t}
     */
    BlockOccurrence at(AttentionState a, String user, long t, boolean create) {
        BlockEntry entry = inEffect(a, t);
        if (entry == null) {
            return null;
        }
        ZoneId zone = zone(a, entry, t);
        BlockSpec spec = null;
        long[] when = null;
        for (BlockSpec s : entry.getBlocks()) {
            long[] o = BlockTimes.occurrenceAt(s, zone, t);
            if (o != null && (BlockTimes.isOneOff(s) || !yields(entry, o))) {
                spec = s;
                when = o;
                if (BlockTimes.isOneOff(s)) {
                    break;
                }
            }
        }
        return spec == null ? null : occurrence(a, user, spec, when, zone, create);
    }

    /**
     * @return the shares of engaged time covering {@code [from, t]} in the occurrences of the record
     *     in effect at {@code t} that it overlaps (created as needed), by the overlap in ms
     */
    List<Part> overlapping(AttentionState a, String user, long from, long t) {
        BlockEntry entry = inEffect(a, t);
        List<Part> parts = new ArrayList<>(1);
        if (entry == null) {
            return parts;
        }
        ZoneId zone = zone(a, entry, t);
        long lo = Math.max(from, entry.getFrom());
        for (BlockSpec s : entry.getBlocks()) {
            for (long[] o : BlockTimes.occurrences(s, zone, lo, t)) {
                long ms = Math.min(t, o[1]) - Math.max(lo, o[0]);
                if (ms > 0 && (BlockTimes.isOneOff(s) || !yields(entry, o))) {
                    BlockOccurrence occurrence = occurrence(a, user, s, o, zone, true);
                    if (occurrence != null) {
                        parts.add(new Part(occurrence, ms, Math.min(t, o[1])));
                    }
                }
            }
        }
        return parts;
    }

    private static BlockEntry inEffect(AttentionState a, long t) {
        BlockEntry entry = null;
        for (BlockEntry e : a.getBlockTimeline()) {
            if (e.getFrom() <= t) {
                entry = e;
            }
        }
        return entry == null || entry.getBlocks().isEmpty() ? null : entry;
    }

    private ZoneId zone(AttentionState a, BlockEntry entry, long t) {
        return entry.getZone() != null ? days.zone(entry.getZone()) : days.zoneAt(a, t);
    }

    /** @return the open occurrence {@code when} of {@code spec}, created when asked; null once it is reported */
    private BlockOccurrence occurrence(
            AttentionState a, String user, BlockSpec spec, long[] when, ZoneId zone, boolean create) {
        if (Saturating.add(when[1], latenessMs) <= a.getBlocksReportedTo()) {
            return null; // reported already (or due by then)
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
    private static boolean yields(BlockEntry entry, long[] o) {
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
     * {@code ms} engaged ms of {@code category} (index {@code index}) covering {@code [t - ms, t]}
     * inside {@code o} (a {@link Part} of engaged time).
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
        ViewSequence.engaged(o.getTally(), cls, t - ms, t, breakGapMs);
        return cls;
    }

    /**
     * Emits the report of every occurrence whose end plus the allowed lateness the watermark has
     * reached, by start, and forgets it.
     */
    void emit(AttentionState a, String user, long watermark, AttentionTracker.Output out) {
        if (a.getBlockTimeline().isEmpty() && a.getOpenBlocks().isEmpty()) {
            return; // nothing to report, nothing to close: a user without blocks keeps no field set
        }
        a.setBlocksReportedTo(Math.max(a.getBlocksReportedTo(), watermark));
        prune(a, watermark);
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
        return Saturating.add(o.getEnd(), latenessMs);
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
