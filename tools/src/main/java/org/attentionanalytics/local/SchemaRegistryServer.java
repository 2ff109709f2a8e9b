package org.attentionanalytics.local;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real schema registry for the local run ({@code bin/attention local --schema-registry}) and the
 * tests: Apicurio Registry 2.4.2 with in-memory storage, built by the {@code registry} module
 * ({@code registry/target/*-runner.jar}), started as a child JVM on a free loopback port and
 * stopped by {@link #close()} (and when this JVM exits). It serves Apicurio's v2 API and the
 * Confluent-compatible API ({@code /apis/ccompat/v6}); ready in about 4 s, about 200 MB.
 */
public final class SchemaRegistryServer implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final int port;
    private final Path log;

    private SchemaRegistryServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts the registry and waits until {@code /health/ready} answers.
     *
     * @throws IllegalStateException when the registry is not built or does not become ready (its log tail in the message)
     */
    public static SchemaRegistryServer start() throws IOException {
        Path jar = runnerJar()
                .orElseThrow(() -> new IllegalStateException("the schema registry is not built: run "
                        + "mvn -f registry/pom.xml package (bin/attention builds it for --schema-registry)"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = Files.createTempFile("schema-registry-", ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                jar.toString()));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1"); // loopback only
        builder.environment().put("HTTP_PORT", String.valueOf(port));
        SchemaRegistryServer server = new SchemaRegistryServer(builder.start(), port, log);
        Runtime.getRuntime().addShutdownHook(new Thread(server.process::destroyForcibly, "schema-registry-stop"));
        server.awaitReady();
        return server;
    }

    /** @return the registry's root URL, {@code http://127.0.0.1:<port>} ({@code --schema-registry-url}) */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "the schema registry exited with code " + process.exitValue() + ": " + tail());
            }
            try {
                HttpURLConnection c = (HttpURLConnection)
                        URI.create(url() + "/health/ready").toURL().openConnection();
                c.setConnectTimeout(1000);
                c.setReadTimeout(1000);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IOException("interrupted while the schema registry started", e);
            }
        }
        close();
        throw new IllegalStateException(
                "the schema registry was not ready within " + READY_TIMEOUT.toSeconds() + " s: " + tail());
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }

    /**
     * @return the registry's runner jar: {@code attention.registry.jar} if set, else {@code
     *     registry/target/*-runner.jar} of the project this class was loaded from
     */
    static Optional<Path> runnerJar() throws IOException {
        String given = System.getProperty("attention.registry.jar");
        if (given != null) {
            return Optional.of(Path.of(given)).filter(Files::isRegularFile);
        }
        Path dir;
        try {
            dir = Path.of(SchemaRegistryServer.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toAbsolutePath();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
        for (; dir != null; dir = dir.getParent()) {
            Path target = dir.resolve("registry").resolve("target");
            if (Files.isRegularFile(dir.resolve("registry").resolve("pom.xml"))) {
                if (!Files.isDirectory(target)) {
                    return Optional.empty();
                }
                try (Stream<Path> files = Files.list(target)) {
                    return files.filter(p -> p.getFileName().toString().endsWith("-runner.jar"))
                            .findFirst();
                }
            }
        }
        return Optional.empty();
    }

    /** Stops the registry (its in-memory schemas are gone). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a temporary file
        }
    }
}
