package org.attentionanalytics.testutil;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.attentionanalytics.io.AvroRecordSerializer;

/** Raw records for input topics: Avro single-object encoded events and deliberately bad bytes. */
public final class KafkaFixtures {
    private KafkaFixtures() {}

    /** One record to produce: topic, raw user id key, value bytes. */
    public record Raw(String topic, String key, byte[] value) {
        public static Raw of(String topic, String key, SpecificRecordBase value) {
            return new Raw(topic, key, AvroRecordSerializer.encode(value));
        }
    }

    /** Five bytes that start like single-object encoding and then break off. */
    public static byte[] fiveRandomBytes() {
        return new byte[] {(byte) 0xC3, 0x01, 0x7f, 0x13, 0x00};
    }

    /** A valid single-object encoding of a schema the job does not know. */
    public static byte[] foreignSchemaRecord() {
        Schema foreign = SchemaBuilder.record("Foreign")
                .fields()
                .requiredString("x")
                .requiredLong("y")
                .endRecord();
        GenericRecord f = new GenericData.Record(foreign);
        f.put("x", "hello");
        f.put("y", 42L);
        try {
            java.nio.ByteBuffer b = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), foreign).encode(f);
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Produces the records in order (idempotent producer, acks=all) and flushes. */
    public static void produce(String bootstrapServers, List<Raw> records) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Raw r : records) {
                producer.send(new ProducerRecord<>(
                        r.topic(), r.key() == null ? null : r.key().getBytes(StandardCharsets.UTF_8), r.value()));
            }
            producer.flush();
        }
    }
}
