package org.attentionanalytics.job;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job: {@code main} reads {@link JobOptions} and submits; {@link #defineWorkflow} builds the
 * whole graph (Kafka sources, decode at the door, per-user operator, Kafka sinks) so that the
 * local runner and the tests run the very same graph. (Work in progress: graph follows.)
 */
public final class AttentionJob {
  private AttentionJob() {}

  /**
   * Flink configuration the job needs: checkpointing every {@code --checkpoint-interval} in
   * exactly-once mode, RocksDB with incremental checkpoints, no Kryo ({@code
   * pipeline.generic-types: false}), and the options as global job parameters (web UI).
   */
  public static Configuration configuration(JobOptions options) {
    return new Configuration();
  }

  /** Adds the whole pipeline to {@code env}: Kafka in, Kafka out, per {@code options}. */
  public static void defineWorkflow(StreamExecutionEnvironment env, JobOptions options) {
    throw new UnsupportedOperationException("graph follows");
  }
}
