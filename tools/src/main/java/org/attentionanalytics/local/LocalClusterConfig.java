package org.attentionanalytics.local;

import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.attentionanalytics.job.JobConfiguration;
import org.attentionanalytics.job.JobOptions;

/** The Flink configuration of the local runner's MiniCluster ({@link LocalCommand}, {@link StateSizeRun}). */
final class LocalClusterConfig {
    private LocalClusterConfig() {}

    /**
     * The MiniCluster's configuration: the job's ({@link JobConfiguration#of}) plus the web
     * UI port, one task slot per parallel subtask, {@link LocalCommand#MANAGED_MEMORY} of managed memory, the
     * default parallelism and {@code options.checkpointDir} as checkpoint directory.
     */
    static Configuration of(JobOptions options, int webPort) {
        Configuration conf = JobConfiguration.of(options);
        conf.set(RestOptions.PORT, webPort);
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, options.parallelism);
        conf.set(CoreOptions.DEFAULT_PARALLELISM, options.parallelism);
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, LocalCommand.MANAGED_MEMORY);
        // accumulators reach the JobManager with the heartbeats: every second, for a smooth live status
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
        if (options.checkpointDir != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, options.checkpointDir);
        }
        return conf;
    }
}
