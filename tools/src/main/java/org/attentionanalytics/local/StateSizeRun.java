package org.attentionanalytics.local;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.checkpoint.TaskStateStats;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.jobgraph.JobVertexID;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamGraphHasherV2;

/**
 * Runs a bounded job to its end on a MiniCluster of its own (instead of {@code env.execute}) to
 * read, afterwards, the checkpointed state bytes of chosen operators from the job's last completed
 * checkpoint, the one taken when the input ended (Flink's final checkpoint, FLIP-147), as the
 * checkpoint statistics of the web UI give them ({@link TaskStateStats#getStateSize}, all subtasks;
 * RocksDB incremental checkpoints: the full state, shared files included). Operator chaining is
 * turned off so that each operator is a task of its own, found by its uid's hash.
 */
final class StateSizeRun {
    private final List<String> uids;
    private Map<String, Long> bytesByUid = Map.of();

    /** @param uids the operators whose state bytes to keep */
    StateSizeRun(Collection<String> uids) {
        this.uids = List.copyOf(uids);
    }

    /** @return after {@link #execute}: the state bytes per uid (uids without a task or a checkpoint left out) */
    Map<String, Long> bytesByUid() {
        return bytesByUid;
    }

    /**
     * @param conf the MiniCluster's configuration ({@link LocalClusterConfig#of})
     * @param slots task slots of its one task manager
     * @throws Exception if the job fails (as {@code env.execute} throws) or the cluster does not start
     */
    JobExecutionResult execute(StreamExecutionEnvironment env, Configuration conf, int slots, String jobName)
            throws Exception {
        env.disableOperatorChaining();
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(jobName);
        try (MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build())) {
            cluster.start();
            JobID job = cluster.submitJob(graph).get().getJobID();
            JobResult done = cluster.requestJobResult(job).get();
            JobExecutionResult result = done.toJobExecutionResult(StateSizeRun.class.getClassLoader());
            bytesByUid = stateBytes(cluster.getArchivedExecutionGraph(job).get(), uids);
            return result;
        }
    }

    private static Map<String, Long> stateBytes(AccessExecutionGraph graph, Collection<String> uids) {
        Map<String, Long> bytes = new LinkedHashMap<>();
        CompletedCheckpointStats last =
                graph.getCheckpointStatsSnapshot().getHistory().getLatestCompletedCheckpoint();
        if (last == null) {
            return bytes;
        }
        for (String uid : uids) {
            // without chaining, a task's id is its one operator's: the hash of the uid
            TaskStateStats task =
                    last.getTaskStateStats(new JobVertexID(StreamGraphHasherV2.generateUserSpecifiedHash(uid)));
            if (task != null) {
                bytes.put(uid, task.getStateSize());
            }
        }
        return bytes;
    }
}
