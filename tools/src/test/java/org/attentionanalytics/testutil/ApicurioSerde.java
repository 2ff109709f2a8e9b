package org.attentionanalytics.testutil;

import io.apicurio.registry.serde.Legacy4ByteIdHandler;
import io.apicurio.registry.serde.SerdeConfig;
import java.util.HashMap;
import java.util.Map;
import org.attentionanalytics.io.SchemaRegistrySettings;

/**
 * Apicurio's Avro serializer and deserializer set for the Confluent wire format, as a producer or
 * consumer of the job's topics sets them (README, "Java consumers"; ../shared/STACK.md): the job's
 * own doors and sinks do not use the serde.
 */
public final class ApicurioSerde {
    private ApicurioSerde() {}

    /** @return the serde configuration for {@code registry}, auto-registering a producer's schema */
    public static Map<String, Object> config(SchemaRegistrySettings registry) {
        Map<String, Object> config = new HashMap<>();
        config.put(SerdeConfig.REGISTRY_URL, registry.apiUrl());
        config.put(SerdeConfig.ENABLE_CONFLUENT_ID_HANDLER, "true");
        config.put(SerdeConfig.ID_HANDLER, Legacy4ByteIdHandler.class.getName());
        config.put(SerdeConfig.USE_ID, "contentId");
        config.put(SerdeConfig.ENABLE_HEADERS, "false");
        config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, "true");
        config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT_IF_EXISTS, "RETURN_OR_UPDATE");
        config.putAll(registry.properties());
        return config;
    }
}
