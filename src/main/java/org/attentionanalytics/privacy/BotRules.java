package org.attentionanalytics.privacy;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.attentionanalytics.io.TextFiles;

/**
 * Bot detection by user agent, DESIGN.md section 3: a list of regular expressions, one per line,
 * matched case-insensitively anywhere in {@code user_agent} ({@code #} starts a comment). The
 * default list ({@code bot-rules.txt} on the classpath) names common crawlers and headless
 * browsers. Events of bots are dropped and counted ({@code bots}); events without a user agent are
 * not bots.
 *
 * <p>Verdicts are cached per distinct user agent (at most {@value #CACHE_SIZE}, least recently
 * used dropped first): a stream repeats a few thousand browsers' strings, and the combined regex
 * was the largest single cost of the door in the benchmark's profile (BENCHMARKS.md). Not
 * thread-safe: one instance per decoder, as the sources use it.
 */
public final class BotRules implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final String DEFAULT_RESOURCE = "/bot-rules.txt";

  private final List<String> rules;
  private transient Pattern pattern;
  private transient Map<String, Boolean> verdicts;

  /** Most user agents whose verdict is remembered. */
  public static final int CACHE_SIZE = 4096;

  private BotRules(List<String> rules) {
    this.rules = List.copyOf(rules);
  }

  /** @return the built-in rules */
  public static BotRules defaults() {
    return parse(TextFiles.resource(DEFAULT_RESOURCE));
  }

  /**
   * @param file a rules file, or null for {@link #defaults()}
   * @throws IllegalArgumentException when the file is unreadable or a rule is not a valid regex
   */
  public static BotRules load(String file) {
    if (file == null || file.isBlank()) {
      return defaults();
    }
    return parse(TextFiles.read(file, "bot rules"));
  }

  /** Parses rules text: one regex per line, blank lines and {@code #} comments ignored. */
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

  /** @return true when {@code userAgent} matches a rule; false for null */
  public boolean isBot(CharSequence userAgent) {
    if (userAgent == null || rules.isEmpty()) {
      return false;
    }
    if (pattern == null) {
      pattern = Pattern.compile(String.join("|", rules.stream().map(r -> "(?:" + r + ")").toList()),
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
      verdict = pattern.matcher(ua).find();
      verdicts.put(ua, verdict);
    }
    return verdict;
  }

  /** @return how many verdicts are cached (for tests) */
  int cachedVerdicts() {
    return verdicts == null ? 0 : verdicts.size();
  }
}
