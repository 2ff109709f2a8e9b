package org.attentionanalytics.local;

import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.attentionanalytics.io.SchemaRegistration;
import org.attentionanalytics.io.SchemaRegistrySettings;
import org.attentionanalytics.job.JobOptions;
import org.attentionanalytics.job.KafkaPreflight;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bin/attention create-topics}: creates every topic of the job ({@link Topics#all}, with
 * its configs) on any Kafka, the same list the local runner and the cluster scripts use. Existing
 * topics are left as they are. Prints one line per topic: {@code created <topic>} or {@code
 * <topic> exists}.
 *
 * <p>Of the job's options ({@link JobOptions}) it takes only those it reads ({@link
 * TopicOptionsOnly}): {@code --bootstrap-servers}, the {@code --topic.*} names, {@code
 * --state-ttl} (the retention of the per-user outputs) and {@code --snowplow} (creates {@code
 * --topic.snowplow} too), {@code --schema-registry-url} (then it also registers every output
 * schema under {@code <topic>-value}, as the job does at start with {@code --output-format
 * avro-registry}); plus {@code --kafka.*} and {@code --config
 * FILE}, as every command (a YAML file shared with {@code run} or {@code local} works, the other
 * keys are ignored here).
 */
@Command(
        name = "create-topics",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        version = "Attention Analytics 0.1.0",
        modelTransformer = CreateTopicsCommand.TopicOptionsOnly.class,
        description = {
            "Create the job's topics with their configurations (existing topics are left as they are).",
            "Kafka client properties pass through as --kafka.<property>=<value>; --config FILE reads options from YAML."
        })
public class CreateTopicsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The job's options at their defaults; the command line sets those {@link TopicOptionsOnly} keeps. */
    @Mixin
    JobOptions options = JobOptions.defaults();

    @Option(
            names = "--partitions",
            defaultValue = "" + Topics.DEFAULT_PARTITIONS,
            description =
                    "Partitions of every topic (the replication factor is the broker's default). Default: ${DEFAULT-VALUE}")
    int partitions;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "YAML file of options (keys: option names without dashes, e.g. 'topic: {sessions: my-sessions}'). Command-line values win.")
    String config;

    @Override
    public Integer call() throws Exception {
        KafkaPreflight.check(options.bootstrapServers, options.kafkaProperties);
        java.util.Properties props = new java.util.Properties();
        props.putAll(options.kafkaProperties);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get();
            Topics.createAll(admin, options, partitions);
            for (NewTopic t : Topics.all(options, partitions)) {
                spec.commandLine()
                        .getOut()
                        .println(existing.contains(t.name()) ? t.name() + " exists" : "created " + t.name());
            }
        }
        if (options.schemaRegistry() != null) { // asked: the output schemas, as the job registers them at start
            for (RecordType type : RecordType.outputs()) {
                String topic = type.topic(options);
                long id = SchemaRegistration.register(options.schemaRegistry(), topic, type.schema());
                spec.commandLine()
                        .getOut()
                        .println("registered " + type.typeName() + " under " + SchemaRegistrySettings.subject(topic)
                                + " (id " + id + ", BACKWARD)");
            }
        }
        return 0;
    }

    /**
     * Drops the {@link JobOptions} the command does not read from its options (and so from {@code
     * --help}): it keeps {@code --bootstrap-servers}, {@code --topic.*}, {@code --state-ttl},
     * {@code --snowplow} (which adds {@code --topic.snowplow}) and {@code --schema-registry-*}.
     */
    public static final class TopicOptionsOnly implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec command) {
            CommandSpec jobOptions = command.mixins().values().stream()
                    .filter(m -> m.userObject() instanceof JobOptions)
                    .findFirst()
                    .orElseThrow();
            for (OptionSpec option : jobOptions.options()) {
                String name = option.longestName();
                if (!name.equals("--bootstrap-servers")
                        && !name.startsWith("--topic.")
                        && !name.equals("--state-ttl")
                        && !name.equals("--snowplow")
                        && !name.startsWith("--schema-registry")) {
                    command.remove(command.findOption(name));
                }
            }
            return command;
        }
    }
}
