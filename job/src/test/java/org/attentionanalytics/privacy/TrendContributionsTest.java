package org.attentionanalytics.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.attentionanalytics.avro.internal.TrendContribution;
import org.attentionanalytics.avro.internal.UserState;
import org.junit.jupiter.api.Test;

/** Per-user bounding of the topic trends, hand-computed values. */
class TrendContributionsTest {
    static final List<String> CATS =
            List.of("news", "politics", "business", "technology", "sports", "entertainment", "lifestyle", "other");
    static final int NEWS = 0, POLITICS = 1, BUSINESS = 2, TECH = 3, SPORTS = 4, ENT = 5, LIFE = 6, OTHER = 7;
    static final long MIN = 60_000L;
    static final long LATENESS = 5 * MIN;
    /** 2024-03-05T10:00:00Z */
    static final long H10 = Instant.parse("2024-03-05T10:00:00Z").toEpochMilli();

    static final long H11 = H10 + 60 * MIN;

    final TrendContributions tc = new TrendContributions(CATS, LATENESS);

    static UserState empty() {
        return UserState.newBuilder().build();
    }

    static TrendContribution c(long window, String category, int minutes) {
        return TrendContribution.newBuilder()
                .setWindowStart(window)
                .setCategory(category)
                .setMinutes(minutes)
                .build();
    }

    @Test
    void aViewWithoutEngagedTimeCountsOneUserAndZeroMinutes() {
        UserState st = empty();
        tc.viewed(st, SPORTS, H10 + 17 * MIN);
        assertThat(tc.nextDeadline(st)).isEqualTo(H11 + LATENESS);
        assertThat(tc.due(st, H11 + LATENESS - 1)).isEmpty();
        assertThat(st.getTrendWindows()).hasSize(1);
        assertThat(tc.due(st, H11 + LATENESS)).containsExactly(c(H10, "sports", 0));
        assertThat(st.getTrendWindows()).isEmpty();
        assertThat(tc.nextDeadline(st)).isEqualTo(Long.MAX_VALUE);
        assertThat(tc.due(st, Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void engagedTimeCountsByEachDwellsOwnTimeInWholeMinutesCappedAt12() {
        UserState st = empty();
        tc.viewed(st, NEWS, H10 + 50 * MIN);
        // one view's dwell reported twice: 10:59:59.999 (in 10:00) and 11:00:00.000 (in 11:00)
        tc.engaged(st, NEWS, H11 - 1, 2 * MIN - 1); // 1 min 59.999 s -> 1 minute
        tc.engaged(st, NEWS, H11, 3 * MIN);
        tc.engaged(st, SPORTS, H11 + 10 * MIN, 10 * MIN);
        tc.engaged(st, SPORTS, H11 + 30 * MIN, 10 * MIN); // 20 min in total -> capped at 12
        tc.engaged(st, TECH, H11 + 31 * MIN, -5); // negative counts as 0: counted as viewed
        assertThat(tc.nextDeadline(st)).isEqualTo(H11 + LATENESS);

        assertThat(tc.due(st, H11 + LATENESS)).containsExactly(c(H10, "news", 1));
        assertThat(tc.nextDeadline(st)).isEqualTo(H11 + 60 * MIN + LATENESS);
        assertThat(tc.due(st, Long.MAX_VALUE))
                .containsExactly(c(H11, "sports", 12), c(H11, "news", 3), c(H11, "technology", 0));
    }

    @Test
    void atMostFiveCategoriesTheMostEngagedTiesToTheEarlierCategory() {
        UserState st = empty();
        long t = H10 + 5 * MIN;
        // 8 categories: engaged ms other 9 min, lifestyle 9 min, sports 3 min, business 30 s, and four viewed only
        tc.viewed(st, OTHER, t);
        tc.engaged(st, OTHER, t, 9 * MIN);
        tc.engaged(st, LIFE, t, 9 * MIN);
        tc.engaged(st, SPORTS, t, 3 * MIN);
        tc.engaged(st, BUSINESS, t, 30_000);
        tc.viewed(st, ENT, t);
        tc.viewed(st, TECH, t);
        tc.viewed(st, POLITICS, t);
        tc.viewed(st, NEWS, t);
        // rank: lifestyle (9 min, index 6) before other (9 min, index 7); sports; business (0 whole
        // minutes but 30 s, so ahead of the viewed-only ones); then of the 0-ms ones the lowest index: news
        assertThat(tc.due(st, H11 + LATENESS))
                .containsExactly(
                        c(H10, "lifestyle", 9),
                        c(H10, "other", 9),
                        c(H10, "sports", 3),
                        c(H10, "business", 0),
                        c(H10, "news", 0));
    }

    @Test
    void theSameCategoriesInAnyOrderGiveTheSameContributions() {
        UserState a = empty();
        UserState b = empty();
        long t = H10 + MIN;
        int[] order = {ENT, TECH, POLITICS, NEWS, LIFE, SPORTS, OTHER};
        for (int i = 0; i < order.length; i++) {
            tc.viewed(a, order[i], t + i);
            tc.viewed(b, order[order.length - 1 - i], t + i);
        }
        List<TrendContribution> fromA = tc.due(a, Long.MAX_VALUE);
        assertThat(fromA).isEqualTo(tc.due(b, Long.MAX_VALUE));
        assertThat(fromA)
                .extracting(TrendContribution::getCategory)
                .containsExactly("news", "politics", "technology", "sports", "entertainment");
    }

    @Test
    void windowsAreUtcHoursAndStayInTimeOrder() {
        assertThat(TrendContributions.windowStart(H10)).isEqualTo(H10);
        assertThat(TrendContributions.windowStart(H11 - 1)).isEqualTo(H10);
        assertThat(TrendContributions.windowStart(-1)).isEqualTo(-TrendContributions.WINDOW_MS);
        UserState st = empty();
        tc.viewed(st, NEWS, H11 + 1);
        tc.viewed(st, NEWS, H10 + 1); // a late event: earlier window inserted before
        tc.viewed(st, NEWS, H11 + 2);
        assertThat(st.getTrendWindows()).extracting(w -> w.getWindowStart()).containsExactly(H10, H11);
        assertThat(tc.nextDeadline(st)).isEqualTo(H11 + LATENESS);
        assertThat(tc.due(st, Long.MAX_VALUE)).containsExactly(c(H10, "news", 0), c(H11, "news", 0));
    }

    @Test
    void clearForgetsOpenWindowsAndBadIndexesAreRejected() {
        UserState st = empty();
        tc.viewed(st, NEWS, H10);
        TrendContributions.clear(st);
        assertThat(tc.due(st, Long.MAX_VALUE)).isEmpty();
        assertThatThrownBy(() -> tc.viewed(st, CATS.size(), H10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tc.engaged(st, -1, H10, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TrendContributions(List.of(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void indexesOfALongerOldCategorySetAreDroppedOnRestore() {
        UserState st = empty();
        tc.viewed(st, OTHER, H10);
        tc.viewed(st, NEWS, H10);
        // restored with a rules file of 3 categories: index 7 no longer exists
        TrendContributions shorter = new TrendContributions(List.of("news", "sports", "other"), LATENESS);
        assertThat(shorter.due(st, Long.MAX_VALUE)).containsExactly(c(H10, "news", 0));
    }

    @Test
    void stateSurvivesAvroRoundTrip() throws Exception {
        UserState st = empty();
        tc.engaged(st, SPORTS, H10, 4 * MIN);
        byte[] bytes = st.toByteBuffer().array();
        UserState back = UserState.fromByteBuffer(java.nio.ByteBuffer.wrap(bytes));
        tc.engaged(back, SPORTS, H10 + 1, 2 * MIN); // lists read back by Avro are mutable
        tc.viewed(back, NEWS, H11);
        assertThat(tc.due(back, Long.MAX_VALUE)).containsExactly(c(H10, "sports", 6), c(H11, "news", 0));
    }
}
