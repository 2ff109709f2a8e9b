package org.attentionanalytics.testutil;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.attentionanalytics.avro.AttentionBudget;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.io.AvroRecordSerializer;

/**
 * The single records that put the job into a restart loop before the doors were bounded (issue
 * 13), built byte by byte where a valid encoder could not make them.
 */
public final class PoisonPills {
    /** The count the huge-array records claim: 2^31. */
    public static final long HUGE_COUNT = 1L << 31;

    private PoisonPills() {}

    /**
     * A {@code ClickEvent} whose {@code topics} array claims {@link #HUGE_COUNT} items and ends after
     * the count: 29 bytes (10 header, then event_id "e1", user_id "u1", event_time, event_type,
     * item_id null, the count), the shape of the 46-byte record that was reported.
     */
    public static byte[] hugeTopicCount() {
        return singleObject(ClickEvent.getClassSchema(), e -> {
            e.writeString("e1");
            e.writeString("u1");
            e.writeLong(1_736_150_400_000L);
            e.writeEnum(EventType.VIEW.ordinal());
            e.writeIndex(0); // item_id: null
            e.writeLong(HUGE_COUNT); // topics: one block of 2^31 items, none of which follow
        });
    }

    /** An {@code AttentionBudget} whose {@code budgets} map claims {@link #HUGE_COUNT} entries. */
    public static byte[] hugeBudgetCount(String userId) {
        return singleObject(AttentionBudget.getClassSchema(), e -> {
            e.writeString(userId);
            e.writeIndex(0); // time_zone: null
            e.writeLong(HUGE_COUNT);
        });
    }

    /** A {@code FocusBlocks} whose {@code blocks} array claims {@link #HUGE_COUNT} blocks. */
    public static byte[] hugeFocusBlockCount(String userId) {
        return singleObject(org.attentionanalytics.avro.FocusBlocks.getClassSchema(), e -> {
            e.writeString(userId);
            e.writeIndex(0); // time_zone: null
            e.writeLong(HUGE_COUNT);
        });
    }

    /** A JSON {@code ClickEvent} stamped in the year 300,000,000. */
    public static byte[] farFutureJsonClick(String eventId, String userId) {
        return ("{\"event_id\": \"" + eventId + "\", \"user_id\": \"" + userId
                        + "\", \"event_time\": \"+300000000-01-01T00:00:00Z\", "
                        + "\"event_type\": \"VIEW\", \"item_id\": \"a1\", \"topics\": [\"news\"]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON {@code AttentionBudget} stamped in the year 300,000,000. */
    public static byte[] farFutureJsonBudget(String userId) {
        return ("{\"user_id\": \"" + userId
                        + "\", \"budgets\": {\"news\": 30}, \"updated_at\": \"+300000000-01-01T00:00:00Z\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A {@code DwellEvent} with a negative dwell (a valid dead letter) of exactly {@code bytes} bytes,
     * padded in {@code item_id}.
     */
    public static byte[] bigNegativeDwell(String eventId, String userId, Instant at, int bytes) {
        DwellEvent.Builder b = DwellEvent.newBuilder()
                .setEventId(eventId)
                .setUserId(userId)
                .setEventTime(at)
                .setDwellMs(-5_000L)
                .setItemId("");
        int base = AvroRecordSerializer.encode(b.build()).length;
        // the item id's length varint grows from 1 byte to 3 for lengths of 16,384 to 2,097,151
        String pad = "x".repeat(bytes - base - 2);
        byte[] out = AvroRecordSerializer.encode(b.setItemId(pad).build());
        if (out.length != bytes) {
            throw new IllegalStateException("built " + out.length + " bytes, not " + bytes);
        }
        return out;
    }

    /** A valid {@code ClickEvent} whose one topic is {@code topicChars} characters long. */
    public static byte[] bigTopicClick(String eventId, String userId, Instant at, int topicChars) {
        return AvroRecordSerializer.encode(ClickEvent.newBuilder()
                .setEventId(eventId)
                .setUserId(userId)
                .setEventTime(at)
                .setEventType(EventType.VIEW)
                .setItemId("a-" + eventId)
                .setTopics(List.of("t".repeat(topicChars)))
                .build());
    }

    /** An {@code AttentionBudget} of {@code minutes} for {@code news}. */
    public static byte[] budget(String userId, Instant at, long minutes) {
        return AvroRecordSerializer.encode(AttentionBudget.newBuilder()
                .setUserId(userId)
                .setUpdatedAt(at)
                .setBudgets(Map.of("news", minutes))
                .build());
    }

    /** Writes a body with a raw encoder. */
    @FunctionalInterface
    interface Body {
        void write(BinaryEncoder e) throws IOException;
    }

    /** {@code C3 01}, the little-endian fingerprint of {@code schema}, then {@code body}. */
    static byte[] singleObject(Schema schema, Body body) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0xC3);
            out.write(0x01);
            long fp = SchemaNormalization.parsingFingerprint64(schema);
            for (int i = 0; i < 8; i++) {
                out.write((int) (fp >>> (8 * i)) & 0xFF);
            }
            BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
            body.write(e);
            e.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
