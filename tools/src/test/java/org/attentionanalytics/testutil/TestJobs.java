package org.attentionanalytics.testutil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.job.AttentionJob;
import org.attentionanalytics.job.JobConfiguration;
import org.attentionanalytics.job.JobOptions;
import org.attentionanalytics.job.KafkaIo;
import org.attentionanalytics.local.EmbeddedKafka;
import org.attentionanalytics.local.Topics;

/** The job as the ITCases run it: default options against an embedded broker, bounded, on the test's MiniCluster. */
public final class TestJobs {
    private TestJobs() {}

    /** Every option at its default, as the command line gives it with no arguments. */
    public static JobOptions defaults() {
        return JobOptions.defaults();
    }

    /**
     * Default options (as the command line gives them) for a bounded run at parallelism 2 with 1 s
     * checkpoints against {@code kafka}, whose topics this creates (2 partitions), with the pseudonym
     * key {@code key} written to a file in {@code dir}.
     */
    public static JobOptions boundedOptions(EmbeddedKafka kafka, Path dir, String key) throws IOException {
        return bounded(defaults(), kafka, dir, key);
    }

    /**
     * As {@link #boundedOptions(EmbeddedKafka, Path, String)} with every topic name, the group id and
     * the transactional id prefix starting with {@code prefix}, so several runs share one broker;
     * {@code dir} is created.
     */
    public static JobOptions boundedOptions(EmbeddedKafka kafka, Path dir, String key, String prefix)
            throws IOException {
        Files.createDirectories(dir);
        return bounded(prefixed(defaults(), prefix), kafka, dir, key);
    }

    /**
     * Puts {@code prefix} before every topic name, the group id and the transactional id prefix of
     * {@code options} (e.g. {@link SharedKafka#prefix}, so that a test on the shared broker reads and
     * writes only its own topics).
     *
     * @return {@code options}
     */
    public static JobOptions prefixed(JobOptions options, String prefix) {
        options.clickstreamTopic = prefix + options.clickstreamTopic;
        options.dwellTopic = prefix + options.dwellTopic;
        options.catalogTopic = prefix + options.catalogTopic;
        options.budgetsTopic = prefix + options.budgetsTopic;
        options.privacyRequestsTopic = prefix + options.privacyRequestsTopic;
        options.sessionsTopic = prefix + options.sessionsTopic;
        options.pageViewsTopic = prefix + options.pageViewsTopic;
        options.dlqTopic = prefix + options.dlqTopic;
        options.interestVectorsTopic = prefix + options.interestVectorsTopic;
        options.recommendationsTopic = prefix + options.recommendationsTopic;
        options.liveInterestVectorsTopic = prefix + options.liveInterestVectorsTopic;
        options.liveRecommendationsTopic = prefix + options.liveRecommendationsTopic;
        options.alertsTopic = prefix + options.alertsTopic;
        options.reportsTopic = prefix + options.reportsTopic;
        options.focusBlocksTopic = prefix + options.focusBlocksTopic;
        options.focusBlockReportsTopic = prefix + options.focusBlockReportsTopic;
        options.trendsTopic = prefix + options.trendsTopic;
        options.privacyAuditTopic = prefix + options.privacyAuditTopic;
        options.groupId = prefix + options.groupId;
        options.transactionalIdPrefix = prefix + options.transactionalIdPrefix;
        return options;
    }

    private static JobOptions bounded(JobOptions options, EmbeddedKafka kafka, Path dir, String key)
            throws IOException {
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
        Configuration conf = JobConfiguration.of(options);
        conf.addAll(extra);
        return graph(conf, options, UnaryOperator.identity()).execute(options.jobName);
    }

    /**
     * An environment on {@code conf} holding the job's graph, with {@code beforeKeyBy} inserted
     * (failure injection, throttling); RocksDB's working directories in {@link TestRocksDb#localDir()}
     * unless {@code conf} names others.
     */
    public static StreamExecutionEnvironment graph(
            Configuration conf, JobOptions options, UnaryOperator<DataStream<AttentionEvent>> beforeKeyBy) {
        if (!conf.contains(RocksDBOptions.LOCAL_DIRECTORIES)) {
            conf.set(RocksDBOptions.LOCAL_DIRECTORIES, TestRocksDb.localDir());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        AttentionJob.defineWorkflow(env, options, new KafkaIo() {
            @Override
            public DataStream<AttentionEvent> beforeKeyBy(DataStream<AttentionEvent> events) {
                return beforeKeyBy.apply(events);
            }
        });
        return env;
    }

    /**
     * MiniCluster setting for tests that throttle the stream: network buffers of 4 KiB instead of
     * 32 KiB. With 1 ms per event behind the sources an aligned checkpoint barrier waits behind every
     * buffered event (about 4,000 with 32 KiB buffers, about 5 s per checkpoint); small buffers keep
     * barriers about 1 s behind and give several checkpoints in a run of a few seconds.
     */
    public static Configuration smallNetworkBuffers() {
        Configuration conf = new Configuration();
        conf.set(
                org.apache.flink.configuration.TaskManagerOptions.MEMORY_SEGMENT_SIZE,
                org.apache.flink.configuration.MemorySize.parse("4kb"));
        return conf;
    }
}
