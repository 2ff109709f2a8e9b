package org.attentionanalytics.replay;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.attentionanalytics.avro.FocusBlock;
import org.attentionanalytics.avro.FocusBlocks;
import org.attentionanalytics.avro.PomodoroCadence;
import org.attentionanalytics.avro.Weekday;
import org.attentionanalytics.io.FocusBlockChecks;

/**
 * The text forms of a {@link FocusBlock}'s fields, shared by {@code bin/attention focus-block
 * --block} and the replay's {@code --focus-blocks csv:PATH} (DESIGN.md section 13): days {@code
 * MON+TUE} (or full names, any case), local times {@code HH:mm}, categories {@code a+b}, a pomodoro
 * cadence {@code 25/5/15/4} (work, short break, long break minutes, cycles). Every method throws
 * {@link IllegalArgumentException} with a message that names the field and the bad value.
 */
public final class FocusBlockFields {
    /** Separator of days and of categories. */
    public static final String LIST_SEPARATOR = "+";

    private static final DateTimeFormatter HH_MM =
            DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);

    /** The last instant a block may end at: the end of the year 9999, as the job checks. */
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    private FocusBlockFields() {}

    /**
     * Checks a whole record as the job's door will ({@link FocusBlockChecks#problem}: the number
     * and names of blocks, each block's length, cadence and times, overlaps), except the focus
     * categories, which the job's own rules decide.
     *
     * @throws IllegalArgumentException with the door's words
     */
    public static FocusBlocks checkRecord(FocusBlocks record) {
        String problem = FocusBlockChecks.problem(record, null);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return record;
    }

    /**
     * @param text {@code MON+TUE+WED} or {@code monday+tuesday}; each day once
     * @return the days in week order
     * @throws IllegalArgumentException for an empty list, an unknown or a repeated day
     */
    public static List<Weekday> days(String text) {
        Set<Weekday> days = EnumSet.noneOf(Weekday.class);
        for (String part : text.split("\\+", -1)) {
            Weekday day = day(part.strip());
            if (!days.add(day)) {
                throw new IllegalArgumentException("days '" + text + "': " + day + " twice");
            }
        }
        return new ArrayList<>(days);
    }

    private static Weekday day(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        for (Weekday d : Weekday.values()) {
            if (d.name().equals(upper) || (upper.length() == 3 && d.name().startsWith(upper))) {
                return d;
            }
        }
        throw new IllegalArgumentException(
                "day '" + name + "' is not one of MON, TUE, WED, THU, FRI, SAT, SUN (or MONDAY ... SUNDAY)");
    }

    /**
     * @param field the field's name, for the message
     * @return {@code text} when it is a 24-hour {@code HH:mm} time ({@code 00:00} to {@code 23:59})
     * @throws IllegalArgumentException otherwise
     */
    public static String localTime(String field, String text) {
        try {
            return LocalTime.parse(text, HH_MM).format(HH_MM);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(field + " '" + text + "' is not a time HH:mm from 00:00 to 23:59");
        }
    }

    /**
     * @param text {@code technology+business}; empty: none (the block is for the rules' focus-class
     *     categories)
     * @return the categories in the given order
     * @throws IllegalArgumentException for an empty or repeated category ({@code a++b})
     */
    public static List<String> categories(String text) {
        List<String> out = new ArrayList<>();
        if (text.isBlank()) {
            return out;
        }
        for (String part : text.split("\\+", -1)) {
            String c = part.strip();
            if (c.isEmpty()) {
                throw new IllegalArgumentException("focus categories '" + text + "': an empty category");
            }
            if (out.contains(c)) {
                throw new IllegalArgumentException("focus categories '" + text + "': '" + c + "' twice");
            }
            out.add(c);
        }
        return out;
    }

    /**
     * @param text {@code WORK/SHORT/LONG/CYCLES}, e.g. {@code 25/5/15/4}: minutes of work, of the
     *     short and the long break from 1 to 240, and work periods before a long break from 1 to 12
     *     (the job's limits, {@link FocusBlockChecks})
     * @throws IllegalArgumentException otherwise
     */
    public static PomodoroCadence pomodoro(String text) {
        String[] parts = text.split("/", -1);
        int[] n = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                n[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                n[i] = 0;
            }
        }
        int most = FocusBlockChecks.MAX_CADENCE_MINUTES;
        if (parts.length != 4
                || java.util.Arrays.stream(n).anyMatch(x -> x < 1)
                || n[0] > most
                || n[1] > most
                || n[2] > most
                || n[3] > FocusBlockChecks.MAX_CYCLES) {
            throw new IllegalArgumentException(
                    "pomodoro '" + text + "' is not WORK/SHORT/LONG/CYCLES: minutes from 1 to " + most
                            + ", cycles from 1 to " + FocusBlockChecks.MAX_CYCLES + " (e.g. 25/5/15/4)");
        }
        return new PomodoroCadence(n[0], n[1], n[2], n[3]);
    }

    /** The default cadence, 25/5/15/4 (the schema's defaults). */
    public static PomodoroCadence defaultPomodoro() {
        return PomodoroCadence.newBuilder().build();
    }

    /** {@code 25/5/15/4}. */
    public static String format(PomodoroCadence p) {
        return p.getWorkMinutes() + "/" + p.getShortBreakMinutes() + "/" + p.getLongBreakMinutes() + "/"
                + p.getCycles();
    }

    /** {@code MON+TUE}. */
    public static String format(List<Weekday> days) {
        return String.join(
                LIST_SEPARATOR, days.stream().map(d -> d.name().substring(0, 3)).toList());
    }

    /**
     * Checks what the job checks of one block (its door sends an invalid one to the dead letters as
     * {@code INVALID_FOCUS_BLOCK}): a non-empty name, and either a one-off block ({@code start} and
     * {@code end}, end after start) or a weekly one (at least one day, {@code local_start} and
     * {@code local_end} in {@code HH:mm}, not equal), not both.
     *
     * @param names how the caller names the fields in messages ({@code from=}, {@code start}, ...)
     * @return {@code block}
     * @throws IllegalArgumentException naming the block and what is wrong
     */
    public static FocusBlock check(FocusBlock block, Names names) {
        String name = block.getName();
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a block without a name");
        }
        String where = "block '" + name + "': ";
        boolean oneOff = block.getStart() != null || block.getEnd() != null;
        boolean weekly = !block.getDays().isEmpty() || block.getLocalStart() != null || block.getLocalEnd() != null;
        if (oneOff && weekly) {
            throw new IllegalArgumentException(where + "either " + names.start() + " and " + names.end()
                    + " (one-off) or " + names.days() + " and " + names.local() + " (weekly), not both");
        }
        if (!oneOff && !weekly) {
            throw new IllegalArgumentException(where + "give " + names.start() + " and " + names.end()
                    + " (one-off) or " + names.days() + " and " + names.local() + " (weekly)");
        }
        if (oneOff) {
            if (block.getStart() == null || block.getEnd() == null) {
                throw new IllegalArgumentException(
                        where + "missing " + (block.getStart() == null ? names.start() : names.end()));
            }
            if (block.getStart().isBefore(Instant.EPOCH) || block.getEnd().isAfter(LATEST)) {
                throw new IllegalArgumentException(
                        where + names.start() + " and " + names.end() + " must lie between 1970 and the year 9999");
            }
            if (!block.getEnd().isAfter(block.getStart())) {
                throw new IllegalArgumentException(where + names.end() + " " + block.getEnd() + " is not after "
                        + names.start() + " " + block.getStart());
            }
        } else {
            if (block.getDays().isEmpty()) {
                throw new IllegalArgumentException(where + "missing " + names.days());
            }
            if (block.getLocalStart() == null || block.getLocalEnd() == null) {
                throw new IllegalArgumentException(where + "missing " + names.local());
            }
            if (block.getLocalStart().equals(block.getLocalEnd())) {
                throw new IllegalArgumentException(where + "starts and ends at " + block.getLocalStart()
                        + " (an end at or before the start is on the next day, but not the same time)");
            }
        }
        return block;
    }

    /**
     * How a caller names the fields in messages.
     *
     * @param start the one-off start ({@code from=}, {@code start})
     * @param end the one-off end
     * @param days the weekly days
     * @param local the weekly local times ({@code at=}, {@code local_start and local_end})
     */
    public record Names(String start, String end, String days, String local) {}
}
