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
import org.attentionanalytics.avro.internal.CatalogUpdate;
import org.attentionanalytics.io.AvroRecordSerializer;
import org.attentionanalytics.testutil.KafkaFixtures;
import org.junit.jupiter.api.Test;

class CatalogDeserializerTest {
  private final CatalogDeserializer deserializer = new CatalogDeserializer();

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] avro(String itemId, Map<String, Double> topics) {
    return AvroRecordSerializer.encode(ContentProfile.newBuilder().setItemId(itemId).setTopics(topics).build());
  }

  private CatalogUpdate decode(String key, byte[] value) {
    return deserializer.decode(key == null ? null : utf8(key), value, "content-catalog", 0, 7);
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
    CatalogUpdate u = decode("a1", utf8("{\"item_id\": \"a1\", \"topics\": {\"b\": 2, \"a\": 0.5}, \"title\": null}"));
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
  void unusableRecordsAreSkippedAndCountedNeverThrown() {
    assertThat(decode("a1", KafkaFixtures.fiveRandomBytes())).isNull();
    assertThat(decode("a1", KafkaFixtures.foreignSchemaRecord())).isNull(); // unknown fingerprint
    assertThat(decode("a1", new byte[] {(byte) 0xC3, 0x01, 1, 2})).isNull(); // truncated Avro
    assertThat(decode("a1", utf8("{\"topics\": {\"a\": \"heavy\"}}"))).isNull();
    assertThat(decode(null, null)).isNull(); // tombstone without key
    assertThat(decode(null, utf8("{\"topics\": {\"a\": 1}}"))).isNull(); // no item id anywhere
    assertThat(deserializer.skipped()).isEqualTo(6);
    // and the decoder still works after all that
    assertThat(decode("a2", avro("a2", Map.of("x", 1.0))).getTopics()).containsExactly("x");
  }

  @Test
  void deserializeEmitsOnlyUsableRecordsAsAvroType() throws Exception {
    List<CatalogUpdate> out = new ArrayList<>();
    Collector<CatalogUpdate> collector = new Collector<>() {
      @Override
      public void collect(CatalogUpdate record) {
        out.add(record);
      }

      @Override
      public void close() {}
    };
    deserializer.deserialize(new ConsumerRecord<>("content-catalog", 0, 1, utf8("a1"), avro("a1", Map.of("a", 1.0))), collector);
    deserializer.deserialize(new ConsumerRecord<>("content-catalog", 0, 2, utf8("a1"), utf8("garbage")), collector);
    assertThat(out).extracting(CatalogUpdate::getItemId).containsExactly("a1");
    assertThat(deserializer.getProducedType()).isInstanceOf(AvroTypeInfo.class);
  }
}
