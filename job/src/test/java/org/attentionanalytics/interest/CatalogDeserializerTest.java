package org.attentionanalytics.interest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.attentionanalytics.avro.ContentProfile;
import org.attentionanalytics.avro.DeadLetter;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.internal.CatalogUpdate;
import org.attentionanalytics.io.AvroRecordSerializer;
import org.attentionanalytics.io.DoorLimits;
import org.attentionanalytics.testutil.KafkaFixtures;
import org.junit.jupiter.api.Test;

class CatalogDeserializerTest {
    private final CatalogDeserializer deserializer = new CatalogDeserializer();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] avro(String itemId, Map<String, Double> topics) {
        return AvroRecordSerializer.encode(
                ContentProfile.newBuilder().setItemId(itemId).setTopics(topics).build());
    }

    private CatalogUpdate decode(String key, byte[] value) {
        return deserializer.decode(key == null ? null : utf8(key), value, "content-catalog", 0, 7, 1_000L);
    }

    private DeadLetter deadLetter(String key, byte[] value) {
        CatalogUpdate u = decode(key, value);
        assertThat(u.getDeadLetter()).as("a dead letter").isNotNull();
        assertThat(u.getItemId()).isEmpty();
        return u.getDeadLetter();
    }

    @Test
    void avroProfileBecomesParallelArraysSortedByTopic() {
        Map<String, Double> topics = new LinkedHashMap<>();
        topics.put("sports", 1.0);
        topics.put("news.politics", 3.0);
        CatalogUpdate u = decode("a1", avro("a1", topics));
        assertThat(u.getItemId()).isEqualTo("a1");
        assertThat(u.getTopics()).containsExactly("news.politics", "sports");
        assertThat(u.getWeights()).containsExactly(3.0, 1.0);
        assertThat(u.getDeleted()).isFalse();
    }

    @Test
    void jsonProfileIsReadToo() {
        CatalogUpdate u =
                decode("a1", utf8("{\"item_id\": \"a1\", \"topics\": {\"b\": 2, \"a\": 0.5}, \"title\": null}"));
        assertThat(u.getTopics()).containsExactly("a", "b");
        assertThat(u.getWeights()).containsExactly(0.5, 2.0);
    }

    @Test
    void aTombstoneDeletesTheKeysItem() {
        CatalogUpdate u = decode("a1", null);
        assertThat(u.getItemId()).isEqualTo("a1");
        assertThat(u.getDeleted()).isTrue();
        assertThat(u.getTopics()).isEmpty();
    }

    @Test
    void theKeyWinsOverTheValuesItemIdAndTheValueStandsInForAMissingKey() {
        assertThat(decode("k1", avro("v1", Map.of("a", 1.0))).getItemId()).isEqualTo("k1");
        assertThat(decode(null, avro("v1", Map.of("a", 1.0))).getItemId()).isEqualTo("v1");
    }

    @Test
    void unusableRecordsAreDeadLettersWithTheirReasonNeverThrown() {
        assertThat(deadLetter("a1", KafkaFixtures.fiveRandomBytes()).getReason())
                .isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(deadLetter("a1", KafkaFixtures.foreignSchemaRecord()).getReason())
                .isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA);
        DeadLetter truncated = deadLetter("a1", new byte[] {(byte) 0xC3, 0x01, 1, 2});
        assertThat(truncated.getReason()).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(truncated.getRawValue()).isNull(); // undecodable: hash and length only
        assertThat(truncated.getRawLength()).isEqualTo(4);
        assertThat(truncated.getSourceTopic()).isEqualTo("content-catalog");
        assertThat(truncated.getOffset()).isEqualTo(7);
        assertThat(deadLetter("a1", utf8("{\"topics\": {\"a\": \"heavy\"}}")).getDetail())
                .isEqualTo("a topic weight is not a number");
        assertThat(deadLetter(null, null).getReason())
                .isEqualTo(DeadLetterReason.MISSING_FIELD); // tombstone without key
        assertThat(deadLetter(null, utf8("{\"topics\": {\"a\": 1}}")).getReason())
                .isEqualTo(DeadLetterReason.MISSING_FIELD); // no item id anywhere
        assertThat(deadLetter("a1", new byte[0]).getReason()).isEqualTo(DeadLetterReason.UNDECODABLE); // empty value
        // and the decoder still works after all that
        assertThat(decode("a2", avro("a2", Map.of("x", 1.0))).getTopics()).containsExactly("x");
    }

    @Test
    void profilesAboveTheLimitsAreFieldTooLarge() {
        CatalogDeserializer small = new CatalogDeserializer(new DoorLimits(1_000, 8, 5, 2, 10), true, List.of());
        // 3 topics > 2
        DeadLetter many = small.decode(utf8("a1"), avro("a1", Map.of("a", 1.0, "b", 1.0, "c", 1.0)), "t", 0, 1, 0L)
                .getDeadLetter();
        assertThat(many.getReason()).isEqualTo(DeadLetterReason.FIELD_TOO_LARGE);
        assertThat(many.getDetail()).isEqualTo("topics has 3 entries, above --limits.topics 2");
        assertThat(many.getRawValue()).isNotNull(); // decodable, and the catalog holds no personal data
        // "sports.x" is 8 characters > 5
        assertThat(small.decode(utf8("a1"), avro("a1", Map.of("sports.x", 1.0)), "t", 0, 1, 0L)
                        .getDeadLetter()
                        .getDetail())
                .isEqualTo("topics[0] is 8 characters, above --limits.topic-length 5");
        // key "item-0001x" is 10 characters > 8
        assertThat(small.decode(utf8("item-0001x"), null, "t", 0, 1, 0L)
                        .getDeadLetter()
                        .getDetail())
                .isEqualTo("item_id (key) is 10 characters, above --limits.id-length 8");
        byte[] big = new byte[1_001];
        assertThat(small.decode(utf8("a1"), big, "t", 0, 1, 0L).getDeadLetter().getDetail())
                .isEqualTo("record is 1001 bytes, above --limits.record-bytes 1000");
    }

    @Test
    void deserializeEmitsUpdatesAndDeadLettersAsAvroType() throws Exception {
        List<CatalogUpdate> out = new ArrayList<>();
        Collector<CatalogUpdate> collector = new Collector<>() {
            @Override
            public void collect(CatalogUpdate record) {
                out.add(record);
            }

            @Override
            public void close() {}
        };
        deserializer.deserialize(
                new ConsumerRecord<>("content-catalog", 0, 1, utf8("a1"), avro("a1", Map.of("a", 1.0))), collector);
        deserializer.deserialize(new ConsumerRecord<>("content-catalog", 0, 2, utf8("a1"), utf8("garbage")), collector);
        assertThat(out).extracting(CatalogUpdate::getItemId).containsExactly("a1", "");
        assertThat(out.get(1).getDeadLetter().getReason()).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(deserializer.getProducedType()).isInstanceOf(AvroTypeInfo.class);
    }
}
