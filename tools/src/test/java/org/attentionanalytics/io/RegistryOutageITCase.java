package org.attentionanalytics.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.local.SchemaRegistryServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A door reading {@code --input-format avro-registry} while the registry cannot be reached
 * ({@link RegistryWireReader}): nothing listens on the registry's port, so every lookup is refused
 * at once. With a 2 s wait the lookup fails at 0 s, is retried after 0.5 s, fails, is retried after
 * 1 s more (at 1.5 s), fails, and the next backoff (2 s) would end past the wait: 2 retries counted,
 * then an {@code UNKNOWN_SCHEMA} rejection naming the registry. When the registry becomes reachable
 * (a TCP forwarder to a real Apicurio Registry starts listening on that port 1.2 s in), the
 * retry after it gets the schema and the record is read: nothing goes to the dead letters. After a
 * wait that ran out the registry counts as down, and the next unknown id is refused at once
 * instead of blocking the source thread again. A value whose registered schema is another record
 * type, or no Avro schema at all, is refused at once, without retries.
 */
@Tag("slow")
class RegistryOutageITCase {
    static final ClickEvent CLICK = ClickEvent.newBuilder()
            .setEventId("e1")
            .setUserId("alice")
            .setEventTime(Instant.parse("2025-01-06T09:00:00Z"))
            .setEventType(EventType.VIEW)
            .setItemId("a")
            .setTopics(List.of("news"))
            .build();

    /** The Confluent wire format of {@link #CLICK} with schema id {@code id}. */
    static byte[] wire(long id) {
        byte[] single = AvroRecordSerializer.encode(CLICK); // C3 01, 8-byte fingerprint, body
        ByteBuffer out = ByteBuffer.allocate(5 + single.length - 10);
        out.put((byte) 0).putInt((int) id).put(Arrays.copyOfRange(single, 10, single.length));
        return out.array();
    }

    static RecordReader<ClickEvent> reader(SchemaRegistrySettings registry) {
        return new RecordReader<>(
                ClickEvent.class, List.of(), RecordReader.Framing.REGISTRY, registry, 1 << 20, false, n -> null);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void anUnreachableRegistryIsRetriedWithBackoffThenTheRecordIsRejected() throws Exception {
        int port = freePort();
        String url = "http://127.0.0.1:" + port;
        assertThatThrownBy(() -> SchemaRegistration.checkReachable(new SchemaRegistrySettings(url, Map.of())))
                .hasMessage("cannot reach the schema registry at " + url
                        + ": ConnectException (check --schema-registry-url)"); // the job's check at start
        RecordReader<ClickEvent> reader = reader(new SchemaRegistrySettings(url, Map.of(), 2_000));
        long before = RegistrySchemas.RETRIES.get();
        assertThatThrownBy(() -> reader.read(wire(7))).isInstanceOfSatisfying(RecordReader.Rejected.class, r -> {
            assertThat(r.reason()).hasToString("UNKNOWN_SCHEMA");
            assertThat(r.detail())
                    .isEqualTo("the schema registry at " + url + " did not answer for schema id 7 within 2 s");
        });
        assertThat(RegistrySchemas.RETRIES.get() - before).isEqualTo(2);
        // now counted as down: the next record of an unknown id waits for nothing
        long started = System.nanoTime();
        assertThatThrownBy(() -> reader.read(wire(8)))
                .isInstanceOfSatisfying(
                        RecordReader.Rejected.class,
                        r -> assertThat(r.detail())
                                .isEqualTo("the schema registry at " + url
                                        + " is unreachable (down since an earlier lookup): schema id 8 not fetched"));
        assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void aValueOfAnotherRecordTypeOrOfASchemaThatIsNotAvroIsRefusedAtOnce() throws Exception {
        try (SchemaRegistryServer registry = SchemaRegistryServer.start()) {
            SchemaRegistrySettings settings = new SchemaRegistrySettings(registry.url(), Map.of());
            long dwell = SchemaRegistration.register(settings, "outage-dwell", DwellEvent.getClassSchema());
            long json;
            try (var client = settings.client()) {
                json = client.createArtifact(
                                SchemaRegistrySettings.GROUP,
                                "outage-json-value",
                                null,
                                "JSON",
                                io.apicurio.registry.rest.v2.beans.IfExists.FAIL,
                                false,
                                new java.io.ByteArrayInputStream("{\"type\":\"object\"}".getBytes()))
                        .getContentId();
            }
            RecordReader<ClickEvent> reader = reader(settings);
            long before = RegistrySchemas.RETRIES.get();
            assertThatThrownBy(() -> reader.read(wire(dwell)))
                    .isInstanceOfSatisfying(
                            RecordReader.Rejected.class,
                            r -> assertThat(r.detail())
                                    .isEqualTo(
                                            "schema id " + dwell
                                                    + " is org.attentionanalytics.avro.DwellEvent, not org.attentionanalytics.avro.ClickEvent"));
            assertThatThrownBy(() -> reader.read(wire(json)))
                    .isInstanceOfSatisfying(
                            RecordReader.Rejected.class,
                            r -> assertThat(r.detail())
                                    .isEqualTo("schema id " + json + " in the schema registry is not an Avro schema"));
            assertThat(RegistrySchemas.RETRIES.get()).isEqualTo(before);
        }
    }

    @Test
    void aRegistryThatComesBackIsAskedAgainAndTheRecordRead() throws Exception {
        try (SchemaRegistryServer registry = SchemaRegistryServer.start()) {
            SchemaRegistrySettings real = new SchemaRegistrySettings(registry.url(), Map.of());
            long id = SchemaRegistration.register(real, "outage-clickstream", ClickEvent.getClassSchema());
            int port = freePort();
            RecordReader<ClickEvent> reader =
                    reader(new SchemaRegistrySettings("http://127.0.0.1:" + port, Map.of(), 60_000));
            long before = RegistrySchemas.RETRIES.get();
            CompletableFuture<ClickEvent> read = CompletableFuture.supplyAsync(() -> {
                try {
                    return reader.read(wire(id));
                } catch (RecordReader.Rejected e) {
                    throw new AssertionError(e.detail(), e);
                }
            });
            Thread.sleep(1_200);
            assertThat(read).isNotDone();
            int registryPort = Integer.parseInt(registry.url().replaceAll(".*:", ""));
            try (Forwarder ignored = new Forwarder(port, registryPort)) {
                assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo(CLICK);
            }
            assertThat(RegistrySchemas.RETRIES.get() - before).isGreaterThanOrEqualTo(2);
        }
    }

    /** Forwards every TCP connection to {@code port} on the loopback to {@code target}, until closed. */
    static final class Forwarder implements AutoCloseable {
        private final ServerSocket server;

        Forwarder(int port, int target) throws IOException {
            server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
            Thread accept = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket in = server.accept();
                        Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
                        pipe(in, out);
                        pipe(out, in);
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            });
            accept.setDaemon(true);
            accept.start();
        }

        private static void pipe(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                try (InputStream i = from.getInputStream();
                        OutputStream o = to.getOutputStream()) {
                    i.transferTo(o);
                } catch (IOException e) {
                    // one side closed
                } finally {
                    try {
                        to.close();
                        from.close();
                    } catch (IOException e) {
                        // closing
                    }
                }
            });
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
