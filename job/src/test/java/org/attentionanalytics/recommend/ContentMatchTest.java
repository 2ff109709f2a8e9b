package org.attentionanalytics.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.attentionanalytics.recommend.ContentMatch.Match;
import org.junit.jupiter.api.Test;

/** {@link ContentMatch} on a small catalog, by hand. */
class ContentMatchTest {
    static final long T = 1_700_000_000_000L;
    static final long H = 3_600_000L; // half-life 1 h

    static final Map<String, Map<String, Double>> CATALOG = Map.of(
            "n1", Map.of("news", 1.0),
            "n2", Map.of("news", 0.6, "science", 0.8),
            "s1", Map.of("science", 1.0),
            "g1", Map.of("games", 1.0));

    @Test
    void perTopicCountsDecayWithTheHalfLife() {
        ContentMatch m = new ContentMatch(H, 10);
        m.view("n1", Set.of("news"), T);
        m.view("n1", Set.of("news"), T + H); // the first view is worth 1/2 an hour later
        m.view("n2", Set.of("news", "science"), T + H);
        m.view("n2", Set.of("news", "science"), T + H);
        // at T + H: n1 = 0.5 + 1 = 1.5, n2 = 2; at T + 2H half of that
        assertThat(m.count("news", "n1", T + H)).isCloseTo(1.5, within(1e-12));
        assertThat(m.count("news", "n1", T + 2 * H)).isCloseTo(0.75, within(1e-12));
        assertThat(m.count("science", "n2", T + H)).isCloseTo(2.0, within(1e-12));
        assertThat(m.topItems("news", 10)).containsExactly("n2", "n1");
        assertThat(m.topItems("games", 10)).isEmpty();
    }

    @Test
    void scoresAreTheCosineOfTheItemsTopicsAndTheUsersInterests() {
        ContentMatch m = new ContentMatch(H, 10);
        for (String item : List.of("n1", "n2", "s1", "g1")) {
            m.view(item, CATALOG.get(item).keySet(), T);
        }
        // interests (news 0.8, science 0.6), norm 1:
        // n2 (0.6, 0.8): 0.48 + 0.48 = 0.96; n1: 0.8; s1: 0.6; g1 not among the top topics' items
        List<Match> out =
                m.match(Map.of("news", 0.8, "science", 0.6), List.of("news", "science"), CATALOG, Set.of(), 10);
        assertThat(out).extracting(Match::item).containsExactly("n2", "n1", "s1");
        assertThat(out.get(0).score()).isCloseTo(0.96, within(1e-12));
        assertThat(out.get(1).score()).isCloseTo(0.8, within(1e-12));
        assertThat(out.get(2).score()).isCloseTo(0.6, within(1e-12));
        // excluded and size
        assertThat(m.match(Map.of("news", 0.8, "science", 0.6), List.of("news", "science"), CATALOG, Set.of("n2"), 1))
                .extracting(Match::item)
                .containsExactly("n1");
    }

    @Test
    void keepsTheMostViewedItemsPerTopic() {
        ContentMatch m = new ContentMatch(H, 2);
        // in event-time order, x1 3 views, x2 2, x3 to x5 1 each: the table trims at 5 > 2 x 2 items
        // (at x5) to x1 and x2, which stay on top
        String[] views = {"x1", "x1", "x1", "x2", "x2", "x3", "x4", "x5"};
        for (int i = 0; i < views.length; i++) {
            m.view(views[i], Set.of("t"), T + i);
        }
        assertThat(m.topItems("t", 2)).containsExactly("x1", "x2");
    }

    @Test
    void untrimmedSumsDoNotDependOnTheOrderOfAdding() {
        ContentMatch a = new ContentMatch(H, 10);
        ContentMatch b = new ContentMatch(H, 10);
        long[] times = {T, T + H, T + 3 * H, T + 2 * H};
        for (int i = 0; i < times.length; i++) {
            a.view("x", Set.of("t"), times[i]);
            b.view("x", Set.of("t"), times[times.length - 1 - i]);
        }
        // at T + 3H: 1/8 + 1/4 + 1 + 1/2 = 1.875
        assertThat(a.count("t", "x", T + 3 * H)).isCloseTo(1.875, within(1e-12));
        assertThat(b.count("t", "x", T + 3 * H)).isCloseTo(1.875, within(1e-12));
    }
}
