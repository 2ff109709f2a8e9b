package org.attentionanalytics.job;

import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.attentionanalytics.privacy.Pseudonymizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Runs the job on the Flink environment it is started in: {@code flink run attention-analytics.jar
 * [options]} on a cluster (this is the jar's main), or {@code bin/attention run [options]}.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        version = "Attention Analytics 0.1.0",
        description = {
            "Run the Attention Analytics job against Kafka (flink run attention-analytics.jar [options]).",
            "Kafka client properties pass through as --kafka.<property>=<value>; --config FILE reads options from YAML."
        })
public final class RunCommand implements Callable<Integer> {
    @Mixin
    JobOptions options = new JobOptions();

    @picocli.CommandLine.Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "YAML file of options (keys: option names without dashes, e.g. 'inactivity-gap: 20 min'). Command-line values win.")
    String config;

    @Override
    public Integer call() throws Exception {
        AttentionJob.validate(options);
        boolean keyFile = options.pseudonymKeyFile != null && !options.pseudonymKeyFile.isBlank();
        if (!keyFile && System.getenv(Pseudonymizer.KEY_ENV) == null) {
            throw new IllegalArgumentException("no pseudonym key: pass --pseudonym-key-file FILE (readable on every "
                    + "TaskManager) or set " + Pseudonymizer.KEY_ENV + " on the cluster");
        }
        if (keyFile && !java.nio.file.Files.isReadable(java.nio.file.Path.of(options.pseudonymKeyFile))) {
            System.err.println(
                    "Warning: " + options.pseudonymKeyFile + " is not readable here; the TaskManagers read it, "
                            + "so it must be readable on every one of them.");
        }
        try {
            KafkaPreflight.check(options.bootstrapServers, options.kafkaProperties);
        } catch (IllegalArgumentException e) {
            System.err.println("Warning: " + e.getMessage() + "; submitting anyway, the job retries from the cluster.");
        }
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(JobConfiguration.of(options));
        AttentionJob.defineWorkflow(env, options, JobIo.KAFKA);
        env.execute(options.jobName);
        return 0;
    }
}
