package org.attentionanalytics.testutil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.attentionanalytics.job.AttentionJob;
import org.attentionanalytics.job.JobOptions;
import org.attentionanalytics.local.EmbeddedKafka;
import org.attentionanalytics.local.Topics;

/** The job as the ITCases run it: default options against an embedded broker, bounded, on the test's MiniCluster. */
public final class TestJobs {
  private TestJobs() {}

  /** Every option at its default, as the command line gives it with no arguments. */
  public static JobOptions defaults() {
    JobOptions options = new JobOptions();
    new picocli.CommandLine(options).parseArgs();
    return options;
  }

  /**
   * Default options (as the command line gives them) for a bounded run at parallelism 2 with 1 s
   * checkpoints against {@code kafka}, whose topics this creates (2 partitions), with the pseudonym
   * key {@code key} written to a file in {@code dir}.
   */
  public static JobOptions boundedOptions(EmbeddedKafka kafka, Path dir, String key) throws IOException {
    JobOptions options = defaults();
    options.bootstrapServers = kafka.bootstrapServers();
    Path keyFile = dir.resolve("pseudonym.key");
    Files.writeString(keyFile, key);
    options.pseudonymKeyFile = keyFile.toString();
    options.bounded = true;
    options.parallelism = 2;
    options.checkpointInterval = Duration.ofSeconds(1);
    Topics.createAll(kafka.admin(), options, 2);
    return options;
  }

  /** Runs the job's graph to the end of its bounded input, with extra settings in {@code conf}. */
  public static JobExecutionResult run(JobOptions options, Configuration extra) throws Exception {
    Configuration conf = AttentionJob.configuration(options);
    conf.addAll(extra);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    AttentionJob.defineWorkflow(env, options);
    return env.execute(options.jobName);
  }
}
