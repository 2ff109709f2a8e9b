package org.attentionanalytics.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attentionanalytics.job.JobOptions;
import picocli.CommandLine;

/**
 * What every command line of the project shares: {@code --kafka.<property>=<value>} pass-through
 * (collected into {@link JobOptions#kafkaProperties} of every {@code JobOptions} mixin), and
 * {@code --config FILE}, a YAML file whose keys are option names without dashes (nested maps are
 * joined with dots, so {@code kafka: {security.protocol: SASL_SSL}} works); command-line values win.
 */
public final class CliSupport {
  private CliSupport() {}

  /**
   * Parses {@code args} for {@code command} and runs it.
   *
   * @return the exit code: 0 success, 2 usage error, 1 failure
   */
  public static int execute(Object command, String... args) {
    return execute(new CommandLine(command), args);
  }

  /** As {@link #execute(Object, String...)}, on a prepared command line (e.g. with its own out and err). */
  public static int execute(CommandLine cl, String... args) {
    List<String> rest = new ArrayList<>(List.of(args));
    Map<String, String> kafka = new LinkedHashMap<>();
    Map<String, String> config;
    try {
      config = readConfig(rest);
      config.forEach((k, v) -> {
        if (k.startsWith("kafka.")) {
          kafka.put(k.substring("kafka.".length()), v);
        }
      });
      kafka.putAll(KafkaArgs.extractKafkaProperties(rest)); // the command line wins over the file
    } catch (IOException | RuntimeException e) {
      System.err.println("Error: " + e.getMessage());
      return 2;
    }
    cl.setDefaultValueProvider(arg -> arg instanceof CommandLine.Model.OptionSpec o && o.longestName().startsWith("--")
        ? config.get(o.longestName().substring(2)) : null);
    cl.setExecutionStrategy(parseResult -> {
      for (CommandLine.ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
        Object user = pr.commandSpec().userObject();
        if (user instanceof KafkaClientCommand k) {
          k.addKafkaProperties(kafka);
        }
        for (CommandLine.Model.CommandSpec mixin : pr.commandSpec().mixins().values()) {
          if (mixin.userObject() instanceof JobOptions jo) {
            jo.kafkaProperties.putAll(kafka);
          }
        }
      }
      return new CommandLine.RunLast().execute(parseResult);
    });
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (ex instanceof IllegalArgumentException) {
        commandLine.getErr().println("Error: " + ex.getMessage());
        return 2;
      }
      commandLine.getErr().println("Error: " + describe(ex));
      if (System.getenv("ATTENTION_DEBUG") != null) {
        ex.printStackTrace(commandLine.getErr());
      }
      return 1;
    });
    return cl.execute(rest.toArray(new String[0]));
  }

  /** The chain of causes' messages: Flink and Kafka wrap the interesting one several levels deep. */
  public static String describe(Throwable e) {
    StringBuilder message = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String text = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      if (message.indexOf(text) < 0) {
        message.append(message.length() == 0 ? "" : "\n  caused by: ").append(text);
      }
    }
    return message.toString();
  }

  /**
   * Takes {@code --config FILE} out of {@code args} (a mutable list).
   *
   * @return the file's YAML flattened to option names, or an empty map
   */
  static Map<String, String> readConfig(List<String> args) throws IOException {
    String file = null;
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--config") && i + 1 < args.size()) {
        file = args.get(i + 1);
        args.subList(i, i + 2).clear();
        i--;
      } else if (args.get(i).startsWith("--config=")) {
        file = args.remove(i--).substring("--config=".length());
      }
    }
    Map<String, String> flat = new LinkedHashMap<>();
    if (file != null) {
      Map<?, ?> yaml = new ObjectMapper(new YAMLFactory()).readValue(Path.of(file).toFile(), Map.class);
      flatten("", yaml, flat);
    }
    return flat;
  }

  private static void flatten(String prefix, Map<?, ?> map, Map<String, String> out) {
    if (map == null) {
      return;
    }
    map.forEach((k, v) -> {
      String key = prefix + k;
      if (v instanceof Map<?, ?> m) {
        flatten(key + ".", m, out);
      } else if (v != null) {
        out.put(key, String.valueOf(v));
      }
    });
  }
}
