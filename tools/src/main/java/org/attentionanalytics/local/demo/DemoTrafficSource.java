package org.attentionanalytics.local.demo;

import org.attentionanalytics.job.JobOptions;
import org.attentionanalytics.local.TrafficSource;

/**
 * {@link DemoGenerator} as the local runner's traffic source: Avro events to the job's input topics,
 * or with {@code --snowplow} Snowplow enriched TSV lines to {@code --topic.snowplow} and the demo's
 * catalog to {@code --topic.catalog} ({@link DemoSnowplow}).
 */
public final class DemoTrafficSource implements TrafficSource {
    private DemoGenerator generator;

    @Override
    public void start(String bootstrapServers, JobOptions options, int users, double eventsPerSecond) {
        generator = new DemoGenerator(
                bootstrapServers,
                options.clickstreamTopic,
                options.dwellTopic,
                options.budgetsTopic,
                options.focusBlocksTopic,
                users,
                eventsPerSecond,
                System.nanoTime(),
                options.kafkaProperties);
        if (options.snowplow) {
            generator.asSnowplow(options.snowplowTopic, options.catalogTopic);
        }
        generator.start();
    }

    @Override
    public void close() {
        if (generator != null) {
            generator.close();
        }
    }
}
