package org.attentionanalytics.privacy;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;
import nl.basjes.parse.useragent.cache.Java11CacheInstantiator;
import org.attentionanalytics.common.TextFiles;

/**
 * Bot detection by user agent, DESIGN.md section 3. Events of bots are dropped and counted
 * ({@code bots}); events without a user agent (null, empty or blank) are not bots.
 *
 * <p>The verdict comes from Yauaa, Niels Basjes' user agent analyzer (https://yauaa.basjes.nl,
 * the analyzer behind Snowplow's YAUAA enrichment), whose maintained rules classify each agent.
 * A bot is one whose {@code DeviceClass} is in {@link #BOT_DEVICE_CLASSES} (Robot, Robot Mobile,
 * Robot Imitator, Hacker: Yauaa's definitions, "Field values" in its documentation) or whose
 * {@code AgentClass} is in {@link #BOT_AGENT_CLASSES} (Robot, Robot Mobile, Hacker; this catches
 * HeadlessChrome, which Yauaa puts on a Desktop device). One exception: Yauaa calls a mobile app
 * that names only its HTTP library, OkHttp, on Android ({@code InPost-Mobile/3.27.2 (Android 14;
 * SDK 34) okhttp/4.11.0}) "Robot Mobile"; such apps are real users, so that verdict is overruled
 * (a bare {@code okhttp/4.12.0}, DeviceClass Robot, stays a bot). An optional rules file adds
 * regular expressions on top (a team's own crawlers), one per line, matched case-insensitively
 * anywhere in the user agent ({@code #} starts a comment).
 *
 * <p>One analyzer per JVM (static, built on the first {@link #load} or verdict: 2-5 s and about
 * 115 MB of heap, most of it the rules behind DeviceClass) with only the three fields read here
 * and a cache of {@value #SHARED_CACHE_SIZE} agents shared by the decoders of a TaskManager. Yauaa
 * serializes its parses, and one costs 0.1-0.5 ms; so each instance also caches its verdicts per
 * distinct user agent (at most {@value #CACHE_SIZE}, least recently used dropped first): a stream
 * repeats a few thousand browsers' strings, and bot detection was the largest single cost of the
 * door in the benchmark's profile even as a regex (BENCHMARKS.md). Instances are not thread-safe:
 * one per decoder, as the sources use it.
 */
public final class BotRules implements Serializable {
    private static final long serialVersionUID = 2L;

    /** Most user agents whose verdict one instance remembers. */
    public static final int CACHE_SIZE = 4096;

    /** Size of the analyzer's own parse cache, shared by every instance in the JVM. */
    public static final int SHARED_CACHE_SIZE = 4096;

    /** Yauaa {@code DeviceClass} values of bots. */
    public static final Set<String> BOT_DEVICE_CLASSES = Set.of("Robot", "Robot Mobile", "Robot Imitator", "Hacker");

    /** Yauaa {@code AgentClass} values of bots. */
    public static final Set<String> BOT_AGENT_CLASSES = Set.of("Robot", "Robot Mobile", "Hacker");

    /** Yauaa's {@code AgentName} of OkHttp: with DeviceClass Robot Mobile, an Android app, not a bot. */
    private static final String OKHTTP = "Okhttp";

    private final List<String> extraRules;
    private transient Pattern extra;
    private transient Map<String, Boolean> verdicts;

    private BotRules(List<String> extraRules) {
        this.extraRules = List.copyOf(extraRules);
    }

    /** @return Yauaa's verdict only, no extra rules */
    public static BotRules defaults() {
        return new BotRules(List.of());
    }

    /**
     * Also builds the shared analyzer if this JVM has none yet, so that the decoder's {@code open()}
     * pays for it rather than its first event.
     *
     * @param file a file of extra rules, or null (or blank) for {@link #defaults()}
     * @throws IllegalArgumentException when the file is unreadable or a rule is not a valid regex
     */
    public static BotRules load(String file) {
        BotRules rules = file == null || file.isBlank() ? defaults() : parse(TextFiles.read(file, "bot rules"));
        Analyzer.get();
        return rules;
    }

    /** Parses extra rules: one regex per line, blank lines and {@code #} comments ignored. */
    public static BotRules parse(String text) {
        List<String> rules = new ArrayList<>();
        for (String line : text.split("\\R")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                Pattern.compile(l); // fail early on a bad rule
                rules.add(l);
            }
        }
        return new BotRules(rules);
    }

    /** @return true when Yauaa classifies {@code userAgent} as a bot or an extra rule matches; false for null or blank */
    public boolean isBot(CharSequence userAgent) {
        if (userAgent == null) {
            return false;
        }
        if (verdicts == null) {
            extra = extraRules.isEmpty()
                    ? null
                    : Pattern.compile(
                            String.join(
                                    "|",
                                    extraRules.stream()
                                            .map(r -> "(?:" + r + ")")
                                            .toList()),
                            Pattern.CASE_INSENSITIVE);
            verdicts = new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > CACHE_SIZE;
                }
            };
        }
        String ua = userAgent.toString();
        Boolean verdict = verdicts.get(ua);
        if (verdict == null) {
            verdict = !ua.isBlank() && ((extra != null && extra.matcher(ua).find()) || yauaaSaysBot(ua));
            verdicts.put(ua, verdict);
        }
        return verdict;
    }

    /** @return Yauaa's verdict alone (no cache of this class, no extra rules) */
    static boolean yauaaSaysBot(String userAgent) {
        UserAgent agent = Analyzer.get().parse(userAgent);
        String deviceClass = agent.getValue(UserAgent.DEVICE_CLASS);
        if ("Robot Mobile".equals(deviceClass) && OKHTTP.equals(agent.getValue(UserAgent.AGENT_NAME))) {
            return false;
        }
        return BOT_DEVICE_CLASSES.contains(deviceClass)
                || BOT_AGENT_CLASSES.contains(agent.getValue(UserAgent.AGENT_CLASS));
    }

    /** @return how many verdicts are cached (for tests) */
    int cachedVerdicts() {
        return verdicts == null ? 0 : verdicts.size();
    }

    /** The JVM's one analyzer: built when this class is first used, which the JVM does once and thread-safely. */
    static final class Analyzer {
        private static final UserAgentAnalyzer INSTANCE = UserAgentAnalyzer.newBuilder()
                .withField(UserAgent.DEVICE_CLASS)
                .withField(UserAgent.AGENT_CLASS)
                .withField(UserAgent.AGENT_NAME)
                .hideMatcherLoadStats()
                .dropTests()
                .immediateInitialization()
                .withCache(SHARED_CACHE_SIZE)
                // Caffeine, named here: Yauaa picks it by a Java 11 class of its multi-release jar, which
                // the shaded job jar (no Multi-Release manifest) would hide behind a synchronized LRU map
                .withCacheInstantiator(new Java11CacheInstantiator())
                .build();

        private Analyzer() {}

        static UserAgentAnalyzer get() {
            return INSTANCE;
        }
    }
}
