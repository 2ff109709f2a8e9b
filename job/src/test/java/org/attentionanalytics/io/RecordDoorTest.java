package org.attentionanalytics.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecordBase;
import org.attentionanalytics.avro.DeadLetter;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.ErasureRequest;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.common.Saturating;
import org.attentionanalytics.privacy.Pseudonymizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest framework with a mapper of its own (not one of the job's): what every door does
 * before and around the mapper, and the checks it offers mappers. Expected pseudonyms and hashes
 * were computed outside Java: {@code hmac.new(b'test-key', b'alice', hashlib.sha256).hexdigest()[:32]}
 * (likewise {@code bob}, {@code alice-123})
 * and {@code hashlib.sha256(b'').hexdigest()}.
 */
class RecordDoorTest {
    static final long NOW = Instant.parse("2025-01-06T12:00:00Z").toEpochMilli();
    static final String ALICE = "ff7a3cd2cfcd73da2f3d9350cdbdfd2b";
    static final String BOB = "1520f16c3e94f0068dfb6a7fee0f21d7";
    static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @TempDir
    Path dir;

    /**
     * A mapper of erasure requests that checks the user (id length 8 at most), the time and a zone
     * taken from the request id after {@code zone:}, and throws for the request id {@code boom}.
     */
    static final class TestMapper implements RecordMapper<ErasureRequest> {
        @Override
        public Class<ErasureRequest> type() {
            return ErasureRequest.class;
        }

        @Override
        public ErasureRequest fromJson(JsonNode n, boolean redact) throws DoorJson.MissingFieldException {
            DoorJson.requireObject(n);
            if (n.get("user_id") == null) {
                throw new DoorJson.MissingFieldException("user_id is required");
            }
            return ErasureRequest.newBuilder()
                    .setUserId(DoorJson.text(n, "user_id"))
                    .setRequestId(DoorJson.text(n, "request_id"))
                    .setRequestedAt(DoorJson.instant(n, "requested_at"))
                    .build();
        }

        @Override
        public SourceRecord map(ErasureRequest r, DoorRecord<ErasureRequest> in) {
            if (r.getRequestId().equals("boom")) {
                throw new IllegalStateException("a bug in a mapper");
            }
            SourceRecord rejected = in.checkUser(r.getUserId(), in.limits().id("user_id", r.getUserId()));
            String user = rejected == null ? in.pseudonym(r.getUserId()) : null;
            if (rejected == null) {
                rejected = in.checkTime(user, "requested_at", r.getRequestedAt());
            }
            if (rejected == null && r.getRequestId().startsWith("zone:")) {
                rejected = in.checkZone(user, r.getRequestId().substring(5));
            }
            return rejected != null
                    ? rejected
                    : in.accept(in.event(EventKind.ERASURE)
                            .setEventId(r.getRequestId())
                            .setUser(user)
                            .setEventTime(r.getRequestedAt().toEpochMilli())
                            .build());
        }

        @Override
        public SpecificRecordBase redacted(ErasureRequest r, Pseudonymizer ids) {
            return ErasureRequest.newBuilder(r).setUserId("").build();
        }
    }

    /** A door with the key {@code test-key}, records of at most 100 bytes and ids of at most 8 characters. */
    RecordDoor<ErasureRequest> door(InputFormat format, boolean redact) throws Exception {
        Path key = Files.writeString(dir.resolve("key"), "test-key\n");
        RecordDoor<ErasureRequest> d = new RecordDoor<>(
                new TestMapper(),
                new DoorSettings(format, 600_000, key.toString(), null, redact)
                        .withLimits(new DoorLimits(100, 8, 10, 10, 20)));
        d.open();
        return d;
    }

    static SourceRecord decode(RecordDoor<ErasureRequest> d, String key, byte[] value) {
        return d.decode("requests", 2, 9, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, NOW);
    }

    static byte[] avro(String userId, String requestId, Instant at) {
        return AvroRecordSerializer.encode(ErasureRequest.newBuilder()
                .setUserId(userId)
                .setRequestId(requestId)
                .setRequestedAt(at)
                .build());
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static DeadLetter dead(SourceRecord r, DeadLetterReason reason) {
        assertThat(r.getEvent()).isNull();
        assertThat(r.getDeadLetter()).as("a dead letter").isNotNull();
        assertThat(r.getDeadLetter().getReason()).isEqualTo(reason);
        assertThat(r.getDeadLetter().getSourceTopic()).isEqualTo("requests");
        assertThat(r.getDeadLetter().getPartition()).isEqualTo(2);
        assertThat(r.getDeadLetter().getOffset()).isEqualTo(9);
        assertThat(r.getDeadLetter().getObservedAt()).isEqualTo(Instant.ofEpochMilli(NOW));
        return r.getDeadLetter();
    }

    @Test
    void aValidRecordBecomesTheMappersEventWithWhereItWasRead() throws Exception {
        SourceRecord r = decode(door(InputFormat.AVRO, true), "bob", avro("alice", "r-1", Instant.ofEpochMilli(NOW)));
        assertThat(r.getEvent().getKind()).isEqualTo(EventKind.ERASURE);
        assertThat(r.getEvent().getUser()).isEqualTo(ALICE);
        assertThat(r.getEvent().getEventId()).isEqualTo("r-1");
        assertThat(r.getEvent().getEventTime()).isEqualTo(NOW);
        assertThat(r.getEvent().getSourceTopic()).isEqualTo("requests");
        assertThat(r.getEvent().getSourcePartition()).isEqualTo(2);
        assertThat(r.getEvent().getSourceOffset()).isEqualTo(9);
    }

    @Test
    void beforeDecodingTheSizeAndAMissingValueAreDeadLettersKeyedByTheKafkaKey() throws Exception {
        RecordDoor<ErasureRequest> d = door(InputFormat.AVRO, true);
        DeadLetter big = dead(decode(d, "bob", new byte[101]), DeadLetterReason.FIELD_TOO_LARGE);
        assertThat(big.getDetail()).isEqualTo("record is 101 bytes, above --limits.record-bytes 100");
        assertThat(big.getRawLength()).isEqualTo(101);
        assertThat(big.getRawValue())
                .as("undecoded, redacted: hash and length only")
                .isNull();
        assertThat(decode(d, "bob", new byte[101]).getDeadLetterKey()).isEqualTo(BOB);

        SourceRecord none = decode(d, null, null);
        assertThat(dead(none, DeadLetterReason.UNDECODABLE).getDetail()).isEqualTo("no value");
        assertThat(none.getDeadLetter().getRawLength()).isZero();
        assertThat(none.getDeadLetter().getRawSha256()).isEqualTo(EMPTY_SHA256);
        assertThat(none.getDeadLetterKey()).isNull();
        assertThat(decode(d, "", null).getDeadLetterKey())
                .as("an empty key is no key")
                .isNull();
    }

    @Test
    void decodingFailuresHaveTheirReasons() throws Exception {
        RecordDoor<ErasureRequest> avro = door(InputFormat.AVRO, true);
        assertThat(dead(decode(avro, "bob", utf8("{\"user_id\": \"alice\"}")), DeadLetterReason.UNDECODABLE)
                        .getDetail())
                .isEqualTo("not Avro single-object encoding");
        byte[] unknown = avro("alice", "r-1", Instant.ofEpochMilli(NOW));
        unknown[2] ^= 1; // another fingerprint
        assertThat(dead(decode(avro, "bob", unknown), DeadLetterReason.UNKNOWN_SCHEMA)
                        .getDetail())
                .isEqualTo(
                        "unknown writer schema fingerprint (a producer's schema the job does not know: --writer-schemas)");

        RecordDoor<ErasureRequest> json = door(InputFormat.JSON, true);
        assertThat(dead(decode(json, "bob", utf8("{\"request_id\": \"r-1\"}")), DeadLetterReason.MISSING_FIELD)
                        .getDetail())
                .isEqualTo("user_id is required");
        assertThat(dead(decode(json, "bob", utf8("[1]")), DeadLetterReason.UNDECODABLE)
                        .getDetail())
                .isEqualTo("not a JSON object");
    }

    @Test
    void aFailureNoCheckForesawIsUndecodableAndKeepsNothingOfTheDecodedRecord() throws Exception {
        SourceRecord r = decode(door(InputFormat.AVRO, true), "bob", avro("alice", "boom", Instant.ofEpochMilli(NOW)));
        DeadLetter dl = dead(r, DeadLetterReason.UNDECODABLE);
        assertThat(dl.getDetail()).isEqualTo("unexpected IllegalStateException");
        assertThat(dl.getRawValue()).isNull();
        assertThat(r.getDeadLetterKey()).as("the Kafka key's pseudonym").isEqualTo(BOB);
    }

    @Test
    void theUserCheckKeysByTheUserIdElseTheKafkaKey() throws Exception {
        RecordDoor<ErasureRequest> d = door(InputFormat.AVRO, true);
        SourceRecord longId = decode(d, "bob", avro("alice-123", "r-1", Instant.ofEpochMilli(NOW)));
        assertThat(dead(longId, DeadLetterReason.FIELD_TOO_LARGE).getDetail())
                .isEqualTo("user_id is 9 characters, above --limits.id-length 8");
        assertThat(longId.getDeadLetterKey())
                .as("pseudonym of alice-123")
                .isEqualTo("3cb447829f76fec9821c5aabd7238cb8");
        SourceRecord empty = decode(d, "bob", avro("", "r-1", Instant.ofEpochMilli(NOW)));
        assertThat(dead(empty, DeadLetterReason.MISSING_FIELD).getDetail()).isEqualTo("user_id is empty");
        assertThat(empty.getDeadLetterKey()).isEqualTo(BOB);
    }

    @Test
    void theTimeCheckAcceptsUpToMaxFutureAndNothingBefore1970() throws Exception {
        RecordDoor<ErasureRequest> d = door(InputFormat.AVRO, true);
        assertThat(decode(d, "bob", avro("alice", "r-1", Instant.ofEpochMilli(NOW + 600_000)))
                        .getEvent())
                .isNotNull();
        SourceRecord ahead = decode(d, "bob", avro("alice", "r-1", Instant.ofEpochMilli(NOW + 600_001)));
        assertThat(dead(ahead, DeadLetterReason.FUTURE_TIMESTAMP).getDetail())
                .isEqualTo("requested_at 2025-01-06T12:10:00.001Z is more than 600 s ahead of the processing clock");
        assertThat(ahead.getDeadLetterKey()).isEqualTo(ALICE);
        assertThat(decode(d, "bob", avro("alice", "r-1", Instant.EPOCH)).getEvent())
                .isNotNull();
        assertThat(dead(decode(d, "bob", avro("alice", "r-1", Instant.ofEpochMilli(-1))), DeadLetterReason.TOO_LATE)
                        .getDetail())
                .isEqualTo(
                        "requested_at 1969-12-31T23:59:59.999Z is before 1970-01-01T00:00:00Z, the earliest time the job accepts");
    }

    @Test
    void theZoneCheckQuotesOnlyWhatLooksLikeAZoneName() throws Exception {
        RecordDoor<ErasureRequest> d = door(InputFormat.AVRO, true);
        Instant t = Instant.ofEpochMilli(NOW);
        assertThat(decode(d, "bob", avro("alice", "zone:Europe/Oslo", t)).getEvent())
                .isNotNull();
        assertThat(decode(d, "bob", avro("alice", "zone:Europe/Oslo", t)).getEvent())
                .as("remembered")
                .isNotNull();
        assertThat(dead(decode(d, "bob", avro("alice", "zone:UTC+3", t)), DeadLetterReason.INVALID_TIME_ZONE)
                        .getDetail())
                .isEqualTo("time_zone 'UTC+3' is not an IANA zone id");
        assertThat(dead(decode(d, "bob", avro("alice", "zone:a b", t)), DeadLetterReason.INVALID_TIME_ZONE)
                        .getDetail())
                .isEqualTo("time_zone (3 characters, not quoted: dlq.redact) is not an IANA zone id");
    }

    @Test
    void aDeadLetterKeepsTheRawValueOrTheMappersCopyWithoutPiiEncodedAsItCame() throws Exception {
        byte[] value = avro("alice", "r-1", Instant.ofEpochMilli(NOW + 3_600_000));
        DeadLetter raw = dead(decode(door(InputFormat.AVRO, false), "bob", value), DeadLetterReason.FUTURE_TIMESTAMP);
        assertThat(raw.getRawValue()).isEqualTo(ByteBuffer.wrap(value));

        DeadLetter avro = dead(decode(door(InputFormat.AVRO, true), "bob", value), DeadLetterReason.FUTURE_TIMESTAMP);
        ErasureRequest withoutUser = ErasureRequest.newBuilder()
                .setUserId("")
                .setRequestId("r-1")
                .setRequestedAt(Instant.ofEpochMilli(NOW + 3_600_000))
                .build();
        assertThat(avro.getRawValue()).isEqualTo(ByteBuffer.wrap(AvroRecordSerializer.encode(withoutUser)));
        assertThat(avro.getRawLength()).as("of the value as read").isEqualTo(value.length);

        byte[] json =
                utf8("{\"user_id\": \"alice\", \"request_id\": \"r-1\", \"requested_at\": " + (NOW + 3_600_000) + "}");
        DeadLetter text = dead(decode(door(InputFormat.JSON, true), "bob", json), DeadLetterReason.FUTURE_TIMESTAMP);
        assertThat(StandardCharsets.UTF_8.decode(text.getRawValue()).toString())
                .isEqualTo("{\"request_id\": \"r-1\", \"user_id\": \"\", \"requested_at\": \"2025-01-06T13:00:00Z\"}");
    }

    @Test
    void saturatedAddStopsAtTheEndsOfLong() throws Exception {
        assertThat(Saturating.add(5, -7)).isEqualTo(-2);
        assertThat(Saturating.add(Long.MAX_VALUE - 1, 5)).isEqualTo(Long.MAX_VALUE);
        assertThat(Saturating.add(Long.MIN_VALUE + 1, -5)).isEqualTo(Long.MIN_VALUE);
    }
}
