package org.attentionanalytics.io;

import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.attentionanalytics.attention.BlockTimes;
import org.attentionanalytics.avro.FocusBlock;
import org.attentionanalytics.avro.FocusBlocks;
import org.attentionanalytics.avro.PomodoroCadence;
import org.attentionanalytics.avro.Weekday;
import org.attentionanalytics.avro.internal.BlockSpec;
import org.attentionanalytics.common.Hashes;

/**
 * The checks of a {@link FocusBlocks} record (DESIGN.md section 13) and its blocks as {@link
 * BlockSpec}s, for the door and for the tools that write such records ({@link #problem}). A block is
 * one-off ({@code start} and {@code end} from 1970 to the year 9999, {@code end > start}, at most
 * {@value #MAX_BLOCK_HOURS} hours) or weekly ({@code days}, {@code local_start} and {@code
 * local_end} as {@code HH:mm}, not equal); names are unique and not empty; focus categories are
 * categories of the rules; a cadence has work, breaks of 1 to {@value #MAX_CADENCE_MINUTES} minutes
 * and 1 to {@value #MAX_CYCLES} cycles. Two blocks of a record may not overlap: one-off against
 * one-off always, weekly against weekly by their local times, one-off against weekly when the
 * record names its zone (else the user's zone decides, in the per-user operator, and the one-off
 * block wins).
 */
public final class FocusBlockChecks {
    /** Most blocks in one record. */
    public static final int MAX_BLOCKS = 50;
    /** Longest one-off block. */
    public static final int MAX_BLOCK_HOURS = 24;
    /** Longest pomodoro work period or break. */
    public static final int MAX_CADENCE_MINUTES = 240;
    /** Most work periods before a long break. */
    public static final int MAX_CYCLES = 12;

    private static final long MINUTE_MS = 60_000L;
    /** The last millisecond of the year 9999: no block starts or ends later. */
    private static final long LATEST_MS = 253_402_300_799_999L;

    private static final int WEEK_MINUTES = 7 * 1440;

    /** The blocks, or the first problem (then {@code blocks} is null). */
    record Result(String problem, List<BlockSpec> blocks) {}

    private FocusBlockChecks() {}

    /**
     * What the door would refuse in {@code r}, checked by the tools before they send it: more than
     * {@value #MAX_BLOCKS} blocks, a name longer than the default id limit, or a rule of {@link
     * #check} (the categories only when {@code categoriesOrNull} is given).
     *
     * @return the first problem, worded as a dead letter's detail, or null
     */
    public static String problem(FocusBlocks r, List<String> categoriesOrNull) {
        if (r.getBlocks().size() > MAX_BLOCKS) {
            return r.getBlocks().size() + " blocks, more than " + MAX_BLOCKS;
        }
        for (FocusBlock b : r.getBlocks()) {
            String tooLong = DoorLimits.DEFAULTS.id("name", b.getName());
            if (tooLong != null) {
                return "block '" + b.getName().substring(0, 20) + "...': " + tooLong;
            }
        }
        return check(r, categoriesOrNull, false).problem();
    }

    /** @param categories the rules' categories, or null to leave focus categories unchecked */
    static Result check(FocusBlocks r, List<String> categories, boolean redact) {
        List<BlockSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < r.getBlocks().size(); i++) {
            FocusBlock b = r.getBlocks().get(i);
            String where = "block " + (i + 1) + " (" + DeadLetters.quoted(b.getName(), redact) + ")";
            if (b.getName().isBlank()) {
                return problem("block " + (i + 1) + " has an empty name");
            }
            if (!names.add(b.getName())) {
                return problem(where + ": another block of the record has this name");
            }
            for (String c : b.getFocusCategories()) {
                if (categories != null && !categories.contains(c)) {
                    return problem(where + ": focus category " + DeadLetters.quoted(c, redact)
                            + " is not a category of the rules");
                }
            }
            BlockSpec.Builder spec = BlockSpec.newBuilder()
                    .setName(b.getName())
                    .setFocusCategories(new ArrayList<>(new TreeSet<>(b.getFocusCategories())));
            String wrong = times(b, spec);
            if (wrong == null) {
                wrong = cadence(b.getPomodoro(), spec);
            }
            if (wrong != null) {
                return problem(where + ": " + wrong);
            }
            specs.add(spec.build());
        }
        String overlap = overlap(specs, r.getTimeZone());
        return overlap != null ? problem(overlap) : new Result(null, specs);
    }

    private static String times(FocusBlock b, BlockSpec.Builder spec) {
        boolean oneOff = b.getStart() != null || b.getEnd() != null;
        boolean weekly = !b.getDays().isEmpty() || b.getLocalStart() != null || b.getLocalEnd() != null;
        if (oneOff == weekly) {
            return "give start and end (one-off), or days, local_start and local_end (weekly)";
        }
        if (oneOff) {
            if (b.getStart() == null || b.getEnd() == null) {
                return "a one-off block needs both start and end";
            }
            long start = b.getStart().toEpochMilli();
            long end = b.getEnd().toEpochMilli();
            if (start < RecordDoor.EARLIEST_TIME_MS || end > LATEST_MS) {
                return "start and end must lie between 1970 and the year 9999";
            }
            if (end <= start) {
                return "end " + b.getEnd() + " is not after start " + b.getStart();
            }
            if (end - start > MAX_BLOCK_HOURS * 60 * MINUTE_MS) {
                return "lasts more than " + MAX_BLOCK_HOURS + " hours";
            }
            spec.setStart(start).setEnd(end);
            return null;
        }
        if (b.getDays().isEmpty() || b.getLocalStart() == null || b.getLocalEnd() == null) {
            return "a weekly block needs days, local_start and local_end";
        }
        int start = minute(b.getLocalStart());
        int end = minute(b.getLocalEnd());
        if (start < 0 || end < 0) {
            return "local_start and local_end must be HH:mm (00:00 to 23:59)";
        }
        if (start == end) {
            return "local_end equals local_start";
        }
        TreeSet<Integer> days = new TreeSet<>();
        for (Weekday d : b.getDays()) {
            days.add(d.ordinal() + 1);
        }
        spec.setDays(new ArrayList<>(days)).setLocalStartMinute(start).setLocalEndMinute(end);
        return null;
    }

    private static String cadence(PomodoroCadence p, BlockSpec.Builder spec) {
        if (p == null) {
            return null;
        }
        for (int m : new int[] {p.getWorkMinutes(), p.getShortBreakMinutes(), p.getLongBreakMinutes()}) {
            if (m < 1 || m > MAX_CADENCE_MINUTES) {
                return "pomodoro periods must be 1 to " + MAX_CADENCE_MINUTES + " minutes";
            }
        }
        if (p.getCycles() < 1 || p.getCycles() > MAX_CYCLES) {
            return "pomodoro cycles must be 1 to " + MAX_CYCLES;
        }
        spec.setWorkMs(p.getWorkMinutes() * MINUTE_MS)
                .setShortBreakMs(p.getShortBreakMinutes() * MINUTE_MS)
                .setLongBreakMs(p.getLongBreakMinutes() * MINUTE_MS)
                .setCycles(p.getCycles());
        return null;
    }

    /** @return the first overlap of two blocks as a detail, or null */
    private static String overlap(List<BlockSpec> specs, String zone) {
        for (int i = 0; i < specs.size(); i++) {
            for (int j = i + 1; j < specs.size(); j++) {
                BlockSpec a = specs.get(i);
                BlockSpec b = specs.get(j);
                boolean aOnce = BlockTimes.isOneOff(a);
                boolean bOnce = BlockTimes.isOneOff(b);
                boolean overlaps;
                if (aOnce && bOnce) {
                    overlaps = a.getStart() < b.getEnd() && b.getStart() < a.getEnd();
                } else if (!aOnce && !bOnce) {
                    overlaps = weeklyOverlap(a, b);
                } else if (zone != null) {
                    BlockSpec once = aOnce ? a : b;
                    overlaps = !BlockTimes.occurrences(aOnce ? b : a, ZoneId.of(zone), once.getStart(), once.getEnd())
                            .isEmpty();
                } else {
                    overlaps = false;
                }
                if (overlaps) {
                    return "blocks " + (i + 1) + " and " + (j + 1) + " overlap";
                }
            }
        }
        return null;
    }

    /** Weekly blocks overlap when their minutes of the week (Monday 00:00 = 0) intersect. */
    private static boolean weeklyOverlap(BlockSpec a, BlockSpec b) {
        boolean[] week = new boolean[WEEK_MINUTES];
        mark(a, week, false);
        return mark(b, week, true);
    }

    private static boolean mark(BlockSpec s, boolean[] week, boolean test) {
        int length = Math.floorMod(s.getLocalEndMinute() - s.getLocalStartMinute(), 1440);
        for (int day : s.getDays()) {
            int from = (day - 1) * 1440 + s.getLocalStartMinute();
            for (int m = 0; m < length; m++) {
                int at = (from + m) % WEEK_MINUTES;
                if (test && week[at]) {
                    return true;
                }
                week[at] = true;
            }
        }
        return false;
    }

    /** @return minutes after midnight of {@code HH:mm}, or -1 */
    private static int minute(String hhmm) {
        if (!hhmm.matches("\\d\\d:\\d\\d")) {
            return -1;
        }
        try {
            LocalTime t = LocalTime.parse(hhmm);
            return t.getHour() * 60 + t.getMinute();
        } catch (DateTimeParseException e) {
            return -1;
        }
    }

    /**
     * The id part of a FOCUS_BLOCKS event: the first 16 bytes of SHA-256 over the pseudonym, {@code
     * updated_at}, the zone and the checked blocks, hex; the same record gets the same id on every read.
     */
    static String recordId(String user, String zone, List<BlockSpec> blocks, long updatedAtMs) {
        return Hashes.hex128(user + "|" + updatedAtMs + "|" + (zone == null ? "" : zone) + "|" + blocks);
    }

    private static Result problem(String detail) {
        return new Result(detail, null);
    }
}
