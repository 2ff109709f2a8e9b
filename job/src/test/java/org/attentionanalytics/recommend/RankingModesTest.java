package org.attentionanalytics.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.attentionanalytics.avro.Recommendation;
import org.attentionanalytics.avro.RecommendedItem;
import org.attentionanalytics.avro.internal.CatalogUpdate;
import org.attentionanalytics.avro.internal.ItemMeanEngaged;
import org.attentionanalytics.avro.internal.RankMessage;
import org.attentionanalytics.avro.internal.RankMessageKind;
import org.attentionanalytics.avro.internal.RankingBroadcast;
import org.attentionanalytics.avro.internal.RecommendationUpdate;
import org.junit.jupiter.api.Test;

/**
 * {@link RankingFunction} with MODE messages (DESIGN.md section 12), lists of 3, FOCUSED lists of
 * {@link RecsHarnesses#FOCUSED_SIZE} = 2. The catalog: a, c, d and e are news (a and c as
 * "news.world", rolled up to depth 1), b is sport. Every request gets the same answer: a 0.9, b 0.8,
 * c 0.7, d 0.6, e 0.5, so a NORMAL list is a, b, c and a FOCUSED one with top topic "news" looks at
 * the first 2 x 2 news items of the ranking (a, c, d, e) and, with no engaged times known yet, keeps
 * the ranked order: a, c.
 */
class RankingModesTest {
    static final long T = 1_700_000_000_000L;
    static final RecsSettings SETTINGS = new RecsSettings(3, 0, 0, 86_400_000L, 10, 100, 100, 5, 0, true);

    static RankMessage request(long t) {
        return RankMessage.newBuilder()
                .setUser("u")
                .setKind(RankMessageKind.REQUEST)
                .setTime(t)
                .setAsOf(t)
                .build();
    }

    static RankMessage answer(long t) {
        return RankMessage.newBuilder()
                .setUser("u")
                .setKind(RankMessageKind.SCORES)
                .setTime(t)
                .setItems(new ArrayList<>(List.of("a", "b", "c", "d", "e")))
                .setScores(new ArrayList<>(List.of(0.9, 0.8, 0.7, 0.6, 0.5)))
                .build();
    }

    static RankMessage mode(long t, String mode) {
        return RankMessage.newBuilder()
                .setUser("u")
                .setKind(RankMessageKind.MODE)
                .setTime(t)
                .setMode(mode)
                .setItems(new ArrayList<>(List.of("news", "science")))
                .build();
    }

    static RankMessage erased(long t) {
        return RankMessage.newBuilder()
                .setUser("u")
                .setKind(RankMessageKind.ERASED)
                .setTime(t)
                .build();
    }

    static RankingBroadcast item(String id, String topic) {
        return new RankingBroadcast(
                null,
                CatalogUpdate.newBuilder()
                        .setItemId(id)
                        .setTopics(new ArrayList<>(List.of(topic)))
                        .setWeights(new ArrayList<>(List.of(1.0)))
                        .build(),
                null);
    }

    static List<String> keys(KeyedBroadcastOperatorTestHarness<String, ?, ?, ?> h, String name) throws Exception {
        try (Stream<String> keys =
                h.getOperator().<String>getKeyedStateBackend().getKeys(name, VoidNamespace.INSTANCE)) {
            return keys.toList();
        }
    }

    /** The catalog of the class comment: a, c (news.world), d, e news; b sport. */
    static void catalog(KeyedBroadcastOperatorTestHarness<String, RankMessage, RankingBroadcast, ?> h)
            throws Exception {
        h.processBroadcastElement(item("a", "news.world"), T);
        h.processBroadcastElement(item("b", "sport"), T);
        h.processBroadcastElement(item("c", "news.world"), T);
        h.processBroadcastElement(item("d", "news"), T);
        h.processBroadcastElement(item("e", "news"), T);
    }

    /** A request at {@code t} and its answer (a 0.9 ... e 0.5). */
    static void ask(KeyedBroadcastOperatorTestHarness<String, RankMessage, RankingBroadcast, ?> h, long t)
            throws Exception {
        h.processElement(request(t), t);
        h.processElement(answer(t), t);
    }

    /** Both inputs' watermarks to {@code t}: the ranking's timers up to it fire. */
    static void watermark(KeyedBroadcastOperatorTestHarness<String, ?, ?, ?> h, long t) throws Exception {
        h.processWatermark(t);
        h.processBroadcastWatermark(t);
    }

    /** "mode@t: items" per record, t in ms after T. */
    static String show(RecommendationUpdate u) {
        Recommendation r = u.getRecommendation();
        if (r == null) {
            return "tombstone";
        }
        return r.getMode() + "@" + (r.getAsOf().toEpochMilli() - T) + ": "
                + String.join(
                        ",",
                        r.getItems().stream().map(RecommendedItem::getItemId).toList());
    }

    @Test
    void eachSwitchGoesOutAtOnceAndListsFollowTheMode() throws Exception {
        try (var h = RecsHarnesses.ranking(SETTINGS)) {
            catalog(h);
            ask(h, T);
            h.processElement(mode(T + 10, "FOCUSED"), T + 10); // no list at 10: the switch alone
            h.processElement(mode(T + 20, "QUIET"), T + 20);
            h.processElement(request(T + 20), T + 20); // a list at the switch's time: one record
            h.processElement(answer(T + 20), T + 20);
            ask(h, T + 30);
            h.processElement(mode(T + 40, "NORMAL"), T + 40);
            watermark(h, T + 40);
            assertThat(h.extractOutputValues())
                    .extracting(RankingModesTest::show)
                    .containsExactly(
                            "NORMAL@0: a,b,c",
                            "FOCUSED@10: a,c",
                            "QUIET@20: ",
                            "QUIET@30: ",
                            // back to NORMAL: the last ranked list (at 30), as ranked
                            "NORMAL@40: a,b,c");
        }
    }

    /**
     * A FOCUSED list is ranked as long as the popularity table ({@code 3 x 10} items here), so topical
     * items below the first 3 are found: with a, b and c sport, the news items d and e.
     */
    @Test
    void focusedLooksBelowTheListSize() throws Exception {
        try (var h = RecsHarnesses.ranking(SETTINGS)) {
            for (String sport : List.of("a", "b", "c")) {
                h.processBroadcastElement(item(sport, "sport"), T);
            }
            h.processBroadcastElement(item("d", "news"), T);
            h.processBroadcastElement(item("e", "news"), T);
            ask(h, T);
            h.processElement(mode(T + 1, "FOCUSED"), T + 1);
            ask(h, T + 1);
            watermark(h, T + 1);
            assertThat(h.extractOutputValues())
                    .extracting(RankingModesTest::show)
                    .containsExactly("NORMAL@0: a,b,c", "FOCUSED@1: d,e");
        }
    }

    /**
     * FOCUSED prefers long mean engaged times: the first 2 x 2 news items of the ranking are a, c, d
     * and e; the gate reported c 120 s, e 90 s and a 60 s per view, d nothing: c, e are kept (d,
     * unknown, would come last).
     */
    @Test
    void focusedPrefersTheItemsReadLongest() throws Exception {
        try (var h = RecsHarnesses.ranking(SETTINGS)) {
            for (String news : List.of("a", "c", "d", "e")) {
                h.processBroadcastElement(item(news, "news"), T);
            }
            h.processBroadcastElement(item("b", "sport"), T);
            h.processBroadcastElement(engaged("a", 60_000), T);
            h.processBroadcastElement(engaged("c", 120_000), T);
            h.processBroadcastElement(engaged("e", 90_000), T);
            h.processElement(mode(T, "FOCUSED"), T);
            ask(h, T);
            watermark(h, T);
            assertThat(h.extractOutputValues())
                    .extracting(RankingModesTest::show)
                    .containsExactly("FOCUSED@0: c,e");
        }
    }

    /**
     * A late event (within the allowed lateness) can switch the mode: its MODE carries the event's
     * time, 5, behind the list at 10 that went out already. The switch record keeps as_of 10, so the
     * user's records never go back in time.
     */
    @Test
    void aLateSwitchDoesNotGoBackBeforeTheLastList() throws Exception {
        try (var h = RecsHarnesses.ranking(SETTINGS)) {
            h.processBroadcastElement(item("a", "news.world"), T);
            h.processBroadcastElement(item("b", "sport"), T);
            h.processBroadcastElement(item("c", "news.world"), T);
            ask(h, T + 10);
            watermark(h, T + 10);
            h.processElement(mode(T + 5, "QUIET"), T + 5); // behind the watermark
            watermark(h, T + 11);
            assertThat(h.extractOutputValues())
                    .extracting(RankingModesTest::show)
                    .containsExactly("NORMAL@10: a,b,c", "QUIET@10: ");
        }
    }

    static RankingBroadcast engaged(String item, double meanMs) {
        return new RankingBroadcast(null, null, new ItemMeanEngaged(item, meanMs));
    }

    /**
     * A spent budget category (news, by the default category rules, for the topic news) takes its
     * items out of every list, whatever the mode: at 0 the list is ranked longer (a..e) and shows b,
     * the only item not in news (sport). At 10 nothing is spent any more (a new day): the switch
     * record is the last ranked list cut to 3, a, b, c.
     */
    @Test
    void aSpentBudgetCategoryHasNoItemsUntilItIsNoLongerSpent() throws Exception {
        try (var h = RecsHarnesses.ranking(SETTINGS)) {
            catalog(h);
            RankMessage spent = mode(T, "NORMAL");
            spent.setItems(new ArrayList<>());
            spent.setSpentCategories(new ArrayList<>(List.of("news")));
            h.processElement(spent, T);
            ask(h, T);
            RankMessage newDay = mode(T + 10, "NORMAL");
            newDay.setItems(new ArrayList<>());
            h.processElement(newDay, T + 10);
            watermark(h, T + 10);
            assertThat(h.extractOutputValues())
                    .extracting(RankingModesTest::show)
                    .containsExactly("NORMAL@0: b", "NORMAL@10: a,b,c");
        }
    }

    @Test
    void anErasureForgetsTheMode() throws Exception {
        try (var h = RecsHarnesses.ranking(SETTINGS)) {
            h.processElement(mode(T, "QUIET"), T);
            h.processElement(erased(T + 1), T + 1);
            ask(h, T + 2);
            watermark(h, T + 2);
            assertThat(h.extractOutputValues())
                    .extracting(RankingModesTest::show)
                    .containsExactly("QUIET@0: ", "tombstone", "NORMAL@2: a,b,c");
            // the list after the erasure is the only state left: no mode
            assertThat(keys(h, RecsState.MODE)).isEmpty();
            assertThat(keys(h, RecsState.LAST_LIST)).containsExactly("u");
        }
    }

    @Test
    void anErasureClearsTheModeAndTheLastList() throws Exception {
        try (var h = RecsHarnesses.ranking(SETTINGS)) {
            ask(h, T);
            h.processElement(mode(T + 1, "FOCUSED"), T + 1);
            watermark(h, T + 1);
            assertThat(keys(h, RecsState.MODE)).containsExactly("u");
            assertThat(keys(h, RecsState.LAST_LIST)).containsExactly("u");
            h.processElement(erased(T + 2), T + 2);
            watermark(h, T + 2);
            assertThat(keys(h, RecsState.MODE)).isEmpty();
            assertThat(keys(h, RecsState.LAST_LIST)).isEmpty();
        }
    }

    /** The record announcing a switch leaves out what the user may not be proposed at that time. */
    @Test
    void theSwitchRecordLeavesOutItemsExcludedAtItsTime() throws Exception {
        try (var h = RecsHarnesses.ranking(SETTINGS)) {
            ask(h, T);
            // at 10 the user views b (so it is excluded then) and goes NORMAL -> QUIET -> NORMAL
            h.processElement(
                    RankMessage.newBuilder(mode(T + 10, "QUIET"))
                            .setExcluded(new ArrayList<>(List.of("b")))
                            .build(),
                    T + 10);
            h.processElement(
                    RankMessage.newBuilder(mode(T + 20, "NORMAL"))
                            .setExcluded(new ArrayList<>(List.of("b")))
                            .build(),
                    T + 20);
            watermark(h, T + 20);
            assertThat(h.extractOutputValues())
                    .extracting(RankingModesTest::show)
                    .containsExactly("NORMAL@0: a,b,c", "QUIET@10: ", "NORMAL@20: a,c");
        }
    }

    /** {@code --recs.modes false}: MODE messages change nothing, no switch record goes out. */
    @Test
    void withModesOffEveryListIsAsRanked() throws Exception {
        try (var h = RecsHarnesses.ranking(SETTINGS, 0)) {
            h.processElement(mode(T, "QUIET"), T);
            ask(h, T + 1);
            watermark(h, T + 1);
            assertThat(h.extractOutputValues())
                    .extracting(RankingModesTest::show)
                    .containsExactly("NORMAL@1: a,b,c");
        }
    }

    @Test
    void focusedWithoutCatalogTopicsShowsNothingRatherThanAnythingElse() throws Exception {
        try (var h = RecsHarnesses.ranking(SETTINGS)) {
            h.processElement(mode(T, "FOCUSED"), T);
            ask(h, T);
            watermark(h, T);
            assertThat(h.extractOutputValues())
                    .extracting(RankingModesTest::show)
                    .containsExactly("FOCUSED@0: ");
        }
    }
}
