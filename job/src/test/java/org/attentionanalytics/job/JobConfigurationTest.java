package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.junit.jupiter.api.Test;
import org.rocksdb.CompressionType;

/** The RocksDB and pipeline settings the job runs with (BENCHMARKS.md says what each was worth). */
class JobConfigurationTest {
    @Test
    void rocksDbStateFilesAreCompressedInLargeBlocksWithBloomFilters() {
        var conf = JobConfiguration.of(JobOptions.defaults());
        assertThat(conf.get(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL))
                .isEqualTo(List.of(CompressionType.ZSTD_COMPRESSION));
        assertThat(conf.get(RocksDBConfigurableOptions.BLOCK_SIZE)).isEqualTo(MemorySize.parse("16kb"));
        assertThat(conf.get(RocksDBConfigurableOptions.USE_BLOOM_FILTER)).isTrue();
        assertThat(conf.get(PipelineOptions.OBJECT_REUSE)).isTrue();
    }
}
