package org.attentionanalytics.local.demo;

import java.util.List;
import java.util.Random;

/**
 * The demo's fixed world: a topic taxonomy of news sections and shop categories (dotted codes),
 * items per topic, their URLs, search phrases, browsers, crawlers and time zones. Pure tables and
 * deterministic functions of an index or a {@link Random}.
 */
final class Taxonomy {
    /** Topic codes; an index into this list identifies a topic. News first, then shopping. */
    static final List<String> TOPICS = List.of(
            "news.politics",
            "news.politics.elections",
            "news.world",
            "news.world.europe",
            "news.business",
            "news.business.markets",
            "news.technology",
            "news.science",
            "news.health",
            "news.sports.football",
            "news.sports.tennis",
            "news.sports.formula1",
            "news.entertainment.movies",
            "news.entertainment.music",
            "news.culture.books",
            "news.weather",
            "news.travel",
            "electronics.smartphone",
            "electronics.laptop",
            "electronics.headphones",
            "electronics.tv",
            "electronics.camera",
            "appliances.kitchen.kettle",
            "appliances.kitchen.coffee_machine",
            "appliances.laundry.washing_machine",
            "home.furniture.sofa",
            "home.garden",
            "fashion.shoes.running",
            "fashion.womens.dresses",
            "sports_outdoor.cycling",
            "toys.lego",
            "groceries.coffee");

    /** Items per topic; item numbers are Zipf-like so that a few items are popular. */
    static final int ITEMS_PER_TOPIC = 200;

    /** Zones of the users that send {@code time_zone} (Asia/Kolkata: a half-hour offset). */
    static final List<String> TIME_ZONES = List.of(
            "Europe/Berlin",
            "America/New_York",
            "Europe/London",
            "Asia/Tokyo",
            "America/Los_Angeles",
            "Australia/Sydney",
            "Asia/Kolkata");

    static final List<String> BROWSERS = List.of(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
            "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0");

    /** Crawlers and headless browsers, as the job's default bot rules list them. */
    static final List<String> BOTS = List.of(
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
            "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)");

    private static final List<String> QUERY_WORDS = List.of("best", "latest", "cheap", "review", "news", "deals");

    private Taxonomy() {}

    static boolean isNews(int topic) {
        return TOPICS.get(topic).startsWith("news.");
    }

    /** @return e.g. {@code article-90042} (news) or {@code product-220007}: the topic index, then the item number */
    static String itemId(int topic, int item) {
        return (isNews(topic) ? "article-" : "product-") + (topic * 10_000 + item);
    }

    /**
     * The item's inline topics: its own, and for every fifth item a related topic of the same top
     * level (the next one in the list, if it shares the first segment).
     */
    static List<String> topicsOf(int topic, int item) {
        String own = TOPICS.get(topic);
        if (item % 5 == 0
                && topic + 1 < TOPICS.size()
                && topLevel(TOPICS.get(topic + 1)).equals(topLevel(own))) {
            return List.of(own, TOPICS.get(topic + 1));
        }
        return List.of(own);
    }

    /** @return the page URL, with a tracking query string (which the job must cut from its outputs) */
    static String url(int topic, int item, Random r) {
        String path = TOPICS.get(topic).replace('.', '/');
        String host = isNews(topic) ? "https://news.example.com/" : "https://shop.example.com/";
        String query = r.nextInt(3) == 0 ? "?utm_source=newsletter&utm_medium=email" : "";
        return host + path + "/" + itemId(topic, item) + query;
    }

    /** @return a search phrase about the topic, e.g. {@code best coffee machine} */
    static String searchQuery(int topic, Random r) {
        String code = TOPICS.get(topic);
        String last = code.substring(code.lastIndexOf('.') + 1).replace('_', ' ');
        return QUERY_WORDS.get(r.nextInt(QUERY_WORDS.size())) + " " + last;
    }

    /** @return the on-site search results page for the query */
    static String searchUrl(int topic, String query) {
        String host = isNews(topic) ? "https://news.example.com/search?q=" : "https://shop.example.com/search?q=";
        return host + query.replace(' ', '+');
    }

    /** @return a random item number, small numbers more likely (a few items are popular) */
    static int popularItem(Random r) {
        double u = r.nextDouble();
        return (int) (ITEMS_PER_TOPIC * u * u * u);
    }

    static <T> T pick(List<T> list, Random r) {
        return list.get(r.nextInt(list.size()));
    }

    private static String topLevel(String code) {
        return code.substring(0, code.indexOf('.'));
    }
}
