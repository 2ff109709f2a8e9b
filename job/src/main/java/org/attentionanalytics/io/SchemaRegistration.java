package org.attentionanalytics.io;

import io.apicurio.registry.rest.client.RegistryClient;
import io.apicurio.registry.rest.client.exception.ArtifactNotFoundException;
import io.apicurio.registry.rest.client.exception.RuleViolationException;
import io.apicurio.registry.rest.v2.beans.IfExists;
import io.apicurio.registry.rest.v2.beans.Rule;
import io.apicurio.registry.types.RuleType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers an output topic's value schema in the schema registry at start, for {@code
 * --output-format avro-registry}: under the subject {@code <topic>-value}, with the subject's
 * compatibility rule set to {@code BACKWARD} when it has none (without a rule the registry accepts
 * any change). A schema the registry refuses (not compatible with the subject's latest version
 * under its rule) stops the job before it runs, in one line, instead of a sink failing on every
 * restart.
 */
public final class SchemaRegistration {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistration.class);

    private SchemaRegistration() {}

    /**
     * @return the registry's content id of {@code schema} under {@code <topic>-value}: the schema id
     *     of the Confluent wire format
     * @throws IllegalArgumentException in one line when the registry refuses the schema or cannot be reached
     */
    public static long register(SchemaRegistrySettings registry, String topic, Schema schema) {
        checkReachable(registry);
        String subject = SchemaRegistrySettings.subject(topic);
        try (RegistryClient client = registry.client()) {
            boolean existed;
            boolean hasRule;
            try {
                hasRule = client.listArtifactRules(SchemaRegistrySettings.GROUP, subject)
                        .contains(RuleType.COMPATIBILITY);
                existed = true;
            } catch (ArtifactNotFoundException e) {
                existed = false;
                hasRule = false;
            }
            if (existed && !hasRule) { // check the job's schema against what is there before it is added
                backward(client, subject);
            }
            long id;
            try {
                id = client.createArtifact(
                                SchemaRegistrySettings.GROUP,
                                subject,
                                null,
                                "AVRO",
                                IfExists.RETURN_OR_UPDATE,
                                true,
                                new ByteArrayInputStream(schema.toString().getBytes(StandardCharsets.UTF_8)))
                        .getContentId();
            } catch (RuleViolationException e) {
                throw new IllegalArgumentException("the schema registry at " + registry.url() + " refuses "
                        + schema.getName() + " for subject " + subject + " (topic " + topic
                        + "): not compatible with the latest version under the subject's rule ("
                        + oneLine(e.getMessage()) + "); register a compatible schema or write to another topic");
            }
            if (!existed) {
                backward(client, subject);
            }
            LOG.info("Schema {} registered under {} at {}: id {}", schema.getName(), subject, registry.url(), id);
            return id;
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot register " + schema.getName() + " under " + subject
                    + " at the schema registry " + registry.url() + ": " + oneLine(describe(e))
                    + " (check --schema-registry-url)");
        }
    }

    /**
     * Asks the registry's v2 API for its system information ({@code GET <url>/apis/registry/v2/system/info}).
     *
     * @throws IllegalArgumentException in one line when it does not answer 200 within 10 s
     */
    public static void checkReachable(SchemaRegistrySettings registry) {
        SchemaRegistrySettings.checkUrl("--schema-registry-url", registry.url());
        String why;
        try {
            java.net.http.HttpResponse<Void> response = java.net.http.HttpClient.newBuilder()
                    .connectTimeout(java.time.Duration.ofSeconds(5))
                    .build()
                    .send(
                            java.net.http.HttpRequest.newBuilder(
                                            java.net.URI.create(registry.apiUrl() + "/system/info"))
                                    .timeout(java.time.Duration.ofSeconds(10))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() == 200) {
                return;
            }
            why = "HTTP " + response.statusCode() + " from " + registry.apiUrl()
                    + "/system/info (is it an Apicurio Registry 2.x?)";
        } catch (IOException e) {
            why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + oneLine(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            why = "interrupted";
        }
        throw new IllegalArgumentException("cannot reach the schema registry at " + registry.url() + ": " + why
                + " (check --schema-registry-url)");
    }

    private static void backward(RegistryClient client, String subject) {
        client.createArtifactRule(SchemaRegistrySettings.GROUP, subject, new Rule("BACKWARD", RuleType.COMPATIBILITY));
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == e ? message : e.getClass().getSimpleName() + ": " + message;
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").trim();
    }
}
