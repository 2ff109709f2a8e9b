package org.attentionanalytics.testutil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.job.AttentionJob;
import org.attentionanalytics.job.JobConfiguration;
import org.attentionanalytics.job.JobOptions;

/**
 * The fast whole-graph tier: {@link AttentionJob#defineWorkflow} on the test's MiniCluster ({@link
 * #miniCluster()}) with the job's configuration (RocksDB, checkpoints, no Kryo) and no restarts,
 * reading raw records from {@link #inputs()} through the job's doors ({@link MemoryIo}) and
 * collecting what every sink writes in {@link #outputs()}. {@link #run()} runs a bounded graph to
 * its end; {@link #start()} starts a live one. Closing unregisters the run's topics.
 */
public final class GraphRun implements AutoCloseable {
    /** Partitions of every input topic, as the Kafka tests create their topics. */
    public static final int PARTITIONS = 2;

    private final JobOptions options;
    private final InputTopics inputs = InputTopics.create(PARTITIONS);
    private final OutputTopics outputs = OutputTopics.create(inputs.run());
    private UnaryOperator<DataStream<AttentionEvent>> beforeKeyBy = UnaryOperator.identity();

    public GraphRun(JobOptions options) {
        this.options = options;
    }

    /** The MiniCluster of a test class: one TaskManager with 2 slots, for parallelism 2. */
    public static MiniClusterExtension miniCluster() {
        return miniCluster(new Configuration());
    }

    /** As {@link #miniCluster()}, with cluster settings {@code conf}. */
    public static MiniClusterExtension miniCluster(Configuration conf) {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(2)
                .setConfiguration(conf)
                .build());
    }

    /**
     * Default options (as the command line gives them) for a bounded run at parallelism 2 with 1 s
     * checkpoints, as the Kafka tests run the job, with the pseudonym key {@code key} in a file in {@code dir}.
     */
    public static JobOptions boundedOptions(Path dir, String key) throws IOException {
        JobOptions options = JobOptions.defaults();
        Path keyFile = dir.resolve("pseudonym.key");
        Files.writeString(keyFile, key);
        options.pseudonymKeyFile = keyFile.toString();
        options.bounded = true;
        options.parallelism = 2;
        options.checkpointInterval = Duration.ofSeconds(1);
        return options;
    }

    /** Appends raw records to an input topic (also during a live run). */
    public GraphRun add(String topic, RawRecord... records) {
        inputs.add(topic, records);
        return this;
    }

    /** Inserts {@code hook} right before {@code keyBy(pseudonym)} ({@code JobIo#beforeKeyBy}). */
    public GraphRun beforeKeyBy(UnaryOperator<DataStream<AttentionEvent>> hook) {
        this.beforeKeyBy = hook;
        return this;
    }

    public InputTopics inputs() {
        return inputs;
    }

    public OutputTopics outputs() {
        return outputs;
    }

    /** This run's {@link MemoryIo}, for tests that build part of the graph themselves. */
    public MemoryIo io() {
        return new MemoryIo(inputs.run(), beforeKeyBy);
    }

    /** An environment with the job's configuration for {@code options} and no restarts, without a graph yet. */
    public StreamExecutionEnvironment environment() {
        Configuration conf = JobConfiguration.of(options);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none"); // the collected outputs are not transactional
        conf.set(RocksDBOptions.LOCAL_DIRECTORIES, TestRocksDb.localDir());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(options.parallelism);
        return env;
    }

    /** Runs the job's whole graph on the bounded inputs to their end. */
    public JobExecutionResult run() throws Exception {
        if (!options.bounded) {
            throw new IllegalStateException("run() needs --bounded; start() runs a live graph");
        }
        return graph().execute(options.jobName);
    }

    /** Starts the job's whole graph, live unless {@code --bounded}; the caller cancels it (or ends the inputs). */
    public JobClient start() throws Exception {
        return graph().executeAsync(options.jobName);
    }

    private StreamExecutionEnvironment graph() {
        StreamExecutionEnvironment env = environment();
        AttentionJob.defineWorkflow(env, options, io());
        return env;
    }

    @Override
    public void close() {
        inputs.close();
        outputs.close();
    }
}
