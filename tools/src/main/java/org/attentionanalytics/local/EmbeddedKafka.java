package org.attentionanalytics.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node Kafka (KRaft, one combined broker and controller) running inside this JVM, on
 * a free local port (or one given to {@link #start(Map, int)}), with its data in a fresh temporary
 * directory that {@link #close()} deletes once the node stopped; a JVM that exits with the node
 * running closes it from a shutdown hook. (The test kit's own temporary directory comes with a
 * shutdown hook that deletes it beside the other hooks, under a node still writing there, which
 * then halts the JVM with exit code 1.)
 * Configured for transactions on one node (STACK.md): replication factor 1 for the offsets and
 * transaction-state topics, {@code transaction.state.log.min.isr=1}, and no initial rebalance
 * delay. Used by {@code bin/attention local} and by the project's ITCases:
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
 *   kafka.createTopic("t", 2, Map.of());
 *   ... kafka.bootstrapServers() ...
 * }
 * }</pre>
 *
 * <p>Needs {@code kafka_2.13} and {@code kafka-test-common-runtime} on the classpath ({@code
 * provided} scope: never in the job jar).
 */
public final class EmbeddedKafka implements AutoCloseable {
    /** Broker configs that make transactions work on a single node. */
    public static final Map<String, String> SINGLE_NODE_CONFIGS = Map.of(
            "offsets.topic.replication.factor", "1",
            "transaction.state.log.replication.factor", "1",
            "transaction.state.log.min.isr", "1",
            "group.initial.rebalance.delay.ms", "0");

    /** The listener of {@link #start(Map, int)}'s fixed client port. */
    private static final String FIXED_LISTENER = "CLIENT";

    private final KafkaClusterTestKit cluster;
    private final int clientPort;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook = new Thread(this::closeAtShutdown, "embedded-kafka-shutdown");

    private EmbeddedKafka(KafkaClusterTestKit cluster, int clientPort) {
        this.cluster = cluster;
        this.clientPort = clientPort;
    }

    /** Kafka's storage formatter prints its metadata to standard out; a user has no use for it. */
    private static void formatQuietly(KafkaClusterTestKit cluster) throws Exception {
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            cluster.format();
        } finally {
            System.setOut(stdout);
        }
    }

    /** Starts a broker with {@link #SINGLE_NODE_CONFIGS}; see {@link #start(Map)}. */
    public static EmbeddedKafka start() {
        return start(Map.of());
    }

    /**
     * Formats the storage, starts the node and waits until the broker serves requests (about 2 s).
     *
     * @param brokerConfigs extra broker configs, applied over {@link #SINGLE_NODE_CONFIGS}
     * @throws KafkaException when the node cannot start (the partially started node is closed)
     */
    public static EmbeddedKafka start(Map<String, String> brokerConfigs) {
        return start(brokerConfigs, 0);
    }

    /**
     * As {@link #start(Map)}, with the clients' listener on {@code localhost:clientPort}, e.g. to
     * start a broker where a client already waits for one. The test kit binds its own listeners to
     * free ports before the node starts, so the fixed port is one more listener ({@code CLIENT}),
     * advertised to the clients that connect through it; {@link #bootstrapServers()} names it.
     *
     * @param clientPort a port to listen on, or 0 for a free one (and no extra listener)
     * @throws KafkaException when the node cannot start, e.g. when the port is taken
     */
    public static EmbeddedKafka start(Map<String, String> brokerConfigs, int clientPort) {
        Map<String, String> configs = new LinkedHashMap<>(SINGLE_NODE_CONFIGS);
        if (clientPort > 0) {
            configs.put(
                    "listeners",
                    "EXTERNAL://localhost:0,CONTROLLER://localhost:0," + FIXED_LISTENER + "://localhost:" + clientPort);
            configs.put(
                    "listener.security.protocol.map",
                    "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT," + FIXED_LISTENER + ":PLAINTEXT");
        }
        configs.putAll(brokerConfigs);
        Path dataDir = null;
        KafkaClusterTestKit cluster = null;
        try {
            dataDir = Files.createTempDirectory("embedded-kafka-");
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setBaseDirectory(dataDir)
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build());
            configs.forEach(builder::setConfigProp);
            cluster = builder.build();
            formatQuietly(cluster);
            cluster.startup();
            cluster.waitForReadyBrokers();
            EmbeddedKafka kafka = new EmbeddedKafka(cluster, clientPort);
            Runtime.getRuntime().addShutdownHook(kafka.shutdownHook);
            return kafka;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            closeQuietly(cluster, e);
            deleteQuietly(cluster == null ? dataDir : null, e);
            throw new KafkaException("cannot start the embedded Kafka broker: " + e.getMessage(), e);
        }
    }

    /** @return {@code host:port} of the broker's client listener */
    public String bootstrapServers() {
        return clientPort > 0 ? "localhost:" + clientPort : cluster.bootstrapServers();
    }

    /**
     * Stops the node's broker, as a broker restart or crash looks to clients: its ports close, its
     * data stays (written as at a clean shutdown), the KRaft controller goes on. {@link
     * #startBroker()} brings it back.
     */
    public void stopBroker() {
        broker().shutdown();
    }

    /**
     * Starts the broker stopped by {@link #stopBroker()} again, on the same ports and log dirs, and
     * waits until it serves requests.
     *
     * @throws KafkaException when it does not come back
     */
    public void startBroker() {
        try {
            broker().startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new KafkaException("cannot restart the embedded Kafka broker: " + e.getMessage(), e);
        }
    }

    private kafka.server.BrokerServer broker() {
        return cluster.brokers().values().iterator().next();
    }

    /** @return client properties with {@code bootstrap.servers} set, to add the rest to */
    public Properties clientProperties() {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    /** @return a new admin client of this broker; the caller closes it */
    public Admin admin() {
        return Admin.create(clientProperties());
    }

    /**
     * Creates one topic (unless it exists) and waits until it is usable.
     *
     * @param partitions at least 1
     * @param configs topic configs such as {@code cleanup.policy}; may be empty
     * @throws KafkaException when the broker refuses it
     * @throws org.apache.kafka.common.errors.TimeoutException when it is not usable within {@link Topics#CREATE_TIMEOUT}
     */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)));
    }

    /**
     * Creates topics (existing ones are left unchanged) and waits until all are usable.
     *
     * @throws KafkaException when the broker refuses one
     * @throws org.apache.kafka.common.errors.TimeoutException when they are not usable within {@link Topics#CREATE_TIMEOUT}
     */
    public void createTopics(Collection<NewTopic> topics) {
        try (Admin admin = admin()) {
            Topics.create(admin, topics, Topics.CREATE_TIMEOUT);
        }
    }

    /** Stops the node and deletes its data. Safe to call twice. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: this is the hook, or it finds the node closed
        }
        try {
            cluster.close(); // the node first, then its data directory
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new KafkaException("error while stopping the embedded Kafka broker: " + e.getMessage(), e);
        }
    }

    private void closeAtShutdown() {
        try {
            close();
        } catch (KafkaException e) {
            // the JVM exits anyway
        }
    }

    private static void deleteQuietly(Path dir, Exception primary) {
        if (dir == null) {
            return;
        }
        try {
            org.apache.kafka.common.utils.Utils.delete(dir.toFile());
        } catch (java.io.IOException e) {
            primary.addSuppressed(e);
        }
    }

    private static void closeQuietly(KafkaClusterTestKit cluster, Exception primary) {
        if (cluster == null) {
            return;
        }
        try {
            cluster.close();
        } catch (Exception e) {
            primary.addSuppressed(e);
        }
    }
}
