package org.attentionanalytics.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hand-written expectations for {@link CategoryRules}: matching, parsing and the default rules. */
class CategoryRulesTest {

    @Test
    void longestPrefixWins() {
        CategoryRules rules = CategoryRules.parse("""
        news      prefix:news
        sports    prefix:news.sports
        football  prefix:news.sports.football
        """);
        assertThat(rules.categoryOf("news.sports.football")).isEqualTo("football");
        assertThat(rules.categoryOf("news.sports.football.premier_league")).isEqualTo("football");
        assertThat(rules.categoryOf("news.sports.tennis")).isEqualTo("sports");
        assertThat(rules.categoryOf("news.sports")).isEqualTo("sports");
        assertThat(rules.categoryOf("news.world")).isEqualTo("news");
        assertThat(rules.categoryOf("news")).isEqualTo("news");
    }

    @Test
    void ruleOrderInTheFileDoesNotChangeTheLongestPrefix() {
        CategoryRules rules = CategoryRules.parse("""
        football  prefix:news.sports.football
        news      prefix:news
        """);
        assertThat(rules.categoryOf("news.sports.football")).isEqualTo("football");
        assertThat(rules.categoryOf("news.sports.tennis")).isEqualTo("news");
    }

    @Test
    void prefixesMatchWholeSegmentsOnly() {
        CategoryRules rules = CategoryRules.parse("""
        sport   prefix:news.sport
        shop    prefix:sport
        ids     prefix:category
        """);
        assertThat(rules.categoryOf("news.sports.football")).isEqualTo("other");
        assertThat(rules.categoryOf("news.sports")).isEqualTo("other");
        assertThat(rules.categoryOf("news.sport")).isEqualTo("sport");
        assertThat(rules.categoryOf("news.sport.x")).isEqualTo("sport");
        assertThat(rules.categoryOf("sports_outdoor.cycling")).isEqualTo("other");
        assertThat(rules.categoryOf("sport.bicycle")).isEqualTo("shop");
        // ':' is a segment separator too
        assertThat(rules.categoryOf("category:2053013552326770905")).isEqualTo("ids");
        assertThat(rules.categoryOf("categoryx:1")).isEqualTo("other");
    }

    @Test
    void specificityIsTheLengthOfTheMatchedText() {
        CategoryRules rules = CategoryRules.parse("""
        electronics  prefix:electronics
        mobile       regex:^electronics\\.(smartphone|tablet)
        accessories  prefix:electronics.smartphone.cases
        broad        regex:^(electronics|computers)\\.
        """);
        // the regex covers 22 characters, the prefix 11
        assertThat(rules.categoryOf("electronics.smartphone")).isEqualTo("mobile");
        assertThat(rules.categoryOf("electronics.tablet.kids")).isEqualTo("mobile");
        // a longer prefix (28) beats the regex (22)
        assertThat(rules.categoryOf("electronics.smartphone.cases")).isEqualTo("accessories");
        // the broad regex covers 12 characters of electronics.*: more than the prefix electronics (11)
        assertThat(rules.categoryOf("electronics.audio.headphone")).isEqualTo("broad");
        assertThat(rules.categoryOf("computers.notebook")).isEqualTo("broad");
    }

    @Test
    void onEqualLengthTheEarlierLineWins() {
        CategoryRules first = CategoryRules.parse("""
        byprefix  prefix:news.sports
        byregex   regex:^news\\.sports
        """);
        CategoryRules second = CategoryRules.parse("""
        byregex   regex:^news\\.sports
        byprefix  prefix:news.sports
        """);
        assertThat(first.categoryOf("news.sports.football")).isEqualTo("byprefix");
        assertThat(second.categoryOf("news.sports.football")).isEqualTo("byregex");
    }

    @Test
    void zeroLengthRegexIsACatchAllThatLosesToEverythingElse() {
        CategoryRules rules = CategoryRules.parse("""
        news      prefix:news
        fallback  regex:^
        """);
        assertThat(rules.categoryOf("news.world")).isEqualTo("news");
        assertThat(rules.categoryOf("toys.lego")).isEqualTo("fallback");
    }

    @Test
    void unmatchedNullAndEmptyTopicsGoToOther() {
        CategoryRules rules = CategoryRules.parse("news prefix:news\n");
        assertThat(rules.categoryOf("toys.lego")).isEqualTo("other");
        assertThat(rules.categoryOf("newsletter")).isEqualTo("other");
        assertThat(rules.categoryOf(null)).isEqualTo("other");
        assertThat(rules.categoryOf("")).isEqualTo("other");
        assertThat(rules.categoryOf("   ")).isEqualTo("other");
        assertThat(CategoryRules.parse("").categoryOf("news.world")).isEqualTo("other");
    }

    @Test
    void otherCanBeATargetToCarveOutAnException() {
        CategoryRules rules = CategoryRules.parse("""
        news   prefix:news
        other  prefix:news.weather
        """);
        assertThat(rules.categoryOf("news.weather")).isEqualTo("other");
        assertThat(rules.categoryOf("news.world")).isEqualTo("news");
        assertThat(rules.categories()).containsExactly("news", "other");
    }

    @Test
    void matchingIgnoresCase() {
        CategoryRules rules = CategoryRules.parse("""
        tech    prefix:News.Technology
        phones  regex:smartphone$
        """);
        assertThat(rules.categoryOf("news.technology.ai")).isEqualTo("tech");
        assertThat(rules.categoryOf("NEWS.TECHNOLOGY")).isEqualTo("tech");
        assertThat(rules.categoryOf("Electronics.SmartPhone")).isEqualTo("phones");
    }

    @Test
    void commentsBlankLinesAndSpacingAreIgnored() {
        CategoryRules rules = CategoryRules.parse("""
        # header comment

          sports\tprefix:news.sports   \r
        \t# indented comment
        shop        regex:^toys\\.(lego|dolls)#?$
        """);
        assertThat(rules.categoryOf("news.sports.tennis")).isEqualTo("sports");
        assertThat(rules.categoryOf("toys.lego")).isEqualTo("shop");
        assertThat(rules.categories()).containsExactly("sports", "shop", "other");
    }

    @Test
    void categoriesAreInOrderOfFirstAppearanceThenOther() {
        CategoryRules rules = CategoryRules.parse("""
        zeta
        alpha   prefix:a
        zeta    prefix:z
        other   prefix:o
        mid     regex:^m
        alpha   prefix:aa
        """);
        assertThat(rules.categories()).containsExactly("zeta", "alpha", "mid", "other");
        assertThat(rules.categoryOf("z.1")).isEqualTo("zeta");
    }

    @Test
    void badLinesAreNamedByLineNumber() {
        String[][] cases = {
            {"a\n  bad name!  prefix:x", "line 2"},
            {"a\n\nshop  suffix:toys", "line 3"},
            {"shop  prefix:", "line 1"},
            {"shop  prefix:news .sports", "line 1"},
            {"shop  prefix:.news", "line 1"},
            {"shop  prefix:news.", "line 1"},
            {"shop  regex:", "line 1"},
            {"# c\nshop  regex:^toys\\.(lego", "line 2"},
            {"a prefix:x\r\nb prefix:x", "line 2"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> CategoryRules.parse(c[0]))
                    .as(c[0])
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(c[1]);
        }
    }

    @Test
    void badRegexMessageNamesLineAndRegex() {
        assertThatThrownBy(() -> CategoryRules.parse("ok prefix:news\n\nbroken regex:[a-\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 3")
                .hasMessageContaining("[a-");
    }

    @Test
    void repeatedPrefixNamesTheEarlierLine() {
        assertThatThrownBy(() -> CategoryRules.parse("a prefix:news\nb prefix:NEWS\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("line 1");
    }

    @Test
    void loadReadsAFileAndNamesItInErrors(@TempDir Path dir) throws IOException {
        Path good = Files.writeString(dir.resolve("good.txt"), "sports prefix:news.sports\n");
        assertThat(CategoryRules.load(good.toString()).categoryOf("news.sports.tennis"))
                .isEqualTo("sports");
        Path bad = Files.writeString(dir.resolve("bad.txt"), "sports\nsports nonsense\n");
        assertThatThrownBy(() -> CategoryRules.load(bad.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad.txt")
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> CategoryRules.load(dir.resolve("missing.txt").toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing.txt");
        assertThat(CategoryRules.load(null).categories())
                .isEqualTo(CategoryRules.defaults().categories());
    }

    @Test
    void defaultCategoriesInFileOrder() {
        assertThat(CategoryRules.defaults().categories())
                .containsExactly(
                        "news",
                        "politics",
                        "business",
                        "technology",
                        "sports",
                        "entertainment",
                        "lifestyle",
                        "shopping-electronics",
                        "shopping-home",
                        "shopping-fashion",
                        "shopping-other",
                        "other");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // REES46 category codes (2019-Oct-head.csv)
        "electronics.smartphone, shopping-electronics",
        "electronics.audio.headphone, shopping-electronics",
        "electronics.clocks, shopping-electronics",
        "computers.notebook, shopping-electronics",
        "computers.components.videocards, shopping-electronics",
        "appliances.kitchen.kettle, shopping-home",
        "appliances.environment.water_heater, shopping-home",
        "furniture.living_room.sofa, shopping-home",
        "construction.tools.drill, shopping-home",
        "country_yard.furniture.hammok, shopping-home",
        "apparel.shoes.keds, shopping-fashion",
        "accessories.bag, shopping-fashion",
        "kids.carriage, shopping-other",
        "auto.accessories.alarm, shopping-other",
        "sport.bicycle, shopping-other",
        "medicine.tools.tonometer, shopping-other",
        "stationery.cartrige, shopping-other",
        // REES46 rows without a code
        "category:2053013552326770905, shopping-other",
        "category:abc, other",
        // demo taxonomy: news
        "news.politics.elections, politics",
        "news.world.europe, politics",
        "news.business.markets, business",
        "news.technology, technology",
        "news.science, technology",
        "news.health, lifestyle",
        "news.travel, lifestyle",
        "news.sports.football, sports",
        "news.sports.formula1, sports",
        "news.entertainment.movies, entertainment",
        "news.culture.books, entertainment",
        "news.weather, news",
        // demo taxonomy: shop
        "home.furniture.sofa, shopping-home",
        "fashion.womens.dresses, shopping-fashion",
        "sports_outdoor.cycling, shopping-other",
        "toys.lego, shopping-other",
        "groceries.coffee, shopping-other",
        // nothing matches
        "newsletter.signup, other",
        "unknown.topic, other",
    })
    void defaultsMapRealTopics(String topic, String category) {
        assertThat(CategoryRules.defaults().categoryOf(topic)).isEqualTo(category);
    }

    @Test
    void cacheIsBoundedAndAnswersStayCorrect() {
        CategoryRules rules = CategoryRules.defaults();
        for (int i = 0; i < 3 * CategoryRules.CACHE_SIZE; i++) {
            assertThat(rules.categoryOf("electronics.item" + i)).isEqualTo("shopping-electronics");
        }
        assertThat(rules.categoryOf("news.sports.football")).isEqualTo("sports");
        assertThat(rules.categoryOf("news.sports.football")).isEqualTo("sports");
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        CategoryRules rules = CategoryRules.defaults();
        assertThat(rules.categoryOf("electronics.smartphone")).isEqualTo("shopping-electronics");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(rules);
        }
        CategoryRules copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (CategoryRules) in.readObject();
        }
        assertThat(copy.categories()).isEqualTo(rules.categories());
        for (String topic : List.of("electronics.smartphone", "category:1", "news.culture.books", "x")) {
            assertThat(copy.categoryOf(topic)).isEqualTo(rules.categoryOf(topic));
        }
    }

    // ---- classes (DESIGN.md section 13)

    @Test
    void classesComeFromTheFileOrTheDefaultRulesOrAreNeutral() {
        CategoryRules rules = CategoryRules.parse(String.join(
                "\n",
                "deep   class:focus prefix:research",
                "games  class:distraction",
                "games  regex:^play\\.",
                "sports prefix:news.sports",
                "misc   prefix:misc"));
        assertThat(rules.categoryOf("play.chess")).isEqualTo("games");
        assertThat(rules.classOf("deep")).isEqualTo(CategoryClass.FOCUS);
        assertThat(rules.classOf("games")).isEqualTo(CategoryClass.DISTRACTION);
        assertThat(rules.classOf("sports")).isEqualTo(CategoryClass.DISTRACTION); // the default rules' sports
        assertThat(rules.classOf("misc")).isEqualTo(CategoryClass.NEUTRAL);
        assertThat(rules.classOf(CategoryRules.OTHER)).isEqualTo(CategoryClass.NEUTRAL);
        assertThat(rules.classOf("not-a-category")).isEqualTo(CategoryClass.NEUTRAL);
    }

    @Test
    void theDefaultRulesClassEveryCategory() {
        CategoryRules d = CategoryRules.defaults();
        assertThat(d.categories().stream().filter(c -> d.classOf(c) == CategoryClass.FOCUS))
                .containsExactly("news", "politics", "business", "technology");
        assertThat(d.categories().stream().filter(c -> d.classOf(c) == CategoryClass.DISTRACTION))
                .containsExactly(
                        "sports", "entertainment", "shopping-electronics", "shopping-fashion", "shopping-other");
        assertThat(d.categories().stream().filter(c -> d.classOf(c) == CategoryClass.NEUTRAL))
                .containsExactly("lifestyle", "shopping-home", "other");
    }

    @Test
    void aBadOrSecondClassIsRefusedWithItsLine() {
        assertThatThrownBy(() -> CategoryRules.parse("a class:urgent"))
                .hasMessageContaining("line 1")
                .hasMessageContaining("unknown class 'urgent'");
        assertThatThrownBy(() -> CategoryRules.parse("a class:focus\na class:neutral prefix:x"))
                .hasMessageContaining("line 2")
                .hasMessageContaining("already class:focus");
    }
}
