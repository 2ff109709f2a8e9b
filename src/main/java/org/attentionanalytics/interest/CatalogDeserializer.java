package org.attentionanalytics.interest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.attentionanalytics.avro.ContentProfile;
import org.attentionanalytics.avro.internal.CatalogUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka deserializer of the {@code content-catalog} topic (DESIGN.md section 2): key {@code
 * item_id} (UTF-8), value a {@link ContentProfile}, or null (a tombstone: the item was removed).
 * Every usable record becomes one {@link CatalogUpdate} with the profile's topic map as parallel
 * arrays sorted by topic (deterministic, whatever the map's order); a tombstone becomes {@code
 * deleted = true} with no topics.
 *
 * <p>Values are read in either encoding the job accepts for events, recognised by their first
 * bytes: Avro single-object encoding ({@code C3 01}, fingerprint, body; resolved against the
 * current {@code ContentProfile} schema) or a JSON object with the schema's field names ({@code
 * {"item_id": "a1", "topics": {"news.politics": 2.0}}}). So a catalog replayed with {@code
 * --replay-format json} is read whatever {@code --input-format} says.
 *
 * <p>The item id is the Kafka key when there is one (compaction and tombstones go by the key),
 * else the value's {@code item_id}.
 *
 * <p>It never throws. A record that gives no update (undecodable value, unknown writer schema, no
 * item id at all, a tombstone without key) is skipped and counted by the metric {@value
 * #UNDECODABLE} of the source operator; the first few are logged (WARN). Catalog records are not
 * user events, so they are not dead letters.
 */
public final class CatalogDeserializer implements KafkaRecordDeserializationSchema<CatalogUpdate> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(CatalogDeserializer.class);
  private static final int LOGGED = 10;

  /** Metric (of the catalog source operator): catalog records skipped because they gave no update. */
  public static final String UNDECODABLE = "catalogUndecodable";

  private transient BinaryMessageDecoder<ContentProfile> avro;
  private transient ObjectMapper json;
  private transient Counter undecodable;
  private transient long skipped;

  /** A deserializer; it needs no configuration. */
  public CatalogDeserializer() {}

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    undecodable = context.getMetricGroup().counter(UNDECODABLE);
    init();
  }

  private void init() {
    avro = newDecoder();
    json = new ObjectMapper();
  }

  private static BinaryMessageDecoder<ContentProfile> newDecoder() {
    SchemaStore.Cache store = new SchemaStore.Cache();
    store.addSchema(ContentProfile.getClassSchema()); // every writer schema shipped; today the current one
    return new BinaryMessageDecoder<>(SpecificData.getForClass(ContentProfile.class), ContentProfile.getClassSchema(), store);
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<CatalogUpdate> out) {
    CatalogUpdate update = decode(record.key(), record.value(), record.topic(), record.partition(), record.offset());
    if (update != null) {
      out.collect(update);
    }
  }

  /**
   * Decodes one catalog record.
   *
   * @param key the Kafka key (item id, UTF-8), may be null
   * @param value the Kafka value, null for a tombstone
   * @return the update, or null when the record is skipped (counted and logged)
   */
  CatalogUpdate decode(byte[] key, byte[] value, String topic, int partition, long offset) {
    if (avro == null) {
      init(); // used without open(), e.g. in tests
    }
    String keyId = key == null || key.length == 0 ? null : new String(key, StandardCharsets.UTF_8);
    if (value == null) {
      if (keyId == null) {
        return skip(topic, partition, offset, "tombstone without key");
      }
      return CatalogUpdate.newBuilder().setItemId(keyId).setTopics(List.of()).setWeights(List.of()).setDeleted(true).build();
    }
    String itemId;
    Map<String, Double> topics;
    try {
      if (value.length >= 2 && value[0] == (byte) 0xC3 && value[1] == (byte) 0x01) {
        ContentProfile p = avro.decode(value);
        itemId = p.getItemId();
        topics = p.getTopics();
      } else {
        JsonNode n = json.readTree(value);
        if (n == null || !n.isObject() || !n.path("topics").isObject()) {
          return skip(topic, partition, offset, "neither Avro single-object encoding nor a JSON object with a topics map");
        }
        itemId = n.hasNonNull("item_id") ? n.get("item_id").asText() : null;
        topics = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.get("topics").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (!e.getValue().isNumber()) {
            return skip(topic, partition, offset, "weight of topic '" + e.getKey() + "' is not a number");
          }
          topics.put(e.getKey(), e.getValue().asDouble());
        }
      }
    } catch (Exception e) {
      avro = newDecoder(); // a bad record must leave nothing behind in the decoder
      return skip(topic, partition, offset, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
    String id = keyId != null ? keyId : itemId;
    if (id == null || id.isEmpty()) {
      return skip(topic, partition, offset, "no item id (neither key nor item_id)");
    }
    TreeMap<String, Double> sorted = new TreeMap<>();
    topics.forEach((t, w) -> {
      if (t != null && w != null) {
        sorted.put(t, w);
      }
    });
    return CatalogUpdate.newBuilder().setItemId(id).setTopics(new ArrayList<>(sorted.keySet()))
        .setWeights(new ArrayList<>(sorted.values())).setDeleted(false).build();
  }

  private CatalogUpdate skip(String topic, int partition, long offset, String why) {
    if (undecodable != null) {
      undecodable.inc();
    }
    if (skipped++ < LOGGED) {
      LOG.warn("Skipped catalog record {}-{}@{}: {}", topic, partition, offset, why);
    }
    return null;
  }

  /** Records skipped by this instance (for tests; the metric is {@value #UNDECODABLE}). */
  long skipped() {
    return skipped;
  }

  @Override
  public TypeInformation<CatalogUpdate> getProducedType() {
    return new AvroTypeInfo<>(CatalogUpdate.class);
  }
}
