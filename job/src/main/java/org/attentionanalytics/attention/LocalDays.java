package org.attentionanalytics.attention;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.attentionanalytics.avro.internal.AttentionState;
import org.attentionanalytics.avro.internal.BudgetEntry;
import org.attentionanalytics.avro.internal.DayState;

/**
 * The local days of one user (DESIGN.md sections 4 and 8): the zone in effect at an instant and
 * the {@link DayState} of each local date not reported yet, in {@code AttentionState.days} in date
 * order. Instants are epoch ms (UTC); dates are days since 1970-01-01 in the user's zone, so a day
 * lasts 23, 24 or 25 hours.
 */
final class LocalDays implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String defaultZone;
    private transient Map<String, ZoneId> zones;

    LocalDays(AttentionSettings settings) {
        this.defaultZone = settings.defaultZone();
    }

    /**
     * @return the record of {@code t}'s local date, created when {@code create}; null for a date
     *     already reported, or a missing one not created
     */
    DayState dayFor(AttentionState a, long t, boolean create) {
        ZoneId zone = zoneAt(a, t);
        long seconds = Math.floorDiv(t, 1000L)
                + zone.getRules().getOffset(Instant.ofEpochMilli(t)).getTotalSeconds();
        int date = (int) Math.floorDiv(seconds, 86_400L);
        if (date <= a.getLastReportedDate()) {
            return null;
        }
        List<DayState> days = a.getDays();
        int at = days.size();
        for (int i = days.size() - 1; i >= 0; i--) {
            int d = days.get(i).getDate();
            if (d == date) {
                return days.get(i);
            }
            if (d < date) {
                break;
            }
            at = i;
        }
        if (!create) {
            return null;
        }
        DayState day = DayState.newBuilder()
                .setDate(date)
                .setEnd(dayStart(date + 1, zone))
                .setEngaged(new ArrayList<>())
                .setAlerts(new ArrayList<>())
                .setBudgetAlerted(new ArrayList<>())
                .build();
        days.add(at, day);
        return day;
    }

    /** @return the first instant of {@code day}, ms, in the zone at its last millisecond */
    long start(AttentionState a, DayState day) {
        return dayStart(day.getDate(), zoneAt(a, day.getEnd() - 1));
    }

    /** @return the first instant of local date {@code epochDay} in {@code zone}, ms */
    static long dayStart(long epochDay, ZoneId zone) {
        return LocalDate.ofEpochDay(epochDay).atStartOfDay(zone).toInstant().toEpochMilli();
    }

    /** @return the zone at {@code t}: the budget's in effect, else the latest event zone, else the default */
    ZoneId zoneAt(AttentionState a, long t) {
        BudgetEntry budget = Budgets.inEffect(a, t);
        return zone(
                budget != null && budget.getZone() != null
                        ? budget.getZone()
                        : a.getEventZone() != null ? a.getEventZone() : defaultZone);
    }

    /** @return the zone of IANA id {@code id} (checked at the door and in the options), cached */
    ZoneId zone(String id) {
        Map<String, ZoneId> z = zones;
        if (z == null) {
            z = new HashMap<>();
            zones = z;
        }
        ZoneId zone = z.get(id);
        if (zone == null) {
            zone = ZoneId.of(id); // validated at the door and in the options
            if (z.size() > 1000) {
                z.clear();
            }
            z.put(id, zone);
        }
        return zone;
    }
}
