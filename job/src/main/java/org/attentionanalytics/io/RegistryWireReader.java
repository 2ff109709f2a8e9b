package org.attentionanalytics.io;

import io.apicurio.registry.rest.client.RegistryClient;
import io.apicurio.registry.rest.client.exception.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecordBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the Confluent wire format (byte 0, the 4-byte big-endian schema id, the Avro binary;
 * Confluent Schema Registry documentation, "Wire format") into a generated record class, the
 * writer schema fetched from the registry by id once and cached, resolved against the class's
 * schema (an optional field the writer lacks takes its default). Every body is checked by {@link
 * AvroBounds} first, as single-object encoding is ({@link SingleObjectReader}).
 *
 * <p>An id the registry does not know is an {@link UnknownSchemaException}. An unreachable
 * registry is retried with exponential backoff (0.5 s doubling to 30 s), each failure logged and
 * counted in {@link #RETRIES} (the doors' metric {@value #RETRIES_METRIC}), for at most {@link
 * SchemaRegistrySettings#lookupWaitMs}; then the record is an {@link UnknownSchemaException} too
 * (a dead letter with its raw value, to replay), and the id is asked again at the next record.
 * Not thread-safe: one per door.
 *
 * @param <T> the generated record class
 */
public final class RegistryWireReader<T extends SpecificRecordBase> {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryWireReader.class);
    private static final int HEADER = 5;
    private static final long FIRST_BACKOFF_MS = 500;
    private static final long MAX_BACKOFF_MS = 30_000;

    /** Failed registry lookups that were retried, in this JVM (all doors). */
    public static final AtomicLong RETRIES = new AtomicLong();
    /** The doors' gauge of {@link #RETRIES}. */
    public static final String RETRIES_METRIC = "schemaRegistryRetries";

    private final Schema reader;
    private final SpecificData model;
    private final SchemaRegistrySettings registry;
    private final Map<Long, SpecificDatumReader<T>> datumReaders = new HashMap<>();
    private final Map<Long, Schema> writers = new HashMap<>();
    private final AvroBounds bounds = new AvroBounds();
    private RegistryClient client;
    private BinaryDecoder decoder;

    /** A schema id the registry does not know, or could not be asked about in time. */
    public static final class UnknownSchemaException extends Exception {
        private static final long serialVersionUID = 1L;

        UnknownSchemaException(String message) {
            super(message, null, false, false);
        }
    }

    public RegistryWireReader(Class<T> type, SchemaRegistrySettings registry) {
        this.model = SpecificData.getForClass(type);
        this.reader = model.getSchema(type);
        this.registry = registry;
    }

    /** @return true when {@code value} starts as the Confluent wire format does (byte 0, then 4 id bytes) */
    public static boolean isWireFormat(byte[] value) {
        return value.length >= HEADER && value[0] == 0;
    }

    /**
     * @return the decoded record
     * @throws AvroBounds.MalformedException not the wire format, or a body that does not match its schema
     * @throws UnknownSchemaException an id the registry does not know, or an unreachable registry
     * @throws IOException or another runtime exception when Avro fails on a body that passed the bounds check
     */
    public T read(byte[] value) throws AvroBounds.MalformedException, UnknownSchemaException, IOException {
        if (!isWireFormat(value)) {
            throw new AvroBounds.MalformedException("not the Confluent wire format (byte 0, a 4-byte schema id)");
        }
        long id = ((value[1] & 0xFFL) << 24) | ((value[2] & 0xFF) << 16) | ((value[3] & 0xFF) << 8) | (value[4] & 0xFF);
        Schema writer = writers.get(id);
        if (writer == null) {
            writer = fetch(id);
            writers.put(id, writer);
        }
        bounds.check(writer, value, HEADER, value.length - HEADER);
        Schema w = writer;
        SpecificDatumReader<T> datumReader =
                datumReaders.computeIfAbsent(id, i -> new SpecificDatumReader<>(w, reader, model));
        decoder = DecoderFactory.get().binaryDecoder(value, HEADER, value.length - HEADER, decoder);
        return datumReader.read(null, decoder);
    }

    private Schema fetch(long id) throws UnknownSchemaException {
        long deadline = System.currentTimeMillis() + registry.lookupWaitMs();
        long backoff = FIRST_BACKOFF_MS;
        while (true) {
            try {
                if (client == null) {
                    client = registry.client();
                }
                try (InputStream in = client.getContentById(id)) {
                    return new Schema.Parser().parse(in);
                }
            } catch (NotFoundException e) {
                throw new UnknownSchemaException(
                        "schema id " + id + " is not in the schema registry at " + registry.url());
            } catch (org.apache.avro.SchemaParseException e) {
                throw new UnknownSchemaException("schema id " + id + " is not an Avro schema");
            } catch (IOException | RuntimeException e) {
                long now = System.currentTimeMillis();
                if (now + backoff > deadline) {
                    throw new UnknownSchemaException(
                            "the schema registry at " + registry.url() + " did not answer for schema id " + id
                                    + " within " + registry.lookupWaitMs() / 1000 + " s");
                }
                RETRIES.incrementAndGet();
                LOG.warn(
                        "Schema registry {} unreachable for schema id {} ({}); retrying in {} ms",
                        registry.url(),
                        id,
                        e.toString(),
                        backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new UnknownSchemaException("interrupted while waiting for the schema registry");
                }
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            }
        }
    }
}
