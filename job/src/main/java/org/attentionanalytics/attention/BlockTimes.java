package org.attentionanalytics.attention;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.attentionanalytics.avro.internal.BlockSpec;

/**
 * When the occurrences of a focus block are (DESIGN.md section 13). A one-off block has one, from
 * its start to its end; a weekly block has one on each of its days, from its local start to its
 * local end in the given zone, the end on the next day when it is at or before the start (22:00 to
 * 02:00). Local times are read as {@link java.time.ZonedDateTime} does: a local time skipped by a
 * daylight-saving change moves later by the gap, one repeated by it takes the earlier offset, so a
 * weekly block of 01:00 to 04:00 in Europe/Berlin lasts 2 hours on the last Sunday of March and 4
 * on the last Sunday of October. Instants are epoch ms; an occurrence is {@code [start, end)}.
 */
public final class BlockTimes {
    private static final long DAY_MS = 86_400_000L;

    private BlockTimes() {}

    /** @return whether {@code spec} is a one-off block (else weekly) */
    public static boolean isOneOff(BlockSpec spec) {
        return spec.getDays().isEmpty();
    }

    /** @return the occurrence of {@code spec} that holds {@code t} as {@code {start, end}}, or null */
    public static long[] occurrenceAt(BlockSpec spec, ZoneId zone, long t) {
        if (isOneOff(spec)) {
            return spec.getStart() <= t && t < spec.getEnd() ? new long[] {spec.getStart(), spec.getEnd()} : null;
        }
        LocalDate today = Instant.ofEpochMilli(t).atZone(zone).toLocalDate();
        for (LocalDate d = today.minusDays(1); !d.isAfter(today); d = d.plusDays(1)) {
            long[] o = weekly(spec, zone, d);
            if (o != null && o[0] <= t && t < o[1]) {
                return o;
            }
        }
        return null;
    }

    /** @return every occurrence of {@code spec} that overlaps {@code [from, to)}, by start */
    public static List<long[]> occurrences(BlockSpec spec, ZoneId zone, long from, long to) {
        List<long[]> out = new ArrayList<>();
        if (isOneOff(spec)) {
            if (spec.getStart() < to && from < spec.getEnd()) {
                out.add(new long[] {spec.getStart(), spec.getEnd()});
            }
            return out;
        }
        LocalDate first = Instant.ofEpochMilli(from - DAY_MS).atZone(zone).toLocalDate();
        LocalDate last = Instant.ofEpochMilli(to).atZone(zone).toLocalDate();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            long[] o = weekly(spec, zone, d);
            if (o != null && o[0] < to && from < o[1]) {
                out.add(o);
            }
        }
        return out;
    }

    /** @return the occurrence of weekly {@code spec} starting on local date {@code d}, or null if none starts then */
    private static long[] weekly(BlockSpec spec, ZoneId zone, LocalDate d) {
        if (!spec.getDays().contains(d.getDayOfWeek().getValue())) {
            return null;
        }
        int startMinute = spec.getLocalStartMinute();
        int endMinute = spec.getLocalEndMinute();
        long start = d.atTime(LocalTime.ofSecondOfDay(startMinute * 60L))
                .atZone(zone)
                .toInstant()
                .toEpochMilli();
        LocalDate endDate = endMinute > startMinute ? d : d.plusDays(1);
        long end = endDate.atTime(LocalTime.ofSecondOfDay(endMinute * 60L))
                .atZone(zone)
                .toInstant()
                .toEpochMilli();
        return end > start ? new long[] {start, end} : null;
    }
}
