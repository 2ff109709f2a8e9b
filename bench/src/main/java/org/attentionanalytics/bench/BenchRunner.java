package org.attentionanalytics.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.checkpoint.AbstractCheckpointStats;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.checkpoint.TaskStateStats;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionJobVertex;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.attentionanalytics.job.JobConfiguration;
import org.attentionanalytics.job.JobOptions;

/**
 * Runs benchmark variants one after the other on one MiniCluster in this JVM (one TaskManager,
 * {@code parallelism} slots), each to the end of the same in-memory input.
 *
 * <p>Cluster settings: {@code taskmanager.memory.managed.size} = {@code managedMemory} (shared by
 * the slots; RocksDB takes its block cache and write buffers from it because {@code
 * state.backend.rocksdb.memory.managed} is true), REST on a free port, no restarts (a failure ends
 * the run). Job settings: the job's own ({@link JobConfiguration#of}: exactly-once
 * checkpoints every {@code --checkpoint-interval}, incremental RocksDB, no Kryo), the variant's
 * state backend, checkpoints to a temporary directory, and any {@code --flink-conf} settings.
 */
public final class BenchRunner implements AutoCloseable {
    private final MiniCluster cluster;
    private final Path checkpoints;
    /** Flink settings on top of the job's, for every variant ({@code bench --flink-conf}). */
    private final Map<String, String> flinkConf;

    private int runs;

    /** Result of one run. */
    public record Result(
            String variant,
            long records,
            double seconds,
            double eventsPerS,
            long checkpoints,
            long lastCheckpointBytes,
            long lastCheckpointMs,
            long maxCheckpointMs,
            long maxPeriodicCheckpointMs,
            Map<String, Long> stateBytesByOperator,
            String stateBackend,
            Map<String, Map<String, Long>> slowestCheckpoint) {}

    /** Starts the cluster. */
    public BenchRunner(int slots, MemorySize managedMemory) throws Exception {
        this(slots, managedMemory, Map.of());
    }

    /** Starts the cluster; {@code flinkConf} is set on every variant's job, over the job's own settings. */
    public BenchRunner(int slots, MemorySize managedMemory, Map<String, String> flinkConf) throws Exception {
        this.flinkConf = Map.copyOf(flinkConf);
        checkpoints = Files.createTempDirectory("attention-bench-checkpoints");
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, managedMemory);
        conf.set(RocksDBOptions.USE_MANAGED_MEMORY, true);
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        conf.set(RestOptions.BIND_PORT, "0");
        cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
        cluster.start();
    }

    /** The job's configuration for a variant. */
    Configuration jobConfiguration(JobOptions options, Variants variant) {
        return jobConfiguration(options, variant.rocksdb);
    }

    /** The job's configuration on RocksDB or the hashmap backend. */
    Configuration jobConfiguration(JobOptions options, boolean rocksdb) {
        Configuration conf = JobConfiguration.of(options);
        conf.set(StateBackendOptions.STATE_BACKEND, rocksdb ? "rocksdb" : "hashmap");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        conf.addAll(Configuration.fromMap(flinkConf));
        return conf;
    }

    /**
     * Runs {@code variant} on the registered topics {@code topics}: waits until every source split
     * is exhausted, takes a checkpoint (state with every record applied), lets the sources end and
     * waits for the job to finish.
     *
     * @param timeout the longest a run may take
     */
    public Result run(Variants variant, JobOptions options, String topics, Duration timeout) throws Exception {
        String run = "run-" + (++runs) + "-" + variant.id;
        int partitions = MemoryTopics.lookup(topics).partitions();
        RunControl control = RunControl.start(run, 2 * partitions);
        try {
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(jobConfiguration(options, variant));
            variant.define(env, options, topics, run);
            var graph = env.getStreamGraph();
            graph.setJobName("bench " + variant.id);
            JobID job = cluster.submitJob(graph).get().getJobID();
            CompletableFuture<JobResult> result = cluster.requestJobResult(job);
            CompletableFuture.anyOf(control.allExhausted(), result).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!control.allExhausted().isDone()) {
                throw new IllegalStateException(
                        variant.id + " ended before reading its input: " + failure(result.get()));
            }
            checkpoint(job, result, timeout);
            control.release();
            JobResult done = result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done.isSuccess()) {
                throw new IllegalStateException(variant.id + " failed: " + failure(done));
            }
            AccessExecutionGraph eg = cluster.getArchivedExecutionGraph(job).get();
            return result(variant, control, eg);
        } finally {
            RunControl.end(run);
        }
    }

    /**
     * Takes a checkpoint; retried while it is refused because not every task is running yet (a
     * tiny input can be exhausted before the last task is deployed).
     */
    private void checkpoint(JobID job, CompletableFuture<JobResult> result, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                cluster.triggerCheckpoint(job).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                if (result.isDone() || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    /** Submits a job that runs until {@link #cancel}. */
    JobID submit(StreamExecutionEnvironment env) throws Exception {
        return cluster.submitJob(env.getStreamGraph()).get().getJobID();
    }

    /**
     * Waits until every task of {@code job} is running, so that a producer started afterwards does
     * not build a backlog while the job is still being deployed.
     */
    void awaitAllTasksRunning(JobID job, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            var graph = cluster.getExecutionGraph(job).get();
            boolean all = true;
            for (AccessExecutionJobVertex v : graph.getVerticesTopologically()) {
                for (var task : v.getTaskVertices()) {
                    all &= task.getExecutionState() == org.apache.flink.runtime.execution.ExecutionState.RUNNING;
                }
            }
            if (all) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the latency job's tasks were not all running after " + timeout);
            }
            Thread.sleep(100);
        }
    }

    /** Cancels the job and waits for it to end. */
    void cancel(JobID job) throws Exception {
        cluster.cancelJob(job).get();
        cluster.requestJobResult(job).get();
    }

    /**
     * The running job's completed checkpoints so far: count, longest end to end, and per task the
     * longest synchronous part (the task thread stops for it: {@code prepareSnapshotPreBarrier}
     * and the state backend's snapshot), ms.
     */
    Map<String, Object> checkpointSummary(JobID job) throws Exception {
        AccessExecutionGraph eg = cluster.getExecutionGraph(job).get();
        CheckpointStatsSnapshot stats = eg.getCheckpointStatsSnapshot();
        long maxMs = 0;
        Map<String, Long> maxSyncMs = new LinkedHashMap<>();
        for (AbstractCheckpointStats c : stats.getHistory().getCheckpoints()) {
            if (!(c instanceof CompletedCheckpointStats)) {
                continue;
            }
            maxMs = Math.max(maxMs, c.getEndToEndDuration());
            for (AccessExecutionJobVertex v : eg.getVerticesTopologically()) {
                TaskStateStats t = c.getTaskStateStats(v.getJobVertexId());
                if (t != null
                        && t.getSummaryStats().getSyncCheckpointDurationStats().getCount() > 0) {
                    maxSyncMs.merge(
                            v.getName().replaceAll(" -> .*", ""),
                            t.getSummaryStats().getSyncCheckpointDurationStats().getMaximum(),
                            Math::max);
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("completed", stats.getCounts().getNumberOfCompletedCheckpoints());
        m.put("max_end_to_end_ms", maxMs);
        m.put("max_sync_ms_by_task", maxSyncMs);
        return m;
    }

    private static String failure(JobResult r) {
        return r.getSerializedThrowable()
                .map(t -> t.getFullStringifiedStackTrace())
                .orElse(String.valueOf(r.getApplicationStatus()));
    }

    private static Result result(Variants variant, RunControl control, AccessExecutionGraph eg) {
        CheckpointStatsSnapshot stats = eg.getCheckpointStatsSnapshot();
        CompletedCheckpointStats last = stats.getHistory().getLatestCompletedCheckpoint();
        long maxMs = 0;
        long maxPeriodicMs = 0; // triggered while the sources still emitted: not the harness's own at the end
        AbstractCheckpointStats slowest = null;
        for (AbstractCheckpointStats c : stats.getHistory().getCheckpoints()) {
            if (!(c instanceof CompletedCheckpointStats)) {
                continue;
            }
            if (c.getEndToEndDuration() >= maxMs) {
                maxMs = c.getEndToEndDuration();
                slowest = c;
            }
            if (c.getTriggerTimestamp() < control.exhaustedAtMs()) {
                maxPeriodicMs = Math.max(maxPeriodicMs, c.getEndToEndDuration());
            }
        }
        Map<String, Long> byOperator = new LinkedHashMap<>();
        if (last != null) {
            for (AccessExecutionJobVertex v : eg.getVerticesTopologically()) {
                TaskStateStats t = last.getTaskStateStats(v.getJobVertexId());
                if (t != null && t.getStateSize() > 0) {
                    byOperator.put(v.getName(), t.getStateSize());
                }
            }
        }
        double seconds = control.seconds();
        return new Result(
                variant.id,
                control.records(),
                seconds,
                control.records() / seconds,
                stats.getCounts().getNumberOfCompletedCheckpoints(),
                last == null ? -1 : last.getStateSize(),
                last == null ? -1 : last.getEndToEndDuration(),
                maxMs,
                maxPeriodicMs,
                byOperator,
                eg.getStateBackendName().orElse("?"),
                breakdown(eg, slowest));
    }

    /**
     * Where a checkpoint's time went, per task with state (slowest subtask of each): the wait from
     * the trigger to the barrier's arrival ({@code start_delay_ms}), barrier alignment, the
     * synchronous part (the task thread stops: {@code prepareSnapshotPreBarrier} and the backend's
     * snapshot) and the asynchronous part (uploading the state), ms.
     */
    private static Map<String, Map<String, Long>> breakdown(AccessExecutionGraph eg, AbstractCheckpointStats c) {
        Map<String, Map<String, Long>> m = new LinkedHashMap<>();
        if (c == null) {
            return m;
        }
        for (AccessExecutionJobVertex v : eg.getVerticesTopologically()) {
            TaskStateStats t = c.getTaskStateStats(v.getJobVertexId());
            if (t == null || t.getStateSize() == 0) {
                continue;
            }
            var s = t.getSummaryStats();
            Map<String, Long> parts = new LinkedHashMap<>();
            parts.put("start_delay_ms", s.getCheckpointStartDelayStats().getMaximum());
            parts.put("alignment_ms", s.getAlignmentDurationStats().getMaximum());
            parts.put("sync_ms", s.getSyncCheckpointDurationStats().getMaximum());
            parts.put("async_ms", s.getAsyncCheckpointDurationStats().getMaximum());
            m.put(v.getName().replaceAll(" -> .*", ""), parts);
        }
        return m;
    }

    @Override
    public void close() throws Exception {
        cluster.close();
        try (var files = Files.walk(checkpoints)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }
}
