package org.attentionanalytics.cli;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Checks that Kafka answers before a command starts working, so that an unreachable broker is one
 * clear line instead of a minute of silence and a misleading metadata timeout.
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
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    try (Admin admin = Admin.create(props)) {
      admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
          .nodes().get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IllegalArgumentException("cannot reach Kafka at " + bootstrapServers + " within "
          + TIMEOUT.toSeconds() + " s (check --bootstrap-servers and --kafka.* security settings)", e);
    }
  }
}
