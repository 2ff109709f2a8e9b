package org.attentionanalytics.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        return execute(cl, false, args);
    }

    /**
     * Runs {@code command} inside a host that must not exit, such as a Flink JobManager running the
     * jar's {@code main} (REST and web-UI submission, application mode): returns normally on success
     * and {@code --help}, throws on a usage error or a failure, with the message a user needs.
     *
     * @throws IllegalArgumentException for bad options
     * @throws Exception what the command threw
     */
    public static void executeOrThrow(Object command, String... args) throws Exception {
        try {
            int code = execute(new CommandLine(command), true, args);
            if (code != 0) {
                throw new IllegalStateException("exit code " + code);
            }
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(usageMessage(e), e);
        } catch (CommandLine.ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static int execute(CommandLine cl, boolean rethrow, String... args) {
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
            if (rethrow) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            System.err.println("Error: " + e.getMessage());
            return 2;
        }
        List<String> unknown = config.keySet().stream()
                .filter(k -> !k.startsWith("kafka.")
                        && !optionNames(cl.getCommandSpec()).contains("--" + k))
                .toList();
        if (!unknown.isEmpty()) {
            String message = "--config: no such option: " + String.join(", ", unknown);
            if (rethrow) {
                throw new IllegalArgumentException(message);
            }
            cl.getErr().println("Error: " + message);
            return 2;
        }
        cl.setParameterExceptionHandler((ex, badArgs) -> {
            CommandLine failed = ex.getCommandLine();
            failed.getErr().println("Error: " + usageMessage(ex));
            failed.getErr().println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for the options.");
            return 2;
        });
        cl.setDefaultValueProvider(arg ->
                arg instanceof CommandLine.Model.OptionSpec o && o.longestName().startsWith("--")
                        ? config.get(o.longestName().substring(2))
                        : null);
        if (rethrow) {
            CommandLine.ParseResult parsed = cl.parseArgs(rest.toArray(new String[0])); // throws ParameterException
            if (CommandLine.printHelpIfRequested(parsed)) {
                return 0;
            }
            handOver(parsed, kafka);
            CommandLine.ParseResult last = parsed;
            while (last.subcommand() != null) {
                last = last.subcommand();
            }
            try {
                Object result =
                        ((java.util.concurrent.Callable<?>) last.commandSpec().userObject()).call();
                return result instanceof Integer code ? code : 0;
            } catch (Exception e) {
                throw new CommandLine.ExecutionException(cl, e.getMessage(), e);
            }
        }
        cl.setExecutionStrategy(parseResult -> {
            handOver(parseResult, kafka);
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

    /**
     * A usage error as users read it: a value that an option's converter refused is {@code --option:
     * <the converter's message>}, without picocli's {@code cannot convert 'x' to Type
     * (java.lang.IllegalArgumentException: ...)} around it; other errors keep picocli's message.
     */
    static String usageMessage(CommandLine.ParameterException e) {
        Throwable cause = e.getCause();
        if (e.getArgSpec() != null
                && cause != null
                && cause.getMessage() != null
                && e.getMessage() != null
                && e.getMessage().startsWith("Invalid value for ")) {
            String name = e.getArgSpec() instanceof CommandLine.Model.OptionSpec o
                    ? o.longestName()
                    : e.getArgSpec().paramLabel();
            return name + ": " + cause.getMessage();
        }
        return e.getMessage();
    }

    /** Option names of a command and its subcommands (a config file may set any of them). */
    private static java.util.Set<String> optionNames(CommandLine.Model.CommandSpec spec) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (CommandLine.Model.OptionSpec o : spec.options()) {
            names.addAll(List.of(o.names()));
        }
        for (CommandLine sub : spec.subcommands().values()) {
            names.addAll(optionNames(sub.getCommandSpec()));
        }
        return names;
    }

    /** Gives the {@code --kafka.*} properties to the commands and {@link JobOptions} mixins that take them. */
    private static void handOver(CommandLine.ParseResult parsed, Map<String, String> kafka) {
        for (CommandLine.ParseResult pr = parsed; pr != null; pr = pr.subcommand()) {
            if (pr.commandSpec().userObject() instanceof KafkaClientCommand k) {
                k.addKafkaProperties(kafka);
            }
            for (CommandLine.Model.CommandSpec mixin : pr.commandSpec().mixins().values()) {
                if (mixin.userObject() instanceof JobOptions jo) {
                    jo.kafkaProperties.putAll(kafka);
                }
            }
        }
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
            Map<?, ?> yaml =
                    new ObjectMapper(new YAMLFactory()).readValue(Path.of(file).toFile(), Map.class);
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
