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
    List<String> rest = new ArrayList<>();
    Map<String, String> kafka = new LinkedHashMap<>();
    Map<String, String> config;
    try {
      config = readConfig(args);
    } catch (IOException | RuntimeException e) {
      System.err.println("Cannot read --config: " + e.getMessage());
      return 2;
    }
    config.forEach((k, v) -> {
      if (k.startsWith("kafka.")) {
        kafka.put(k.substring("kafka.".length()), v);
      }
    });
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.startsWith("--kafka.")) {
        String kv = a.substring("--kafka.".length());
        int eq = kv.indexOf('=');
        if (eq >= 0) {
          kafka.put(kv.substring(0, eq), kv.substring(eq + 1));
        } else if (i + 1 < args.length) {
          kafka.put(kv, args[++i]);
        } else {
          System.err.println("Missing value for " + a);
          return 2;
        }
      } else if (a.equals("--config") && i + 1 < args.length) {
        i++;
      } else if (!a.startsWith("--config=")) {
        rest.add(a);
      }
    }
    CommandLine cl = new CommandLine(command);
    cl.setDefaultValueProvider(arg -> arg instanceof CommandLine.Model.OptionSpec o && o.longestName().startsWith("--")
        ? config.get(o.longestName().substring(2)) : null);
    cl.setExecutionStrategy(parseResult -> {
      for (CommandLine.ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
        for (Object mixin : pr.commandSpec().mixins().values().stream().map(m -> m.userObject()).toList()) {
          if (mixin instanceof JobOptions jo) {
            jo.kafkaProperties.putAll(kafka);
          }
        }
        if (pr.commandSpec().userObject() instanceof JobOptions jo) {
          jo.kafkaProperties.putAll(kafka);
        }
      }
      return new CommandLine.RunLast().execute(parseResult);
    });
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (ex instanceof IllegalArgumentException) {
        commandLine.getErr().println("Error: " + ex.getMessage());
        return 2;
      }
      throw ex;
    });
    return cl.execute(rest.toArray(new String[0]));
  }

  /** @return the flattened YAML of {@code --config FILE}, or an empty map */
  static Map<String, String> readConfig(String[] args) throws IOException {
    String file = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        file = args[i + 1];
      } else if (args[i].startsWith("--config=")) {
        file = args[i].substring("--config=".length());
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
