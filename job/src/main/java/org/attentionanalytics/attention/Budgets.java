package org.attentionanalytics.attention;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.AttentionState;
import org.attentionanalytics.avro.internal.BudgetEntry;
import org.attentionanalytics.avro.internal.DayState;

/**
 * The budget timeline of one user: the {@code AttentionBudget}s that TIME_BUDGET_EXCEEDED, the
 * opt-out and the zone of DESIGN.md sections 7 and 8 read, as {@link BudgetEntry}s in {@code
 * AttentionState.budgets} in order of {@code from} (the budget's {@code updated_at}, epoch ms).
 * Budgets are daily minutes per category; the entry in effect at {@code t} is the latest one from
 * at or before {@code t}.
 */
final class Budgets implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Longer than any local day (25 h), for lower bounds of a day's start. */
    private static final long LONGEST_DAY_MS = 26 * 3_600_000L;

    private final long latenessMs;

    Budgets(AttentionSettings settings) {
        this.latenessMs = settings.latenessMs();
    }

    /**
     * Adds the budget of a BUDGET event (event time = {@code updated_at}) to the timeline, after the
     * entries from the same time, its categories in name order.
     *
     * @return the entry added
     */
    static BudgetEntry add(AttentionState a, AttentionEvent budget) {
        long from = budget.getEventTime();
        TreeMap<String, Long> sorted = new TreeMap<>(budget.getBudgetMinutes());
        BudgetEntry entry = BudgetEntry.newBuilder()
                .setFrom(from)
                .setZone(budget.getTimeZone())
                .setCategories(new ArrayList<>(sorted.keySet()))
                .setMinutes(new ArrayList<>(sorted.values()))
                .setAlertsEnabled(budget.getAlertsEnabled())
                .build();
        List<BudgetEntry> budgets = a.getBudgets();
        int at = budgets.size();
        while (at > 0 && budgets.get(at - 1).getFrom() > from) {
            at--;
        }
        budgets.add(at, entry);
        return entry;
    }

    /** @return the budget in effect at {@code t} (the latest from at or before it), or null */
    static BudgetEntry inEffect(AttentionState a, long t) {
        List<BudgetEntry> budgets = a.getBudgets();
        for (int i = budgets.size() - 1; i >= 0; i--) {
            if (budgets.get(i).getFrom() <= t) {
                return budgets.get(i);
            }
        }
        return null;
    }

    /**
     * Drops the entries superseded before both the oldest unreported day (a lower bound of its start)
     * and the watermark minus the allowed lateness: no event still to come is in effect under them.
     */
    void prune(AttentionState a, long watermark) {
        long horizon = watermark == Long.MIN_VALUE ? Long.MIN_VALUE : watermark - latenessMs;
        for (DayState d : a.getDays()) {
            horizon = Math.min(horizon, d.getEnd() - LONGEST_DAY_MS);
        }
        List<BudgetEntry> budgets = a.getBudgets();
        int keepFrom = 0;
        for (int i = 0; i < budgets.size(); i++) {
            if (budgets.get(i).getFrom() <= horizon) {
                keepFrom = i; // the latest entry at or before the horizon is still in effect there
            }
        }
        if (keepFrom > 0) {
            a.setBudgets(new ArrayList<>(budgets.subList(keepFrom, budgets.size())));
        }
    }
}
