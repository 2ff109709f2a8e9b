package org.attentionanalytics.io;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer schemas of the Confluent wire format, fetched from the schema registry by id (its
 * content id: {@code GET <url>/apis/registry/v2/ids/contentIds/<id>}, with the {@code
 * apicurio.registry.request.headers.*} properties as headers) and cached for good: a schema id
 * never changes its schema.
 *
 * <p>An unreachable registry (no answer within 5 s to connect or 10 s in all, or a 5xx) is retried
 * with exponential backoff (0.5 s doubling to 30 s), each failure logged and counted in {@link
 * #RETRIES}, for at most {@link SchemaRegistrySettings#lookupWaitMs}. Then the registry counts as
 * down: a lookup of a schema not in the cache fails at once, and one attempt is made again after
 * the backoff (at most 30 s), so an outage never blocks the source thread for longer than the wait
 * once (the records of unknown ids meanwhile are dead letters with their raw value, to replay).
 * Known ids need no registry. Not thread-safe: one per door.
 */
public final class RegistrySchemas {
    private static final Logger LOG = LoggerFactory.getLogger(RegistrySchemas.class);
    private static final long FIRST_BACKOFF_MS = 500;
    private static final long MAX_BACKOFF_MS = 30_000;
    private static final String HEADER_PREFIX = "apicurio.registry.request.headers.";

    /** Failed registry lookups that were retried, in this JVM (all doors). */
    public static final AtomicLong RETRIES = new AtomicLong();
    /** The doors' gauge of {@link #RETRIES}. */
    public static final String RETRIES_METRIC = "schemaRegistryRetries";

    private final SchemaRegistrySettings registry;
    private final Map<Long, Schema> schemas = new HashMap<>();
    private HttpClient http;
    private long downUntilMs = -1;
    private long downBackoffMs = FIRST_BACKOFF_MS;

    /** A schema id the registry does not know, one that is no Avro schema, or an unreachable registry. */
    public static final class UnknownSchemaException extends Exception {
        private static final long serialVersionUID = 1L;

        UnknownSchemaException(String message) {
            super(message, null, false, false);
        }
    }

    /** The registry did not answer (a connection failure, a timeout or a 5xx). */
    private static final class Unreachable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreachable(String message) {
            super(message, null, false, false);
        }
    }

    public RegistrySchemas(SchemaRegistrySettings registry) {
        this.registry = registry;
    }

    /**
     * @return the writer schema of {@code id}
     * @throws UnknownSchemaException an id the registry does not know, no Avro schema, or the
     *     registry unreachable (now, or through the whole wait)
     */
    public Schema writer(long id) throws UnknownSchemaException {
        Schema known = schemas.get(id);
        if (known != null) {
            return known;
        }
        String text = fetch(id);
        Schema schema;
        try {
            schema = new Schema.Parser().parse(text);
        } catch (RuntimeException | StackOverflowError e) {
            throw new UnknownSchemaException("schema id " + id + " in the schema registry is not an Avro schema");
        }
        schemas.put(id, schema);
        return schema;
    }

    private String fetch(long id) throws UnknownSchemaException {
        long now = System.currentTimeMillis();
        if (downUntilMs >= 0) { // down: one attempt after each backoff, never a wait
            if (now < downUntilMs) {
                throw unreachable(id, "down since an earlier lookup");
            }
            try {
                String text = get(id);
                downUntilMs = -1;
                downBackoffMs = FIRST_BACKOFF_MS;
                LOG.info("Schema registry {} answers again", registry.url());
                return text;
            } catch (Unreachable e) {
                RETRIES.incrementAndGet();
                downBackoffMs = Math.min(MAX_BACKOFF_MS, downBackoffMs * 2);
                downUntilMs = System.currentTimeMillis() + downBackoffMs;
                LOG.warn(
                        "Schema registry {} still unreachable ({}); next attempt in {} ms",
                        registry.url(),
                        e.getMessage(),
                        downBackoffMs);
                throw unreachable(id, e.getMessage());
            }
        }
        long deadline = now + registry.lookupWaitMs();
        long backoff = FIRST_BACKOFF_MS;
        while (true) {
            try {
                return get(id);
            } catch (Unreachable e) {
                if (System.currentTimeMillis() + backoff > deadline) {
                    downUntilMs = System.currentTimeMillis() + backoff;
                    downBackoffMs = backoff;
                    LOG.warn(
                            "Schema registry {} unreachable for {} s ({}): records of schemas not seen yet are dead letters until it answers",
                            registry.url(),
                            registry.lookupWaitMs() / 1000,
                            e.getMessage());
                    throw new UnknownSchemaException(
                            "the schema registry at " + registry.url() + " did not answer for schema id " + id
                                    + " within " + registry.lookupWaitMs() / 1000 + " s");
                }
                RETRIES.incrementAndGet();
                LOG.warn(
                        "Schema registry {} unreachable for schema id {} ({}); retrying in {} ms",
                        registry.url(),
                        id,
                        e.getMessage(),
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

    private UnknownSchemaException unreachable(long id, String why) {
        return new UnknownSchemaException("the schema registry at " + registry.url() + " is unreachable (" + why
                + "): schema id " + id + " not fetched");
    }

    /** @return the schema text; throws {@link Unreachable} for anything but a 200 or a 404 */
    private String get(long id) throws Unreachable, UnknownSchemaException {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registry.apiUrl() + "/ids/contentIds/" + id))
                .timeout(Duration.ofSeconds(10))
                .GET();
        registry.properties().forEach((k, v) -> {
            if (k.startsWith(HEADER_PREFIX)) {
                request.header(k.substring(HEADER_PREFIX.length()), v);
            }
        });
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Unreachable(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnknownSchemaException("interrupted while asking the schema registry");
        }
        int status = response.statusCode();
        if (status == 200) {
            return response.body();
        }
        if (status == 404) {
            throw new UnknownSchemaException("schema id " + id + " is not in the schema registry at " + registry.url());
        }
        if (status >= 500) {
            throw new Unreachable("HTTP " + status);
        }
        throw new UnknownSchemaException("the schema registry at " + registry.url() + " refused schema id " + id
                + " with HTTP " + status + " (credentials: --schema-registry-property)");
    }
}
