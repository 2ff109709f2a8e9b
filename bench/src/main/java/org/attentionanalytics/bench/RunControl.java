package org.attentionanalytics.bench;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meter of one benchmark run, shared by its {@link MemorySource} readers and the driver
 * (static registry by run name: the MiniCluster runs in this JVM).
 *
 * <p>Sustained throughput is measured at the sources: from the first record any measured split
 * emits to the last record the last measured split emits ({@code System.nanoTime}). Job start-up
 * and tear-down are outside that window; records still in flight in network buffers when the
 * last one leaves the source (a few thousand at most, against millions) are not. Once every
 * measured split is exhausted the readers wait, the driver takes a checkpoint of the state with
 * all records applied, then {@link #release()}s them and the job ends.
 */
public final class RunControl {
    private static final Map<String, RunControl> RUNS = new ConcurrentHashMap<>();

    private final int measuredSplits;
    private final AtomicInteger exhausted = new AtomicInteger();
    private final AtomicLong firstNanos = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastNanos = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong records = new AtomicLong();
    /** Wall clock when the last measured split was exhausted, ms; Long.MAX_VALUE before. */
    private volatile long exhaustedAtMs = Long.MAX_VALUE;

    private final CompletableFuture<Void> allExhausted = new CompletableFuture<>();
    private final CompletableFuture<Void> release = new CompletableFuture<>();

    private RunControl(int measuredSplits) {
        this.measuredSplits = measuredSplits;
    }

    /** Registers a new run expecting {@code measuredSplits} measured splits. */
    public static RunControl start(String run, int measuredSplits) {
        RunControl c = new RunControl(measuredSplits);
        RUNS.put(run, c);
        return c;
    }

    /** @return the run, or null when none is registered (the sources then never wait) */
    static RunControl get(String run) {
        return RUNS.get(run);
    }

    /** Forgets the run. */
    public static void end(String run) {
        RunControl c = RUNS.remove(run);
        if (c != null) {
            c.release();
        }
    }

    void firstRecord(long nanos) {
        firstNanos.accumulateAndGet(nanos, Math::min);
    }

    void splitExhausted(long nanos, long splitRecords) {
        lastNanos.accumulateAndGet(nanos, Math::max);
        records.addAndGet(splitRecords);
        if (exhausted.incrementAndGet() >= measuredSplits) {
            exhaustedAtMs = System.currentTimeMillis();
            allExhausted.complete(null);
        }
    }

    /** @return completes when every measured split has emitted its last record */
    public CompletableFuture<Void> allExhausted() {
        return allExhausted;
    }

    /** @return completes when the driver lets the sources end */
    CompletableFuture<Void> released() {
        return release;
    }

    /** Lets the sources end (their input then ends, the job finishes). */
    public void release() {
        release.complete(null);
    }

    /** @return records emitted by the measured splits */
    public long records() {
        return records.get();
    }

    /** @return wall clock when every measured split had emitted its last record, ms; Long.MAX_VALUE before */
    public long exhaustedAtMs() {
        return exhaustedAtMs;
    }

    /** @return seconds from the first to the last measured record */
    public double seconds() {
        return (lastNanos.get() - firstNanos.get()) / 1e9;
    }
}
