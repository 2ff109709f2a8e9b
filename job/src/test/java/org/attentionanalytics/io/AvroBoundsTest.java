package org.attentionanalytics.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.attentionanalytics.avro.AttentionBudget;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.testutil.PoisonPills;
import org.junit.jupiter.api.Test;

class AvroBoundsTest {
    private final AvroBounds bounds = new AvroBounds();

    private static byte[] click() {
        return AvroRecordSerializer.encode(ClickEvent.newBuilder()
                .setEventId("e1")
                .setUserId("u1")
                .setEventTime(Instant.ofEpochMilli(1_736_150_400_000L))
                .setEventType(EventType.VIEW)
                .setItemId("a1")
                .setTopics(List.of("news", "sports"))
                .setTimeZone("Europe/Berlin")
                .build());
    }

    private void check(Schema schema, byte[] singleObject) throws AvroBounds.MalformedException {
        bounds.check(schema, singleObject, 10, singleObject.length - 10);
    }

    @Test
    void validRecordsPass() throws Exception {
        check(ClickEvent.getClassSchema(), click());
        check(AttentionBudget.getClassSchema(), PoisonPills.budget("u1", Instant.EPOCH, 30));
    }

    @Test
    void anArrayCountTheBytesCannotHoldIsRefusedBeforeAnythingIsAllocated() {
        byte[] pill = PoisonPills.hugeTopicCount();
        assertThat(pill).hasSize(29);
        // 29 bytes: 10 header; "e1", "u1" (3 each); time (6); enum (1); union index (1); then the count, 5 bytes
        assertThatThrownBy(() -> check(ClickEvent.getClassSchema(), pill))
                .isInstanceOf(AvroBounds.MalformedException.class)
                .hasMessage("block of 2147483648 items cannot fit in the 0 bytes left");
        assertThatThrownBy(() -> check(AttentionBudget.getClassSchema(), PoisonPills.hugeBudgetCount("u1")))
                .hasMessage("block of 2147483648 items cannot fit in the 0 bytes left");
    }

    @Test
    void aStringLongerThanTheRestOfTheRecordIsRefused() {
        byte[] r = click();
        // byte 10 is event_id's length: 2 ("e1") as zig-zag 4; claim 63 (zig-zag 126) instead
        r[10] = 126;
        assertThatThrownBy(() -> check(ClickEvent.getClassSchema(), r))
                .hasMessageStartingWith("string length 63 exceeds the ");
    }

    @Test
    void trailingBytesAfterAValidBodyAreRefused() throws Exception {
        byte[] r = click();
        byte[] longer = Arrays.copyOf(r, r.length + 3);
        check(ClickEvent.getClassSchema(), r);
        assertThatThrownBy(() -> check(ClickEvent.getClassSchema(), longer))
                .hasMessage("3 bytes after the end of the ClickEvent body");
    }

    @Test
    void truncatedBodiesEnumAndUnionIndexesOutOfRangeAreRefused() {
        byte[] r = click();
        for (int cut = 10; cut < r.length; cut++) {
            byte[] truncated = Arrays.copyOf(r, cut);
            assertThatThrownBy(() -> check(ClickEvent.getClassSchema(), truncated))
                    .isInstanceOf(AvroBounds.MalformedException.class);
        }
        byte[] enumOut = click();
        // event_type follows event_id (3 bytes), user_id (3) and event_time (6): byte 22; 8 symbols, claim index 9
        // (zig-zag 18)
        assertThat(enumOut[22]).isEqualTo((byte) 0); // VIEW
        enumOut[22] = 18;
        assertThatThrownBy(() -> check(ClickEvent.getClassSchema(), enumOut))
                .hasMessage("enum EventType index 9 out of range");
        byte[] unionOut = click();
        unionOut[23] = 6; // item_id's union has 2 branches; index 3
        assertThatThrownBy(() -> check(ClickEvent.getClassSchema(), unionOut)).hasMessage("union index 3 out of range");
    }

    @Test
    void countsOfItemsThatTakeNoBytesAreCappedAndNegativeBlockCountsCarryASize() throws Exception {
        Schema nulls = SchemaBuilder.array().items().nullType();
        // count 10,000 (zig-zag 20,000 = 0xA0 0x9C 0x01), then 0: passes
        bounds.check(nulls, new byte[] {(byte) 0xA0, (byte) 0x9C, 0x01, 0x00}, 0, 4);
        // count 10,001 (zig-zag 20,002 = 0xA2 0x9C 0x01): refused
        assertThatThrownBy(() -> bounds.check(nulls, new byte[] {(byte) 0xA2, (byte) 0x9C, 0x01, 0x00}, 0, 4))
                .hasMessage("block of 10001 items cannot fit in the 1 bytes left");
        Schema strings = SchemaBuilder.array().items().stringType();
        // count -1 (zig-zag 1), block size 2 (zig-zag 4), one string "a" (2, 'a'), end 0
        bounds.check(strings, new byte[] {0x01, 0x04, 0x02, 'a', 0x00}, 0, 5);
        // block size 100 (zig-zag 200 = 0xC8 0x01) with 3 bytes left
        assertThatThrownBy(() -> bounds.check(strings, new byte[] {0x01, (byte) 0xC8, 0x01, 0x02, 'a', 0x00}, 0, 6))
                .hasMessage("block size 100 exceeds the 3 bytes left");
    }

    @Test
    void aVarintOfMoreThanTenBytesIsRefused() {
        byte[] eleven = new byte[11];
        Arrays.fill(eleven, (byte) 0xFF);
        assertThatThrownBy(() -> bounds.check(Schema.create(Schema.Type.LONG), eleven, 0, 11))
                .hasMessage("long is not a valid varint");
    }

    @Test
    void mapsCountTheirKeys() throws Exception {
        byte[] b = PoisonPills.budget("u1", Instant.EPOCH, 30);
        check(AttentionBudget.getClassSchema(), b);
        Map<String, Long> many = new java.util.TreeMap<>();
        for (int i = 0; i < 50; i++) {
            many.put("c" + i, (long) i);
        }
        check(
                AttentionBudget.getClassSchema(),
                AvroRecordSerializer.encode(AttentionBudget.newBuilder()
                        .setUserId("u1")
                        .setUpdatedAt(Instant.EPOCH)
                        .setBudgets(many)
                        .build()));
    }
}
