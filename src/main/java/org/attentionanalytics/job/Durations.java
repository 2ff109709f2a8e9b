package org.attentionanalytics.job;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations written as {@code 30 s}, {@code 5min}, {@code 12h}, {@code 250 ms}, {@code 7 d} or ISO-8601 {@code PT30M}. */
public final class Durations {
  private static final Pattern SIMPLE =
      Pattern.compile("\\s*(-?\\d+)\\s*(ms|milli|millis|s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hour|hours|d|day|days)?\\s*");

  private Durations() {}

  /**
   * @param text a duration; a bare number is milliseconds
   * @throws IllegalArgumentException when the text is neither form
   */
  public static Duration parse(String text) {
    String t = text.trim();
    if (t.toUpperCase(Locale.ROOT).startsWith("P")) {
      return Duration.parse(t.toUpperCase(Locale.ROOT));
    }
    Matcher m = SIMPLE.matcher(t.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("not a duration: '" + text + "' (examples: 30 s, 5 min, 12 h, PT30M)");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2);
    switch (unit) {
      case "ms": case "milli": case "millis":
        return Duration.ofMillis(n);
      case "s": case "sec": case "secs": case "second": case "seconds":
        return Duration.ofSeconds(n);
      case "m": case "min": case "mins": case "minute": case "minutes":
        return Duration.ofMinutes(n);
      case "h": case "hour": case "hours":
        return Duration.ofHours(n);
      default:
        return Duration.ofDays(n);
    }
  }

  /** Renders a duration the way {@link #parse} reads it back, e.g. {@code 30 min}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000L == 0 && ms != 0) return ms / 86_400_000L + " d";
    if (ms % 3_600_000L == 0 && ms != 0) return ms / 3_600_000L + " h";
    if (ms % 60_000L == 0 && ms != 0) return ms / 60_000L + " min";
    if (ms % 1000L == 0 && ms != 0) return ms / 1000L + " s";
    return ms + " ms";
  }
}
