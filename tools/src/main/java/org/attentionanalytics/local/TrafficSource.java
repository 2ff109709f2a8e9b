package org.attentionanalytics.local;

import org.attentionanalytics.job.JobOptions;

/**
 * Live demo traffic for {@code bin/attention local} without {@code --dataset}: the seam between the
 * local runner and the demo generator ({@code org.attentionanalytics.local.demo.DemoGenerator}),
 * bound in {@link LocalCommand#LocalCommand()}. An instance is started once and closed once.
 */
public interface TrafficSource extends AutoCloseable {
    /**
     * Starts producing in the background and returns at once.
     *
     * @param bootstrapServers the embedded broker
     * @param options topic names, input format and {@code kafkaProperties}
     * @param users number of simulated users ({@code --demo-users})
     * @param eventsPerSecond target rate over all users ({@code --demo-rate})
     * @throws Exception when it cannot start; the run then stops
     */
    void start(String bootstrapServers, JobOptions options, int users, double eventsPerSecond) throws Exception;

    /** Stops producing and releases the producer; must not throw and may be called twice. */
    @Override
    void close();
}
