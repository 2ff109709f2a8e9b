package org.attentionanalytics.testutil;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A free port for a broker that a test starts later (after a command has begun waiting for it).
 * Taken below Linux's ephemeral range (32768 and up), where the other test JVM's brokers, Flink
 * MiniClusters and Kafka clients get their ports ({@code port 0}), so it stays free in between.
 */
public final class FreePorts {
    private FreePorts() {}

    /** @return a port in [20000, 32000) that was free a moment ago */
    public static int belowEphemeralRange() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress("localhost", port));
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port in [20000, 32000) after 100 attempts");
    }
}
