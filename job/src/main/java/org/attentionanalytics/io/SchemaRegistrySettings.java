package org.attentionanalytics.io;

import io.apicurio.registry.rest.client.RegistryClient;
import io.apicurio.registry.rest.client.RegistryClientFactory;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the schema registry is and how to talk to it: {@code --schema-registry-url} (the server's
 * root, e.g. {@code http://localhost:8085}) and the pass-through properties of {@code
 * --schema-registry-property KEY=VALUE}, given as they are to Apicurio's client (for credentials a
 * header, {@code apicurio.registry.request.headers.Authorization}, which {@link RegistrySchemas}
 * sends too; TLS: {@code apicurio.registry.request.ssl.*}).
 *
 * <p>Schema ids are the registry's content ids, which its Confluent-compatible API serves at
 * {@code /apis/ccompat/v6/schemas/ids/<id>} (../shared/STACK.md, Apicurio).
 *
 * @param url the registry's root URL; a trailing {@code /apis/ccompat/v6} or {@code
 *     /apis/registry/v2} is taken off
 * @param properties pass-through properties, applied after the job's own settings
 * @param lookupWaitMs how long a door waits for an unreachable registry before it counts it as
 *     down ({@link RegistrySchemas}; {@link #DEFAULT_LOOKUP_WAIT_MS}, shorter in tests)
 */
public record SchemaRegistrySettings(String url, Map<String, String> properties, long lookupWaitMs)
        implements Serializable {

    /** The Apicurio group of the Confluent-compatible subjects. */
    public static final String GROUP = "default";

    public SchemaRegistrySettings {
        // the root, also when given as one of its APIs (the Confluent-compatible one, say)
        url = url.replaceAll("/+$", "").replaceFirst("(?i)/apis/(ccompat/v[0-9]+|registry/v[0-9]+)$", "");
        properties = new TreeMap<>(properties);
    }

    /** The default {@link #lookupWaitMs}: 1 minute, far below Flink's default checkpoint timeout of 10. */
    public static final long DEFAULT_LOOKUP_WAIT_MS = 60_000;

    /** Settings with the default lookup wait ({@value #DEFAULT_LOOKUP_WAIT_MS} ms). */
    public SchemaRegistrySettings(String url, Map<String, String> properties) {
        this(url, properties, DEFAULT_LOOKUP_WAIT_MS);
    }

    /**
     * @param option the option that gave {@code url}, for the message
     * @throws IllegalArgumentException unless {@code url} is an http or https URL with a host
     */
    public static void checkUrl(String option, String url) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            uri = null;
        }
        if (uri == null
                || uri.getHost() == null
                || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw new IllegalArgumentException(option
                    + " must be an http:// or https:// URL with a host (e.g. http://localhost:8085), not " + url);
        }
    }

    /** @return the Apicurio v2 API's base URL */
    public String apiUrl() {
        return url + "/apis/registry/v2";
    }

    /** @return the Confluent-compatible API's base URL, which Python or Go consumers read */
    public String ccompatUrl() {
        return url + "/apis/ccompat/v6";
    }

    /** @return the subject (Apicurio artifact id) of the values of {@code topic} (Confluent's topic name strategy) */
    public static String subject(String topic) {
        return topic + "-value";
    }

    /** @return a client of the registry's v2 API with the pass-through properties; the caller closes it */
    public RegistryClient client() {
        return RegistryClientFactory.create(apiUrl(), new HashMap<>(properties));
    }
}
