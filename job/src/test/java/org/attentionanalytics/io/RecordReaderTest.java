package org.attentionanalytics.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.attentionanalytics.avro.ContentProfile;
import org.attentionanalytics.avro.DeadLetterReason;
import org.junit.jupiter.api.Test;

/** Framing, bounded decoding and the reasons of what cannot be read. */
class RecordReaderTest {
    static final byte[] AVRO = AvroRecordSerializer.encode(ContentProfile.newBuilder()
            .setItemId("a1")
            .setTopics(Map.of("news", 2.0))
            .build());
    static final byte[] JSON = "{\"item_id\": \"j1\", \"topics\": {}}".getBytes(StandardCharsets.UTF_8);

    static RecordReader<ContentProfile> reader(RecordReader.Framing framing, boolean redact) {
        return new RecordReader<>(ContentProfile.class, List.of(), framing, 1_000, redact, n -> {
            if (!n.has("item_id")) {
                throw new DoorJson.MissingFieldException("item_id is required");
            }
            return ContentProfile.newBuilder()
                    .setItemId(DoorJson.text(n, "item_id"))
                    .setTopics(Map.of())
                    .build();
        });
    }

    static RecordReader.Rejected rejected(RecordReader<ContentProfile> reader, String value) {
        try {
            reader.read(value.getBytes(StandardCharsets.UTF_8));
        } catch (RecordReader.Rejected e) {
            return e;
        }
        throw new AssertionError("read: " + value);
    }

    @Test
    void theFramingFollowsTheInputFormatOrTheFirstBytes() throws Exception {
        assertThat(RecordReader.Framing.of(InputFormat.AVRO)).isEqualTo(RecordReader.Framing.AVRO);
        assertThat(RecordReader.Framing.of(InputFormat.JSON)).isEqualTo(RecordReader.Framing.JSON);
        RecordReader<ContentProfile> detect = reader(RecordReader.Framing.DETECT, true);
        assertThat(detect.read(AVRO).getItemId()).isEqualTo("a1");
        assertThat(detect.read(JSON).getItemId()).isEqualTo("j1");
        assertThat(reader(RecordReader.Framing.JSON, true).read(JSON).getItemId())
                .isEqualTo("j1");
        assertThat(reader(RecordReader.Framing.AVRO, true).read(AVRO).getItemId())
                .isEqualTo("a1");
    }

    @Test
    void whatCannotBeReadIsRejectedWithItsReason() {
        RecordReader.Rejected json = rejected(reader(RecordReader.Framing.AVRO, true), "{\"item_id\": \"j1\"}");
        assertThat(json.reason()).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(json.detail()).isEqualTo("not Avro single-object encoding");

        RecordReader.Rejected missing = rejected(reader(RecordReader.Framing.JSON, true), "{\"title\": \"t\"}");
        assertThat(missing.reason()).isEqualTo(DeadLetterReason.MISSING_FIELD);
        assertThat(missing.detail()).isEqualTo("item_id is required");

        RecordReader.Rejected shape = rejected(reader(RecordReader.Framing.JSON, true), "{\"item_id\": [1]}");
        assertThat(shape.reason()).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(shape.detail()).isEqualTo("item_id is not a string");

        // a parser's message can quote the input: left out with redact, kept without; Jackson's
        // location is just past the character that ended the bad token ('}', column 18)
        assertThat(rejected(reader(RecordReader.Framing.JSON, true), "{\"item_id\": nancy}")
                        .detail())
                .isEqualTo("JsonParseException at line 1, column 19 (message left out: dlq.redact)");
        assertThat(rejected(reader(RecordReader.Framing.JSON, false), "{\"item_id\": nancy}")
                        .detail())
                .startsWith("JsonParseException: Unrecognized token 'nancy'");
    }

    @Test
    void anUnknownWriterSchemaIsUnknownSchema() {
        byte[] other = AVRO.clone();
        other[9] ^= 1; // the fingerprint's last byte
        assertThatThrownBy(() -> reader(RecordReader.Framing.DETECT, true).read(other))
                .isInstanceOfSatisfying(
                        RecordReader.Rejected.class,
                        e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA));
    }

    @Test
    void aRecordIsEncodedAsTheValueItCameFrom() {
        ContentProfile p =
                ContentProfile.newBuilder().setItemId("x").setTopics(Map.of()).build();
        RecordReader<ContentProfile> detect = reader(RecordReader.Framing.DETECT, true);
        assertThat(detect.encode(p, AVRO)).isEqualTo(ByteBuffer.wrap(AvroRecordSerializer.encode(p)));
        assertThat(StandardCharsets.UTF_8.decode(detect.encode(p, JSON)).toString())
                .isEqualTo("{\"item_id\": \"x\", \"topics\": {}, \"title\": null, \"updated_at\": null}");
        assertThat(reader(RecordReader.Framing.AVRO, true).encode(p, JSON))
                .isEqualTo(ByteBuffer.wrap(AvroRecordSerializer.encode(p)));
    }
}
