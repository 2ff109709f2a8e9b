package org.attentionanalytics.attention;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.attentionanalytics.common.TextFiles;

/**
 * Maps topic codes to a fixed, named set of categories (DESIGN.md section 7, "Categories"): rules
 * by prefix or regular expression, the most specific matching rule wins (as in ActivityWatch's
 * categories), and a topic that no rule matches goes to {@value #OTHER}.
 *
 * <h2>File format</h2>
 *
 * <p>UTF-8 text, one rule per line:
 *
 * <pre>
 * # a comment; the next line only declares a category (fixing its place in the order)
 * news
 * # a class for a category (DESIGN.md section 13): on any one of its lines
 * sports                class:distraction
 * sports                prefix:news.sports
 * shopping-electronics  prefix:electronics
 * shopping-electronics  regex:^appliances\.personal\.(hair_cutter|shaver)$
 * other                 prefix:news.weather
 * </pre>
 *
 * <ul>
 *   <li>A line is a category name, then whitespace, then {@code prefix:P} or {@code regex:R}. A
 *       line with only a category name declares the category without a rule (it fixes its place in
 *       {@link #categories()} and lets a category exist with no rules).
 *   <li>Category names: letters, digits, {@code _} and {@code -} ({@code [A-Za-z0-9_-]+}),
 *       case-sensitive. The target {@value #OTHER} is allowed (to carve an exception out of a
 *       broader rule); it is always the last of {@link #categories()}.
 *   <li>{@code prefix:P} matches a topic that equals {@code P} or continues after {@code P} with a
 *       segment separator, {@code .} or {@code :}. Prefixes match whole segments: {@code
 *       prefix:news.sport} matches neither {@code news.sports} nor {@code news.sports.football};
 *       {@code prefix:category} matches {@code category:2053013552326770905}. {@code P} must not
 *       contain whitespace nor start or end with a separator. The same prefix may not appear twice.
 *   <li>{@code class:C} right after the category name gives the category its {@link
 *       CategoryClass} ({@code focus}, {@code neutral} or {@code distraction}), on a declaration
 *       line or before a rule; one category may not get two different classes. A category of a
 *       file without a class takes the class the default rules give a category of that name, else
 *       {@code neutral}.
 *   <li>{@code regex:R} is a Java regular expression, the rest of the line (stripped), searched
 *       anywhere in the topic ({@link Matcher#find()}); anchor it with {@code ^...$} as needed.
 *   <li>Matching ignores case (topics are lower-cased; regexes are compiled case-insensitively).
 *   <li>A line whose first non-blank character is {@code #} is a comment; blank lines are ignored.
 *       There are no end-of-line comments, since a regex may contain {@code #}.
 * </ul>
 *
 * <h2>Most specific match</h2>
 *
 * <p>Specificity is the length of the matched text: for a prefix rule that is the prefix's length
 * (so the longest matching prefix wins), for a regex rule the length of the text its first match
 * covers. On equal length the rule earlier in the file wins. One measure orders both kinds, so a
 * regex that pins down more of the topic ({@code ^electronics\.(smartphone|tablet)}, 22 characters
 * of {@code electronics.smartphone}) beats a shorter prefix ({@code electronics}) yet loses to a
 * longer one ({@code electronics.smartphone.cases}), and a broad regex ({@code ^(news|blog)\.})
 * behaves like the short prefix it is. Consequence to keep in mind: an unanchored catch-all such
 * as {@code .*} covers the whole topic and therefore beats every rule; a catch-all that should lose
 * to everything else is written {@code regex:^} (zero characters).
 *
 * <p>The default rules ({@code /category-rules.txt} on the classpath) cover the REES46 category
 * codes, {@code category:<id>} topics (REES46 rows without a code: {@code shopping-other}) and the
 * demo generator's news and shop topics.
 *
 * <p>Lookups are cached per topic in a small bounded map (transient, rebuilt lazily after
 * deserialization, cleared when full). Instances are immutable apart from that cache and safe to
 * share between threads.
 */
public final class CategoryRules implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The category of topics no rule matches (and of null or empty topics). */
    public static final String OTHER = "other";

    /** Classpath resource with the default rules. */
    public static final String DEFAULT_RESOURCE = "/category-rules.txt";

    /** Maximum number of cached topic lookups; the cache is cleared when it is full. */
    static final int CACHE_SIZE = 4096;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern LINE = Pattern.compile("(\\S+)(?:\\s+(\\S.*))?");

    /** A rule: the category, its line number (tie-break) and its pattern or prefix. */
    private record Rule(String category, int line, String prefix, String regex) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    private final List<String> categories;
    /** The class of each category, parallel to {@link #categories}. */
    private final List<CategoryClass> classes;
    /** Lower-cased prefix to its rule. */
    private final Map<String, Rule> prefixes;

    private final List<Rule> regexRules;

    private transient List<Pattern> compiled;
    private transient Map<String, String> cache;

    private CategoryRules(
            List<String> categories, List<CategoryClass> classes, Map<String, Rule> prefixes, List<Rule> regexRules) {
        this.categories = List.copyOf(categories);
        this.classes = List.copyOf(classes);
        this.prefixes = new HashMap<>(prefixes);
        this.regexRules = List.copyOf(regexRules);
    }

    /**
     * @return the built-in rules, {@value #DEFAULT_RESOURCE}
     * @throws IllegalStateException when the resource is missing or unreadable
     */
    public static CategoryRules defaults() {
        return parse(TextFiles.resource(DEFAULT_RESOURCE), Map.of());
    }

    /**
     * @param fileOrNull a rules file, or null (or blank) for {@link #defaults()}
     * @throws IllegalArgumentException when the file is unreadable or has a bad line
     */
    public static CategoryRules load(String fileOrNull) {
        if (fileOrNull == null || fileOrNull.isBlank()) {
            return defaults();
        }
        String text = TextFiles.read(fileOrNull, "category rules");
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(fileOrNull + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses rules text in the format of the class description; categories without a class take
     * the default rules' class of their name, else neutral.
     *
     * @throws IllegalArgumentException naming the line (1-based) of the first bad line: an invalid
     *     category name, an unknown rule kind or class, two classes for one category, an empty or
     *     malformed prefix, a repeated prefix or a regex that does not compile
     */
    public static CategoryRules parse(String text) {
        CategoryRules defaults = defaults();
        Map<String, CategoryClass> fallback = new HashMap<>();
        for (String c : defaults.categories()) {
            fallback.put(c, defaults.classOf(c));
        }
        return parse(text, fallback);
    }

    private static CategoryRules parse(String text, Map<String, CategoryClass> fallback) {
        Set<String> categories = new LinkedHashSet<>();
        Map<String, CategoryClass> declared = new HashMap<>();
        Map<String, Rule> prefixes = new HashMap<>();
        List<Rule> regexRules = new ArrayList<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String l = lines[i].strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(l);
            if (!m.matches()) {
                throw bad(lineNo, "cannot parse '" + l + "'");
            }
            String category = m.group(1);
            if (!NAME.matcher(category).matches()) {
                throw bad(lineNo, "bad category name '" + category + "' (letters, digits, _ and - only)");
            }
            String rule = m.group(2);
            if (rule != null && rule.startsWith("class:")) {
                String[] parts = rule.split("\\s+", 2);
                CategoryClass c;
                try {
                    c = CategoryClass.parse(parts[0].substring("class:".length()));
                } catch (IllegalArgumentException e) {
                    throw bad(lineNo, e.getMessage());
                }
                CategoryClass before = declared.putIfAbsent(category, c);
                if (before != null && before != c) {
                    throw bad(lineNo, "category " + category + " is already class:" + before.label());
                }
                rule = parts.length > 1 ? parts[1].strip() : null;
            }
            if (!category.equals(OTHER)) {
                categories.add(category);
            }
            if (rule == null) {
                continue; // declaration only
            }
            if (rule.startsWith("prefix:")) {
                String prefix = rule.substring("prefix:".length()).strip().toLowerCase(Locale.ROOT);
                if (prefix.isEmpty() || prefix.chars().anyMatch(Character::isWhitespace)) {
                    throw bad(lineNo, "prefix must be one non-empty word: '" + rule + "'");
                }
                if (isSeparator(prefix.charAt(0)) || isSeparator(prefix.charAt(prefix.length() - 1))) {
                    throw bad(lineNo, "prefix must not start or end with '.' or ':': '" + prefix + "'");
                }
                Rule previous = prefixes.putIfAbsent(prefix, new Rule(category, lineNo, prefix, null));
                if (previous != null) {
                    throw bad(lineNo, "prefix '" + prefix + "' already has a rule on line " + previous.line());
                }
            } else if (rule.startsWith("regex:")) {
                String regex = rule.substring("regex:".length()).strip();
                if (regex.isEmpty()) {
                    throw bad(lineNo, "empty regex");
                }
                try {
                    Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
                } catch (PatternSyntaxException e) {
                    throw bad(lineNo, "bad regex '" + regex + "': " + e.getDescription());
                }
                regexRules.add(new Rule(category, lineNo, null, regex));
            } else {
                throw bad(lineNo, "expected 'prefix:...' or 'regex:...' after the category, got '" + rule + "'");
            }
        }
        List<String> all = new ArrayList<>(categories);
        all.add(OTHER);
        List<CategoryClass> classes = new ArrayList<>(all.size());
        for (String c : all) {
            classes.add(declared.getOrDefault(c, fallback.getOrDefault(c, CategoryClass.NEUTRAL)));
        }
        return new CategoryRules(all, classes, prefixes, regexRules);
    }

    /**
     * @param topic a topic code such as {@code news.sports.football} or {@code electronics.smartphone}
     * @return the category of the most specific matching rule; {@value #OTHER} when no rule matches
     *     or the topic is null or empty
     */
    public String categoryOf(String topic) {
        if (topic == null || topic.isBlank()) {
            return OTHER;
        }
        Map<String, String> c = cache;
        if (c == null) {
            c = new ConcurrentHashMap<>();
            cache = c;
        }
        String cached = c.get(topic);
        if (cached != null) {
            return cached;
        }
        String category = lookUp(topic.strip().toLowerCase(Locale.ROOT));
        if (c.size() >= CACHE_SIZE) {
            c.clear();
        }
        c.put(topic, category);
        return category;
    }

    /** @return the fixed set of categories in order of first appearance in the file, then {@value #OTHER} */
    public List<String> categories() {
        return categories;
    }

    /** @return the class of {@code category}; neutral for a name that is not one of {@link #categories()} */
    public CategoryClass classOf(String category) {
        int i = categories.indexOf(category);
        return i < 0 ? CategoryClass.NEUTRAL : classes.get(i);
    }

    private String lookUp(String topic) {
        Rule best = null;
        int bestLength = -1;
        // Longest prefix: the whole topic, then every truncation before a separator, longest first.
        for (int end = topic.length(); end > 0; end = lastSeparatorBefore(topic, end)) {
            Rule r = prefixes.get(end == topic.length() ? topic : topic.substring(0, end));
            if (r != null) {
                best = r;
                bestLength = end;
                break;
            }
        }
        List<Pattern> patterns = patterns();
        for (int i = 0; i < patterns.size(); i++) {
            Matcher m = patterns.get(i).matcher(topic);
            if (m.find()) {
                Rule r = regexRules.get(i);
                int length = m.end() - m.start();
                if (length > bestLength || (length == bestLength && r.line() < best.line())) {
                    best = r;
                    bestLength = length;
                }
            }
        }
        return best == null ? OTHER : best.category();
    }

    private List<Pattern> patterns() {
        List<Pattern> p = compiled;
        if (p == null) {
            p = regexRules.stream()
                    .map(r -> Pattern.compile(r.regex(), Pattern.CASE_INSENSITIVE))
                    .toList();
            compiled = p;
        }
        return p;
    }

    /** @return the index of the last separator before {@code end}, or -1 */
    private static int lastSeparatorBefore(String topic, int end) {
        for (int i = end - 1; i > 0; i--) {
            if (isSeparator(topic.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isSeparator(char c) {
        return c == '.' || c == ':';
    }

    private static IllegalArgumentException bad(int line, String message) {
        return new IllegalArgumentException("category rules line " + line + ": " + message);
    }

    @Override
    public String toString() {
        return "CategoryRules" + categories + " (" + prefixes.size() + " prefixes, " + regexRules.size() + " regexes)";
    }
}
