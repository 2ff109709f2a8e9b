package org.attentionanalytics.io;

import java.nio.ByteBuffer;
import java.time.Instant;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DeadLetter;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.apache.flink.util.OutputTag;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * Dead letters raised after the door (the source's own are built by {@link EventDecoder}), and the
 * side-output tag that carries them to the {@code attention-dlq} sink as {@link SourceRecord}s
 * with {@code dead_letter} and {@code dead_letter_key} (the pseudonym) set.
 */
public final class DeadLetters {
  /** Side output of every operator that rejects records. */
  public static final OutputTag<SourceRecord> TAG =
      new OutputTag<>("dead-letters", new AvroTypeInfo<>(SourceRecord.class));

  private DeadLetters() {}

  /**
   * A dead letter for an event that the job already decoded: its value is the event re-encoded as
   * its input schema without PII ({@code user_id} empty; the other PII fields never got past the
   * door), {@code raw_sha256} and {@code raw_length} describe that value.
   */
  public static SourceRecord of(AttentionEvent e, DeadLetterReason reason, String detail, long nowMs) {
    byte[] value = AvroRecordSerializer.encode(e.getKind() == EventKind.CLICK
        ? ClickEvent.newBuilder().setEventId(e.getEventId()).setUserId("").setEventTime(Instant.ofEpochMilli(e.getEventTime()))
            .setEventType(e.getEventType()).setItemId(e.getItemId()).setTopics(e.getTopics()).setTimeZone(e.getTimeZone()).build()
        : DwellEvent.newBuilder().setEventId(e.getEventId()).setUserId("").setEventTime(Instant.ofEpochMilli(e.getEventTime()))
            .setItemId(e.getItemId()).setDwellMs(e.getDwellMs()).setScrollDepthPct(e.getScrollDepthPct())
            .setVisible(e.getVisible()).setTopics(e.getTopics()).setTimeZone(e.getTimeZone()).build());
    DeadLetter dl = DeadLetter.newBuilder().setSourceTopic(e.getSourceTopic()).setPartition(e.getSourcePartition())
        .setOffset(e.getSourceOffset()).setReason(reason).setDetail(detail).setRawValue(ByteBuffer.wrap(value))
        .setRawSha256(EventDecoder.sha256(value)).setRawLength(value.length)
        .setObservedAt(Instant.ofEpochMilli(nowMs)).build();
    return SourceRecord.newBuilder().setDeadLetter(dl).setDeadLetterKey(e.getUser()).build();
  }
}
