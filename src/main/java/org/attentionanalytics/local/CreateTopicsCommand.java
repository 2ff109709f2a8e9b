package org.attentionanalytics.local;

import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.attentionanalytics.cli.KafkaPreflight;
import org.attentionanalytics.job.JobOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bin/attention create-topics}: creates every topic of the job ({@link Topics#all}, with
 * its configs) on any Kafka, the same list the local runner and the cluster scripts use. Existing
 * topics are left as they are. Prints one line per topic: {@code created <topic>} or {@code
 * <topic> exists}.
 */
@Command(name = "create-topics", mixinStandardHelpOptions = true, version = "Attention Analytics 0.1.0",
    description = "Create the job's topics with their configurations (existing topics are left as they are).")
public class CreateTopicsCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  JobOptions options = new JobOptions();

  @Option(names = "--partitions", defaultValue = "" + Topics.DEFAULT_PARTITIONS,
      description = "Partitions of every topic. Default: ${DEFAULT-VALUE}")
  int partitions;

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
        spec.commandLine().getOut().println(existing.contains(t.name()) ? t.name() + " exists" : "created " + t.name());
      }
    }
    return 0;
  }
}
