package org.attentionanalytics.local;

import java.io.PrintWriter;
import org.attentionanalytics.job.CliSupport;
import org.attentionanalytics.job.JobOptions;

/** What {@code bin/attention local} prints about itself: the banner of a run and its one-line failure. */
final class LocalConsole {
    private LocalConsole() {}

    /**
     * Where everything of the run is: broker, web UI, registry, output format, pseudonym key,
     * checkpoints, topics, and how to read one.
     *
     * @param embeddedRegistry whether the registry is the run's own (gone when it stops)
     */
    static void banner(
            PrintWriter out,
            JobOptions options,
            String webUiUrl,
            String keyDescription,
            boolean embeddedRegistry,
            int partitions) {
        boolean registry = options.schemaRegistry() != null;
        out.println("Attention Analytics, local run");
        out.println("  Kafka bootstrap servers: " + options.bootstrapServers + " (embedded, gone when this stops)");
        out.println("  Flink web UI:            " + webUiUrl);
        if (registry) {
            out.println("  Schema registry:         " + options.schemaRegistryUrl
                    + (embeddedRegistry ? " (embedded, gone when this stops)" : ""));
        }
        out.println("  Output format:           " + options.outputFormat);
        out.println("  Pseudonym key:           " + keyDescription);
        out.println("  Checkpoints:             " + options.checkpointDir);
        out.println("  Input topics:            " + String.join(", ", Topics.inputs(options)));
        out.println("  Output topics:           " + String.join(", ", Topics.outputs(options)));
        out.println("  (" + partitions
                + " partitions each; read one with: bin/attention consume --bootstrap-servers "
                + options.bootstrapServers
                + (registry ? " --schema-registry-url " + options.schemaRegistryUrl : "")
                + " --topic <topic>)");
        out.flush();
    }

    /**
     * The one-line failure, {@code local: failed: <message and causes>}; with {@code debug}
     * ({@code ATTENTION_DEBUG} set, as for the other commands) the stack trace after it.
     */
    static void failure(PrintWriter err, Throwable e, boolean debug) {
        err.println("local: failed: " + CliSupport.describe(e));
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
    }
}
