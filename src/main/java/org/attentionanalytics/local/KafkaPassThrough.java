package org.attentionanalytics.local;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Collects Kafka client properties given as {@code --kafka.<property>=<value>} (or {@code
 * --kafka.<property> <value>}) from a command's {@code @Unmatched} arguments.
 *
 * <p>Stand-in until {@code org.attentionanalytics.replay.KafkaArgs.extractKafkaProperties} is
 * merged; then the commands of this package should call that and this class goes.
 */
final class KafkaPassThrough {
  static final String PREFIX = "--kafka.";

  private KafkaPassThrough() {}

  /**
   * @param unmatched the arguments picocli did not recognise
   * @return the properties by name (without the prefix), sorted
   * @throws ParameterException for any other unknown argument, or a property without a value
   */
  static Map<String, String> parse(CommandLine commandLine, List<String> unmatched) {
    Map<String, String> props = new TreeMap<>();
    for (int i = 0; i < unmatched.size(); i++) {
      String arg = unmatched.get(i);
      if (!arg.startsWith(PREFIX) || arg.length() == PREFIX.length()) {
        throw new ParameterException(commandLine, "Unknown option or argument: '" + arg + "'");
      }
      String nameAndValue = arg.substring(PREFIX.length());
      int eq = nameAndValue.indexOf('=');
      if (eq > 0) {
        props.put(nameAndValue.substring(0, eq), nameAndValue.substring(eq + 1));
      } else if (i + 1 < unmatched.size() && !unmatched.get(i + 1).startsWith("--")) {
        props.put(nameAndValue, unmatched.get(++i));
      } else {
        throw new ParameterException(commandLine, "Kafka property without a value: '" + arg
            + "' (write --kafka.<property>=<value>)");
      }
    }
    return props;
  }
}
