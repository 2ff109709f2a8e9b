package org.attentionanalytics.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.attentionanalytics.attention.AttentionFixtures.state;
import static org.attentionanalytics.testutil.Events.T0;
import static org.attentionanalytics.testutil.Events.at;
import static org.attentionanalytics.testutil.Events.budget;
import static org.attentionanalytics.testutil.Events.minutes;

import java.util.Map;
import org.attentionanalytics.avro.internal.AttentionState;
import org.attentionanalytics.avro.internal.BudgetEntry;
import org.attentionanalytics.avro.internal.DayState;
import org.junit.jupiter.api.Test;

/** {@link Budgets} without Flink: the timeline, the entry in effect, pruning (allowed lateness 5 min). */
class BudgetsTest {
    private final Budgets budgets = new Budgets(AttentionSettings.defaults(minutes(30), minutes(5)));

    private static BudgetEntry add(AttentionState a, long from, long minutes) {
        return Budgets.add(a, budget("u", from, null, true, Map.of("news", minutes)));
    }

    @Test
    void entriesAreInOrderOfFromAndTheirCategoriesInNameOrder() {
        AttentionState a = state();
        BudgetEntry e =
                Budgets.add(a, budget("u", at(10, 0), "Europe/Berlin", false, Map.of("sports", 20L, "news", 5L)));
        // TreeMap order: news before sports, minutes parallel
        assertThat(e.getCategories()).containsExactly("news", "sports");
        assertThat(e.getMinutes()).containsExactly(5L, 20L);
        assertThat(e.getZone()).isEqualTo("Europe/Berlin");
        assertThat(e.getAlertsEnabled()).isFalse();

        add(a, at(5, 0), 1);
        add(a, at(10, 0), 2);
        // 5:00 goes before 10:00; the second 10:00 after the first
        assertThat(a.getBudgets()).extracting(BudgetEntry::getFrom).containsExactly(at(5, 0), at(10, 0), at(10, 0));
        assertThat(a.getBudgets().get(2).getMinutes()).containsExactly(2L);
    }

    @Test
    void theEntryInEffectIsTheLatestFromAtOrBeforeTheTime() {
        AttentionState a = state();
        BudgetEntry five = add(a, at(5, 0), 1);
        add(a, at(10, 0), 2);
        BudgetEntry laterTen = add(a, at(10, 0), 3);
        // nothing from at or before 4:59
        assertThat(Budgets.inEffect(a, at(4, 59))).isNull();
        // 5:00 and 9:59: the 5:00 entry; 10:00: the later of the two 10:00 entries
        assertThat(Budgets.inEffect(a, at(5, 0))).isSameAs(five);
        assertThat(Budgets.inEffect(a, at(9, 59))).isSameAs(five);
        assertThat(Budgets.inEffect(a, at(10, 0))).isSameAs(laterTen);
    }

    @Test
    void pruningKeepsTheEntryInEffectAtTheHorizonAndAllAfterIt() {
        AttentionState a = state();
        add(a, at(0, 0), 1);
        add(a, at(60, 0), 2);
        add(a, at(120, 0), 3);

        budgets.prune(a, Long.MIN_VALUE);
        // no watermark yet: the horizon is MIN_VALUE, nothing goes
        assertThat(a.getBudgets()).hasSize(3);

        a.getDays()
                .add(DayState.newBuilder()
                        .setDate(0)
                        .setEnd(T0 + minutes(26 * 60 + 30))
                        .build());
        budgets.prune(a, at(150, 0));
        // horizon = min(150 - 5 min, day end - 26 h = 30 min) = 30 min: the entry from 0 min is in effect there
        assertThat(a.getBudgets()).hasSize(3);

        a.getDays().clear();
        budgets.prune(a, at(150, 0));
        // horizon 150 - 5 = 145 min: the entry from 120 min is in effect there, the two before it go
        assertThat(a.getBudgets()).extracting(BudgetEntry::getFrom).containsExactly(at(120, 0));
    }
}
