package org.attentionanalytics.job;

import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBNativeMetricOptions;
import org.rocksdb.CompressionType;

/** The Flink configuration the job runs with ({@link #of}), and the RocksDB settings in it. */
public final class JobConfiguration {
    /** Key groups of the keyed state: the most parallelism the job can be scaled to (Flink's default here). */
    public static final int MAX_PARALLELISM = 128;

    /**
     * RocksDB native metrics the job turns on: cheap RocksDB properties (no statistics collection),
     * what sizing and trouble-shooting need. Per operator with keyed state and per state (column
     * family): {@code <operator>.rocksdb.<state>.<property>}, e.g. {@code
     * ...rocksdb.user-state.estimate-live-data-size}. Left off: {@code total-sst-files-size} and
     * {@code live-sst-files-size} (RocksDB warns they can slow down queries when there are many
     * files) and the ticker statistics (block-cache hits, bytes read, ...), which cost on every access.
     */
    public static final List<ConfigOption<Boolean>> ROCKSDB_METRICS = List.of(
            RocksDBNativeMetricOptions.ESTIMATE_NUM_KEYS,
            RocksDBNativeMetricOptions.ESTIMATE_LIVE_DATA_SIZE,
            RocksDBNativeMetricOptions.MONITOR_CUR_SIZE_ALL_MEM_TABLE,
            RocksDBNativeMetricOptions.BLOCK_CACHE_USAGE,
            RocksDBNativeMetricOptions.ESTIMATE_TABLE_READERS_MEM,
            RocksDBNativeMetricOptions.MONITOR_MEM_TABLE_FLUSH_PENDING,
            RocksDBNativeMetricOptions.MONITOR_NUM_RUNNING_COMPACTIONS,
            RocksDBNativeMetricOptions.ESTIMATE_PENDING_COMPACTION_BYTES,
            RocksDBNativeMetricOptions.MONITOR_BACKGROUND_ERRORS,
            RocksDBNativeMetricOptions.IS_WRITE_STOPPED);

    /**
     * RocksDB block size of the state files ({@code state.backend.rocksdb.block.blocksize}): larger
     * than RocksDB's 4 KB so that ZSTD compresses the many small per-user values together (block
     * cache holds them uncompressed, so point lookups decompress a block once).
     */
    public static final MemorySize STATE_BLOCK_SIZE = MemorySize.parse("16kb");

    private JobConfiguration() {}

    /**
     * Flink configuration the job needs: checkpointing every {@code --checkpoint-interval} in
     * exactly-once mode, RocksDB with incremental checkpoints, ZSTD-compressed {@link
     * #STATE_BLOCK_SIZE} blocks and bloom filters, no Kryo ({@code
     * pipeline.generic-types: false}), object reuse between chained operators, the checkpoint directory when given, the options as global
     * job parameters (shown by the web UI), and the RocksDB native metrics of {@link
     * #ROCKSDB_METRICS}.
     */
    public static Configuration of(JobOptions options) {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, options.checkpointInterval);
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // Chained operators hand records on without a copy: no operator of the job changes or keeps a
        // record it has emitted or received from a chained one (the sinks serialize at once).
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        // Fixed, so that savepoints restore at any parallelism: Flink's derived default changes
        // above parallelism 85, and a savepoint cannot move to another max parallelism.
        conf.set(PipelineOptions.MAX_PARALLELISM, MAX_PARALLELISM);
        conf.set(PipelineOptions.GLOBAL_JOB_PARAMETERS, options.toConfigMap());
        // Compact state files: ZSTD on every level and 16 KB blocks (RocksDB defaults: Snappy, 4 KB).
        // In bench --quick: 864 instead of about 1,200 bytes per user in checkpoints, at the same events/s.
        conf.set(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL, List.of(CompressionType.ZSTD_COMPRESSION));
        conf.set(RocksDBConfigurableOptions.BLOCK_SIZE, STATE_BLOCK_SIZE);
        // Bloom filters (10 bits a key, full filters): a user's first event looks up a key no level
        // holds, which without them reads a data block of every level. In bench at 1,000,000 users
        // (BENCHMARKS.md): 26,545 instead of 22,771 events/s in the same hour; no change at 100,000.
        conf.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
        for (var metric : ROCKSDB_METRICS) {
            conf.set(metric, true);
        }
        if (options.checkpointDir != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, options.checkpointDir);
        }
        if (options.watermarkInterval != null) {
            conf.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, options.watermarkInterval);
        }
        if (options.bufferTimeout != null) {
            conf.set(ExecutionOptions.BUFFER_TIMEOUT, options.bufferTimeout);
        }
        return conf;
    }
}
