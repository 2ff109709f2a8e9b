package org.attentionanalytics.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.attentionanalytics.local.EmbeddedKafka;

/**
 * The embedded KRaft broker of {@code bin/attention local} in a JVM of its own (a child process on
 * this machine's classpath), as a broker runs on a real cluster: its CPU and garbage collection are
 * not the measured job's. {@link #main} is the child: it prints {@value #READY} and the bootstrap
 * servers, and stops the broker when its standard input closes (the parent's {@link #close}, or
 * the parent dying).
 */
final class ChildKafka implements AutoCloseable {
    static final String READY = "BROKER ";

    private final Process process;
    private final String bootstrapServers;

    private ChildKafka(Process process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts the child and waits until its broker serves requests.
     *
     * @param heap the child's {@code -Xmx}, e.g. {@code 1g}
     * @throws IOException when the child cannot start or ends before its broker is ready
     */
    static ChildKafka start(String heap) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ChildKafka.class.getName());
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.startsWith(READY)) {
                Thread drain = new Thread(() -> drain(lines), "bench-broker-output");
                drain.setDaemon(true); // the child's log must not fill the pipe and stall its broker
                drain.start();
                return new ChildKafka(process, line.substring(READY.length()).trim());
            }
        }
        process.destroyForcibly();
        throw new IOException("the broker's JVM ended before its broker was ready (exit " + exitValue(process) + ")");
    }

    private static void drain(BufferedReader lines) {
        try {
            while (lines.readLine() != null) {
                // discarded
            }
        } catch (IOException e) {
            // the child ended
        }
    }

    private static String exitValue(Process p) {
        try {
            return Integer.toString(p.waitFor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    /** @return {@code host:port} of the child's broker */
    String bootstrapServers() {
        return bootstrapServers;
    }

    /** @return an admin client of the child's broker (the caller closes it) */
    Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Admin.create(p);
    }

    /** Closes the child's standard input (it stops its broker and ends), killing it after 30 s. */
    @Override
    public void close() throws IOException, InterruptedException {
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** The child: starts the broker, prints {@value #READY} and its address, stops at the end of standard input. */
    public static void main(String[] args) throws IOException {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(Map.of())) {
            System.out.println(READY + kafka.bootstrapServers());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our standard input
            }
        }
    }
}
