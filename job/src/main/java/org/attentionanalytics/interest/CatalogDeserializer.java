package org.attentionanalytics.interest;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.attentionanalytics.avro.ContentProfile;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.internal.CatalogUpdate;
import org.attentionanalytics.io.DeadLetters;
import org.attentionanalytics.io.DoorJson;
import org.attentionanalytics.io.DoorLimits;
import org.attentionanalytics.io.RecordReader;
import org.attentionanalytics.io.WriterSchemas;

/**
 * The door of the {@code content-catalog} topic (DESIGN.md sections 2 and 3): key {@code item_id}
 * (UTF-8), value a {@link ContentProfile}, or null (a tombstone: the item was removed). Every
 * record becomes one {@link CatalogUpdate}: the profile's topic map as parallel arrays sorted by
 * topic (deterministic, whatever the map's order); a tombstone as {@code deleted = true} with no
 * topics; a record that cannot be used as a {@code dead_letter}, which the catalog door
 * ({@code job.CatalogDoor}) sends to {@code attention-dlq} and counts. It never throws.
 *
 * <p>Values are read in either encoding the job accepts, recognised by their first bytes ({@link
 * RecordReader.Framing#DETECT}): Avro single-object encoding ({@code C3 01}, with the writer
 * schemas of {@code --writer-schemas}) or a JSON object with the schema's field names ({@code {"item_id":
 * "a1", "topics": {"news.politics": 2.0}}}), so a catalog replayed with {@code --replay-format
 * json} is read whatever {@code --input-format} says. The item id is the Kafka key when there is
 * one (compaction and tombstones go by the key), else the value's {@code item_id}.
 *
 * <p>Dead letters: {@code FIELD_TOO_LARGE} (the record, the item id, the number or length of the
 * topics, the title above the {@link DoorLimits}), {@code UNKNOWN_SCHEMA}, {@code MISSING_FIELD}
 * (no item id at all, a tombstone without key) and {@code UNDECODABLE} (anything else). The
 * catalog holds no personal data; with {@code redact} an undecodable record keeps only hash and
 * length all the same, as for the other doors.
 */
public final class CatalogDeserializer implements KafkaRecordDeserializationSchema<CatalogUpdate> {
    private static final long serialVersionUID = 2L;

    private final DoorLimits limits;
    private final boolean redact;
    private final List<String> writerSchemas;

    private transient RecordReader<ContentProfile> reader;

    /** A deserializer with the default limits, redacting, and only the job's own writer schema. */
    public CatalogDeserializer() {
        this(DoorLimits.DEFAULTS, true, List.of());
    }

    /**
     * @param limits {@code --limits.*}
     * @param redact {@code --dlq.redact}
     * @param writerSchemas further writer schemas ({@code --writer-schemas}, {@link WriterSchemas})
     */
    public CatalogDeserializer(DoorLimits limits, boolean redact, List<String> writerSchemas) {
        this.limits = limits;
        this.redact = redact;
        this.writerSchemas = List.copyOf(writerSchemas);
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        init();
    }

    private void init() {
        reader = new RecordReader<>(
                ContentProfile.class,
                writerSchemas,
                RecordReader.Framing.DETECT,
                limits.recordBytes(),
                redact,
                CatalogDeserializer::fromJson);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<CatalogUpdate> out) {
        out.collect(decode(
                record.key(),
                record.value(),
                record.topic(),
                record.partition(),
                record.offset(),
                System.currentTimeMillis()));
    }

    /**
     * Decodes one catalog record.
     *
     * @param key the Kafka key (item id, UTF-8), may be null
     * @param value the Kafka value, null for a tombstone
     * @param nowMs the processing clock, for {@code observed_at} of a dead letter
     * @return the update or its dead letter; never null
     */
    public CatalogUpdate decode(byte[] key, byte[] value, String topic, int partition, long offset, long nowMs) {
        if (reader == null) {
            init(); // used without open(), e.g. in tests
        }
        try {
            return decodeOrThrow(key, value, topic, partition, offset, nowMs);
        } catch (RuntimeException | StackOverflowError e) {
            return dead(
                    value,
                    false,
                    topic,
                    partition,
                    offset,
                    DeadLetterReason.UNDECODABLE,
                    "unexpected " + e.getClass().getSimpleName(),
                    nowMs);
        }
    }

    private CatalogUpdate decodeOrThrow(
            byte[] key, byte[] value, String topic, int partition, long offset, long nowMs) {
        String keyId = key == null || key.length == 0 ? null : new String(key, StandardCharsets.UTF_8);
        String tooLarge = DoorLimits.first(limits.recordSize(value), limits.id("item_id (key)", keyId));
        if (tooLarge != null) {
            return dead(value, false, topic, partition, offset, DeadLetterReason.FIELD_TOO_LARGE, tooLarge, nowMs);
        }
        if (value == null) {
            if (keyId == null) {
                return dead(
                        null,
                        false,
                        topic,
                        partition,
                        offset,
                        DeadLetterReason.MISSING_FIELD,
                        "tombstone without key",
                        nowMs);
            }
            return CatalogUpdate.newBuilder()
                    .setItemId(keyId)
                    .setTopics(List.of())
                    .setWeights(List.of())
                    .setDeleted(true)
                    .build();
        }
        ContentProfile p;
        try {
            p = reader.read(value);
        } catch (RecordReader.Rejected e) {
            return dead(value, false, topic, partition, offset, e.reason(), e.detail(), nowMs);
        }
        String itemId = p.getItemId();
        Map<String, Double> topics = p.getTopics();
        String title = p.getTitle();
        tooLarge = DoorLimits.first(
                limits.id("item_id", itemId), limits.topics("topics", topics), limits.string("title", title));
        if (tooLarge != null) {
            return dead(value, true, topic, partition, offset, DeadLetterReason.FIELD_TOO_LARGE, tooLarge, nowMs);
        }
        String id = keyId != null ? keyId : itemId;
        if (id == null || id.isEmpty()) {
            return dead(
                    value,
                    true,
                    topic,
                    partition,
                    offset,
                    DeadLetterReason.MISSING_FIELD,
                    "no item id (neither key nor item_id)",
                    nowMs);
        }
        TreeMap<String, Double> sorted = new TreeMap<>();
        topics.forEach((t, w) -> {
            if (t != null && w != null) {
                sorted.put(t, w);
            }
        });
        return CatalogUpdate.newBuilder()
                .setItemId(id)
                .setTopics(new ArrayList<>(sorted.keySet()))
                .setWeights(new ArrayList<>(sorted.values()))
                .setDeleted(false)
                .build();
    }

    /**
     * A JSON object with the schema's field names; {@code item_id} may be absent (null: the key names
     * the item), so the profile is made without the builder's checks.
     */
    private static ContentProfile fromJson(JsonNode n) {
        if (n == null || !n.isObject() || !n.path("topics").isObject()) {
            throw new DoorJson.BadShapeException(
                    "neither Avro single-object encoding nor a JSON object with a topics map");
        }
        String itemId = DoorJson.text(n, "item_id");
        String title = DoorJson.text(n, "title");
        Map<String, Double> topics = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.get("topics").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNumber()) {
                throw new DoorJson.BadShapeException("a topic weight is not a number");
            }
            topics.put(e.getKey(), e.getValue().asDouble());
        }
        return new ContentProfile(itemId, topics, title, null);
    }

    /**
     * @param decoded whether the value was decoded (a catalog record has no PII, so a decoded one
     *     keeps its bytes; an undecodable one keeps only hash and length with {@code redact})
     */
    private CatalogUpdate dead(
            byte[] value,
            boolean decoded,
            String topic,
            int partition,
            long offset,
            DeadLetterReason reason,
            String detail,
            long nowMs) {
        ByteBuffer kept = value == null || (redact && !decoded) ? null : ByteBuffer.wrap(value);
        return CatalogUpdate.newBuilder()
                .setItemId("")
                .setTopics(List.of())
                .setWeights(List.of())
                .setDeadLetter(DeadLetters.atDoor(topic, partition, offset, null, value, kept, reason, detail, nowMs)
                        .getDeadLetter())
                .build();
    }

    @Override
    public TypeInformation<CatalogUpdate> getProducedType() {
        return new AvroTypeInfo<>(CatalogUpdate.class);
    }
}
