package org.attentionanalytics.io;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DeadLetter;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.DwellKind;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.privacy.Pseudonymizer;

/**
 * Dead letters raised after the door (the doors' own are built by {@link RecordDoor}), as
 * {@link SourceRecord}s with {@code dead_letter} and {@code dead_letter_key} (the pseudonym) set,
 * for the side output {@code SideOutputs.DEAD_LETTERS}.
 */
public final class DeadLetters {
    /** Longest {@code detail} a dead letter carries, in characters; longer ones are cut with an ellipsis. */
    public static final int MAX_DETAIL = 1_000;

    private DeadLetters() {}

    /**
     * A dead letter raised at a door.
     *
     * @param key the pseudonym for the record key, or null
     * @param raw the Kafka value as read (null: no value); hashed and measured
     * @param kept what {@code raw_value} carries: the raw value, a redacted re-encoding, or null
     */
    public static SourceRecord atDoor(
            String topic,
            int partition,
            long offset,
            String key,
            byte[] raw,
            ByteBuffer kept,
            DeadLetterReason reason,
            String detail,
            long nowMs) {
        byte[] value = raw == null ? new byte[0] : raw;
        DeadLetter dl = DeadLetter.newBuilder()
                .setSourceTopic(topic)
                .setPartition(partition)
                .setOffset(offset)
                .setReason(reason)
                .setDetail(capped(detail))
                .setRawValue(kept)
                .setRawSha256(sha256(value))
                .setRawLength(value.length)
                .setObservedAt(Instant.ofEpochMilli(nowMs))
                .build();
        return SourceRecord.newBuilder().setDeadLetter(dl).setDeadLetterKey(key).build();
    }

    /**
     * A dead letter too large for the dead-letter topic, as written instead: without {@code
     * raw_value} (hash and length stay), {@code detail} saying the value was cut.
     *
     * @param room the most value bytes the topic accepts
     */
    public static DeadLetter withoutRawValue(DeadLetter dl, int room) {
        String cut = " [raw value cut: " + dl.getRawLength() + " bytes read, the dead letter would exceed the "
                + Math.max(0, room) + " bytes the dead-letter topic accepts]";
        return DeadLetter.newBuilder(dl)
                .setRawValue(null)
                .setDetail(capped(dl.getDetail()) + cut)
                .build();
    }

    /**
     * Why a record could not be decoded. With {@code redact} a parser's message is left out: it can
     * quote the input (Jackson: {@code Unrecognized token 'nancy'} for an unquoted id or e-mail
     * address), and an undecodable record keeps nothing of its content but hash and length; the
     * exception type and, for JSON, the line and column remain. The doors' own messages ({@link
     * AvroBounds}, {@link DoorJson}) name fields and sizes only, and are kept.
     */
    public static String undecodableDetail(Exception e, boolean redact) {
        if (e instanceof AvroBounds.MalformedException || e instanceof DoorJson.BadShapeException) {
            return e.getMessage();
        }
        String type = e.getClass().getSimpleName();
        if (!redact) {
            return type + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null) {
            return type + " at line " + j.getLocation().getLineNr() + ", column "
                    + j.getLocation().getColumnNr() + " (message left out: dlq.redact)";
        }
        return type + " (message left out: dlq.redact)";
    }

    /** Values a detail may quote: short names of zones, categories and topics, nothing like an e-mail address. */
    private static final java.util.regex.Pattern SAFE_TO_QUOTE =
            java.util.regex.Pattern.compile("[A-Za-z0-9_+\\-/:.]{1,64}");

    /**
     * A value as a detail quotes it: {@code 'Mars/Olympus'}; with {@code redact}, a value that does
     * not look like a zone, category or topic name (it could be anything a producer put there, an
     * e-mail address say) is described by its length instead.
     */
    public static String quoted(String value, boolean redact) {
        if (!redact || SAFE_TO_QUOTE.matcher(value).matches()) {
            return "'" + value + "'";
        }
        return "(" + value.length() + " characters, not quoted: dlq.redact)";
    }

    /** @return {@code value} when a detail could quote it ({@link #quoted}), else null */
    public static String safeOrNull(String value) {
        return value != null && SAFE_TO_QUOTE.matcher(value).matches() ? value : null;
    }

    /** @return {@code detail} cut to {@link #MAX_DETAIL} characters */
    static String capped(String detail) {
        return detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL - 1) + "…";
    }

    /** @return the lowercase hex SHA-256 of {@code raw} */
    public static String sha256(byte[] raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A dead letter for an event that the job already decoded: its value is the event re-encoded as
     * its input schema without PII ({@code user_id} empty; the other PII fields never got past the
     * door), {@code event_id} replaced by {@code idHasher}'s HMAC when given ({@code --dlq.redact});
     * {@code raw_sha256} and {@code raw_length} describe that value.
     *
     * @param idHasher the pseudonymizer of the job's key, or null to keep {@code event_id} as it is
     */
    public static SourceRecord of(
            AttentionEvent e, DeadLetterReason reason, String detail, long nowMs, Pseudonymizer idHasher) {
        String eventId =
                idHasher == null || e.getEventId() == null ? e.getEventId() : idHasher.pseudonym(e.getEventId());
        boolean heartbeat = e.getKind() == EventKind.HEARTBEAT;
        byte[] value = AvroRecordSerializer.encode(
                e.getKind() == EventKind.CLICK
                        ? ClickEvent.newBuilder()
                                .setEventId(eventId)
                                .setUserId("")
                                .setEventTime(Instant.ofEpochMilli(e.getEventTime()))
                                .setEventType(e.getEventType())
                                .setItemId(e.getItemId())
                                .setTopics(e.getTopics())
                                .setTimeZone(e.getTimeZone())
                                .setViewId(e.getViewId())
                                .build()
                        : DwellEvent.newBuilder()
                                .setEventId(eventId)
                                .setUserId("")
                                .setEventTime(Instant.ofEpochMilli(e.getEventTime()))
                                .setItemId(e.getItemId())
                                .setKind(heartbeat ? DwellKind.HEARTBEAT : DwellKind.DWELL)
                                .setDwellMs(heartbeat ? null : e.getDwellMs())
                                .setScrollDepthPct(e.getScrollDepthPct())
                                .setVisible(e.getVisible())
                                .setTopics(e.getTopics())
                                .setTimeZone(e.getTimeZone())
                                .setViewId(e.getViewId())
                                .build());
        DeadLetter dl = DeadLetter.newBuilder()
                .setSourceTopic(e.getSourceTopic())
                .setPartition(e.getSourcePartition())
                .setOffset(e.getSourceOffset())
                .setReason(reason)
                .setDetail(capped(detail))
                .setRawValue(ByteBuffer.wrap(value))
                .setRawSha256(sha256(value))
                .setRawLength(value.length)
                .setObservedAt(Instant.ofEpochMilli(nowMs))
                .build();
        return SourceRecord.newBuilder()
                .setDeadLetter(dl)
                .setDeadLetterKey(e.getUser())
                .build();
    }
}
