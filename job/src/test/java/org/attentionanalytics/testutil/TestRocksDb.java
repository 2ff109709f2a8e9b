package org.attentionanalytics.testutil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;

/** RocksDB for the tests: a backend for operator harnesses, a short directory for MiniCluster jobs. */
public final class TestRocksDb {
    private TestRocksDb() {}

    /**
     * RocksDB as the job runs it, with 64 MB of memory per slot. A harness gives RocksDB only the
     * memory of its mock environment (a write-buffer manager of 512 KB, below one 8 MB arena block),
     * so RocksDB would flush constantly and warn "performance will be poor" on every state.
     */
    public static EmbeddedRocksDBStateBackend harnessBackend() {
        EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend();
        backend.getMemoryConfiguration().setFixedMemoryPerSlot(MemorySize.parse("64m"));
        return backend;
    }

    /**
     * A short directory for RocksDB's instances ({@code state.backend.rocksdb.localdir}):
     * {@code rocksdb} under {@code java.io.tmpdir} (the build's {@code target/tmp}). By default they
     * go under the MiniCluster's temporary directory, which {@code MiniClusterExtension} nests in
     * two JUnit temporary folders ({@code .../junit<19 digits>/junit<19 digits>/minicluster_<id>/tm_0/tmp});
     * with the instance's own name ({@code job_<id>_op_<operator>_<id>__1_2__uuid_<uuid>/db}) the
     * path then passes RocksDB's 251 characters for its log file name, and Flink logs "RocksDB
     * instance path length exceeds limit" for every instance and leaves its log in the instance.
     */
    public static String localDir() {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "rocksdb");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir.toString();
    }
}
