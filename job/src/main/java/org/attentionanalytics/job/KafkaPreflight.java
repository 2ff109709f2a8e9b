package org.attentionanalytics.job;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Checks that Kafka answers before a command starts working, so that an unreachable broker is one
 * clear line instead of a minute of silence and a misleading metadata timeout. The replay, {@code
 * erase} and {@code budget} do not fail here: they wait for the broker up to {@code --max-wait}
 * and use {@link #answers} to say what they wait for ({@link KafkaWait}).
 */
public final class KafkaPreflight {
    /** How long to wait for the cluster to answer. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private KafkaPreflight() {}

    /**
     * @param kafkaProperties pass-through client properties (security settings and the like)
     * @throws IllegalArgumentException when no broker answers within {@link #TIMEOUT}
     */
    public static void check(String bootstrapServers, Map<String, String> kafkaProperties) {
        Properties props = new Properties();
        props.putAll(kafkaProperties);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try {
            describeCluster(props, TIMEOUT);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalArgumentException(
                    "cannot reach Kafka at " + bootstrapServers + " within " + TIMEOUT.toSeconds()
                            + " s (check --bootstrap-servers and --kafka.* security settings)",
                    e);
        }
    }

    /**
     * Whether a broker answers a describe-cluster request within {@code timeout}.
     *
     * @param clientProperties {@code bootstrap.servers} and any other client properties; those that
     *     are not admin client properties (a producer's, say) are left out
     */
    public static boolean answers(Map<?, ?> clientProperties, Duration timeout) {
        Properties props = new Properties();
        clientProperties.forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(String.valueOf(k))) {
                props.put(k, v);
            }
        });
        try {
            describeCluster(props, timeout);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    private static void describeCluster(Properties props, Duration timeout) throws Exception {
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        try (Admin admin = Admin.create(props)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(ms))
                    .nodes()
                    .get(ms + 1000L, TimeUnit.MILLISECONDS);
        }
    }
}
