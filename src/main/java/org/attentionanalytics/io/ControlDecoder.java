package org.attentionanalytics.io;

import static org.attentionanalytics.io.DoorJson.instant;
import static org.attentionanalytics.io.DoorJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecordBase;
import org.attentionanalytics.avro.AttentionBudget;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.ErasureRequest;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.privacy.Pseudonymizer;

/**
 * The door of the two control topics (DESIGN.md sections 2, 3 and 9): turns one record of {@code
 * attention-budgets} ({@link AttentionBudget}) or {@code privacy-requests} ({@link ErasureRequest})
 * into a {@link SourceRecord} holding either a clean {@link AttentionEvent} of kind {@code BUDGET}
 * or {@code ERASURE}, or a {@link org.attentionanalytics.avro.DeadLetter}. It never throws for any input. The raw user id is
 * pseudonymized here and kept nowhere after it.
 *
 * <p>Output. BUDGET: {@code event_id} = {@code "budget:"} + {@link #budgetId} (a hash over the
 * pseudonym and the budget's fields, never over the raw user id), {@code event_time} = {@code
 * updated_at}, {@code time_zone}, {@code budget_minutes} (category -> daily minutes), {@code
 * alerts_enabled}. ERASURE: {@code event_id} = {@code request_id}, {@code event_time} = {@code
 * requested_at}. Both carry the pseudonym in {@code user} and where they were read ({@code
 * source_*}); {@code item_id} is null and {@code topics} empty.
 *
 * <p>Checks, in order, each a dead letter with the reason of {@link DeadLetterReason} (the set of
 * DESIGN.md section 3 is kept; where no reason fits exactly, the closest is used and {@code detail}
 * says so):
 *
 * <ul>
 *   <li>{@code FIELD_TOO_LARGE}: a value above {@code --limits.record-bytes}, checked first; after
 *       decoding, ids, categories (count and length) and the zone above the {@link DoorLimits};
 *   <li>{@code UNDECODABLE}: not Avro single-object encoding (or not a JSON object with {@code
 *       --input-format json}), truncated or corrupt, lengths or counts the bytes cannot hold
 *       ({@link AvroBounds}), trailing bytes, a JSON field of the wrong type, a JSON time that
 *       timestamp-millis cannot hold, no value;
 *   <li>{@code UNKNOWN_SCHEMA}: a writer schema fingerprint the job does not ship (an event's
 *       schema on a control topic is one);
 *   <li>{@code MISSING_FIELD}: empty {@code user_id}, empty {@code request_id}, a JSON record
 *       without {@code user_id}, {@code updated_at}/{@code requested_at} or {@code request_id};
 *   <li>{@code NEGATIVE_DWELL}: a budget of fewer than 0 minutes for a category (no reason names
 *       budgets; a negative duration is what NEGATIVE_DWELL means, and {@code detail} says it is
 *       a budget); {@code DWELL_TOO_LONG}: a budget above {@value #MAX_BUDGET_MINUTES} minutes (a
 *       day), likewise;
 *   <li>{@code FUTURE_TIMESTAMP}: {@code updated_at} or {@code requested_at} more than {@code
 *       maxFutureMs} ahead of the processing clock, as for events;
 *   <li>{@code TOO_LATE}: a time before 1970 ({@link EventDecoder#EARLIEST_TIME_MS});
 *   <li>{@code INVALID_TIME_ZONE}: a budget's {@code time_zone} that is not an IANA zone id ({@link
 *       TimeZones}).
 * </ul>
 *
 * <p>Dead letters are keyed by the pseudonym of the value's {@code user_id}, else of the Kafka key.
 * With {@code redact} a decodable record is re-encoded with {@code user_id} emptied (the only PII
 * field of these two schemas); an undecodable one keeps only hash and length, as for events.
 */
public final class ControlDecoder implements DoorDecoder {
  private static final long serialVersionUID = 2L;

  /** Largest daily budget of one category, in minutes: a day has 1,440 (24 h; 1,500 on a 25-hour day is not needed). */
  public static final long MAX_BUDGET_MINUTES = 1_440;

  private final EventKind kind;
  private final EventDecoder.Format format;
  private final long maxFutureMs;
  private final String keyFile;
  private final boolean redact;
  private DoorLimits limits = DoorLimits.DEFAULTS;
  private List<String> writerSchemas = List.of();

  private transient Pseudonymizer pseudonymizer;
  private transient SingleObjectReader<? extends SpecificRecordBase> avro;
  private transient ObjectMapper json;

  /**
   * @param kind BUDGET for {@code attention-budgets}, ERASURE for {@code privacy-requests}
   * @param format {@code --input-format}
   * @param maxFutureMs records stamped later than processing time plus this are dead letters
   * @param keyFile pseudonym key file, or null for the environment variable
   * @param redact strip PII from dead letters ({@code --dlq.redact})
   * @throws IllegalArgumentException for a kind other than BUDGET or ERASURE
   */
  public ControlDecoder(EventKind kind, EventDecoder.Format format, long maxFutureMs, String keyFile, boolean redact) {
    if (kind != EventKind.BUDGET && kind != EventKind.ERASURE) {
      throw new IllegalArgumentException("not a control kind: " + kind);
    }
    this.kind = kind;
    this.format = format;
    this.maxFutureMs = maxFutureMs;
    this.keyFile = keyFile;
    this.redact = redact;
  }

  /** @return this decoder with {@code limits} instead of {@link DoorLimits#DEFAULTS} */
  public ControlDecoder withLimits(DoorLimits limits) {
    this.limits = limits;
    return this;
  }

  /** @return this decoder, accepting these further writer schemas of its record ({@link WriterSchemas}) */
  public ControlDecoder withWriterSchemas(List<String> schemas) {
    this.writerSchemas = List.copyOf(schemas);
    return this;
  }

  @Override
  public void open() {
    pseudonymizer = new Pseudonymizer(Pseudonymizer.loadKey(keyFile));
    json = DoorJson.mapper(limits.recordBytes());
    avro = kind == EventKind.BUDGET
        ? new SingleObjectReader<>(AttentionBudget.class, WriterSchemas.named(writerSchemas, AttentionBudget.getClassSchema()))
        : new SingleObjectReader<>(ErasureRequest.class, WriterSchemas.named(writerSchemas, ErasureRequest.getClassSchema()));
  }

  @Override
  public SourceRecord decode(String topic, int partition, long offset, byte[] key, byte[] value, long nowMs) {
    try {
      return decodeOrThrow(topic, partition, offset, key, value, nowMs);
    } catch (RuntimeException | StackOverflowError e) {
      // Not expected after the checks; a door must never stop the job.
      return dead(topic, partition, offset, keyPseudonym(key), value, null, DeadLetterReason.UNDECODABLE,
          "unexpected " + e.getClass().getSimpleName(), nowMs);
    }
  }

  private SourceRecord decodeOrThrow(String topic, int partition, long offset, byte[] key, byte[] value, long nowMs) {
    String tooLarge = limits.recordSize(value);
    if (tooLarge != null) {
      return dead(topic, partition, offset, keyPseudonym(key), value, null, DeadLetterReason.FIELD_TOO_LARGE, tooLarge, nowMs);
    }
    SpecificRecordBase record;
    try {
      record = value == null ? null : format == EventDecoder.Format.AVRO ? avro.read(value) : fromJson(value);
    } catch (SingleObjectReader.UnknownSchemaException e) {
      return dead(topic, partition, offset, keyPseudonym(key), value, null, DeadLetterReason.UNKNOWN_SCHEMA,
          "unknown writer schema fingerprint (a producer's schema the job does not know: --writer-schemas)", nowMs);
    } catch (MissingFieldException e) {
      return dead(topic, partition, offset, keyPseudonym(key), value, null, DeadLetterReason.MISSING_FIELD,
          e.getMessage(), nowMs);
    } catch (Exception e) {
      return dead(topic, partition, offset, keyPseudonym(key), value, null, DeadLetterReason.UNDECODABLE,
          DeadLetters.undecodableDetail(e, redact), nowMs);
    }
    if (record == null) {
      return dead(topic, partition, offset, keyPseudonym(key), value, null, DeadLetterReason.UNDECODABLE, "no value", nowMs);
    }
    return record instanceof AttentionBudget b
        ? budget(topic, partition, offset, key, value, b, nowMs)
        : erasure(topic, partition, offset, key, value, (ErasureRequest) record, nowMs);
  }

  private SourceRecord budget(String topic, int partition, long offset, byte[] key, byte[] value, AttentionBudget b,
      long nowMs) {
    String tooLarge = DoorLimits.first(limits.id("user_id", b.getUserId()),
        limits.topics("budgets", b.getBudgets()), limits.string("time_zone", b.getTimeZone()));
    if (tooLarge != null) {
      String user = b.getUserId() == null || b.getUserId().isEmpty() ? keyPseudonym(key) : pseudonymizer.pseudonym(b.getUserId());
      return dead(topic, partition, offset, user, value, b, DeadLetterReason.FIELD_TOO_LARGE, tooLarge, nowMs);
    }
    if (b.getUserId() == null || b.getUserId().isEmpty()) {
      return dead(topic, partition, offset, keyPseudonym(key), value, b, DeadLetterReason.MISSING_FIELD, "user_id is empty", nowMs);
    }
    String user = pseudonymizer.pseudonym(b.getUserId());
    Map<String, Long> minutes = new TreeMap<>(b.getBudgets());
    for (Map.Entry<String, Long> m : minutes.entrySet()) {
      if (m.getValue() < 0) {
        return dead(topic, partition, offset, user, value, b, DeadLetterReason.NEGATIVE_DWELL,
            "budget for category " + DeadLetters.quoted(m.getKey(), redact) + " is " + m.getValue() + " minutes < 0 (NEGATIVE_DWELL is the closest "
                + "reason: a negative duration)", nowMs);
      }
      if (m.getValue() > MAX_BUDGET_MINUTES) {
        return dead(topic, partition, offset, user, value, b, DeadLetterReason.DWELL_TOO_LONG,
            "budget for category " + DeadLetters.quoted(m.getKey(), redact) + " is " + m.getValue() + " minutes > " + MAX_BUDGET_MINUTES
                + " (a day; DWELL_TOO_LONG is the closest reason: a duration too long)", nowMs);
      }
    }
    long at = b.getUpdatedAt().toEpochMilli();
    if (at > EventDecoder.saturatedAdd(nowMs, maxFutureMs)) {
      return dead(topic, partition, offset, user, value, b, DeadLetterReason.FUTURE_TIMESTAMP,
          "updated_at " + b.getUpdatedAt() + " is more than " + maxFutureMs / 1000 + " s ahead of the processing clock", nowMs);
    }
    if (at < EventDecoder.EARLIEST_TIME_MS) {
      return dead(topic, partition, offset, user, value, b, DeadLetterReason.TOO_LATE,
          EventDecoder.beforeEarliest("updated_at", at), nowMs);
    }
    String zone = b.getTimeZone();
    if (zone != null && !TimeZones.isIana(zone)) {
      return dead(topic, partition, offset, user, value, b, DeadLetterReason.INVALID_TIME_ZONE,
          "time_zone " + DeadLetters.quoted(zone, redact) + " is not an IANA zone id", nowMs);
    }
    AttentionEvent e = AttentionEvent.newBuilder().setKind(EventKind.BUDGET)
        .setEventId("budget:" + budgetId(user, zone, minutes, b.getAlertsEnabled(), at))
        .setUser(user).setEventTime(at).setTimeZone(zone).setBudgetMinutes(minutes)
        .setAlertsEnabled(b.getAlertsEnabled())
        .setSourceTopic(topic).setSourcePartition(partition).setSourceOffset(offset).build();
    return SourceRecord.newBuilder().setEvent(e).build();
  }

  private SourceRecord erasure(String topic, int partition, long offset, byte[] key, byte[] value, ErasureRequest r,
      long nowMs) {
    String tooLarge = DoorLimits.first(limits.id("user_id", r.getUserId()), limits.id("request_id", r.getRequestId()));
    if (tooLarge != null) {
      String user = r.getUserId() == null || r.getUserId().isEmpty() ? keyPseudonym(key) : pseudonymizer.pseudonym(r.getUserId());
      return dead(topic, partition, offset, user, value, r, DeadLetterReason.FIELD_TOO_LARGE, tooLarge, nowMs);
    }
    if (r.getUserId() == null || r.getUserId().isEmpty()) {
      return dead(topic, partition, offset, keyPseudonym(key), value, r, DeadLetterReason.MISSING_FIELD, "user_id is empty", nowMs);
    }
    String user = pseudonymizer.pseudonym(r.getUserId());
    if (r.getRequestId() == null || r.getRequestId().isEmpty()) {
      return dead(topic, partition, offset, user, value, r, DeadLetterReason.MISSING_FIELD, "request_id is empty", nowMs);
    }
    long at = r.getRequestedAt().toEpochMilli();
    if (at > EventDecoder.saturatedAdd(nowMs, maxFutureMs)) {
      return dead(topic, partition, offset, user, value, r, DeadLetterReason.FUTURE_TIMESTAMP,
          "requested_at " + r.getRequestedAt() + " is more than " + maxFutureMs / 1000 + " s ahead of the processing clock", nowMs);
    }
    if (at < EventDecoder.EARLIEST_TIME_MS) {
      return dead(topic, partition, offset, user, value, r, DeadLetterReason.TOO_LATE,
          EventDecoder.beforeEarliest("requested_at", at), nowMs);
    }
    AttentionEvent e = AttentionEvent.newBuilder().setKind(EventKind.ERASURE).setEventId(r.getRequestId())
        .setUser(user).setEventTime(at)
        .setSourceTopic(topic).setSourcePartition(partition).setSourceOffset(offset).build();
    return SourceRecord.newBuilder().setEvent(e).build();
  }

  /**
   * The id part of a BUDGET event: the first 16 bytes of SHA-256 over the pseudonym and the
   * budget's fields ({@code <user>|<updated_at ms>|<zone or empty>|<alerts_enabled>|cat=min;...}
   * with categories sorted), as 32 lowercase hex characters. The same budget gets the same id on
   * every read and replay; the raw user id is not an input, so the id reveals nothing the pseudonym
   * does not.
   */
  public static String budgetId(String user, String zone, Map<String, Long> minutes, boolean alertsEnabled, long updatedAtMs) {
    StringBuilder s = new StringBuilder(user).append('|').append(updatedAtMs).append('|')
        .append(zone == null ? "" : zone).append('|').append(alertsEnabled).append('|');
    new TreeMap<>(minutes).forEach((c, m) -> s.append(c).append('=').append(m).append(';'));
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private String keyPseudonym(byte[] key) {
    return key == null || key.length == 0 ? null : pseudonymizer.pseudonym(new String(key, StandardCharsets.UTF_8));
  }

  private SourceRecord dead(String topic, int partition, long offset, String user, byte[] value,
      SpecificRecordBase record, DeadLetterReason reason, String detail, long nowMs) {
    ByteBuffer kept = null;
    if (!redact) {
      kept = value == null ? null : ByteBuffer.wrap(value);
    } else if (record != null) {
      kept = redacted(record);
    }
    return DeadLetters.atDoor(topic, partition, offset, user, value, kept, reason, detail, nowMs);
  }

  /**
   * Re-encodes a decoded record with {@code user_id} emptied, an erasure's {@code request_id}
   * replaced by its HMAC under the pseudonym key, as events' ids are (DESIGN.md section 3), and a
   * budget's categories and zone kept only where they look like names ({@link DeadLetters#quoted}).
   */
  private ByteBuffer redacted(SpecificRecordBase record) {
    try {
      SpecificRecordBase r;
      if (record instanceof AttentionBudget b) {
        Map<String, Long> named = new TreeMap<>(); // a category that is no name (an e-mail address, say) is left out
        b.getBudgets().forEach((category, minutes) -> {
          if (DeadLetters.safeOrNull(category) != null) {
            named.put(category, minutes);
          }
        });
        r = AttentionBudget.newBuilder(b).setUserId("").setBudgets(named)
            .setTimeZone(DeadLetters.safeOrNull(b.getTimeZone())).build();
      } else {
        ErasureRequest e = (ErasureRequest) record;
        r = ErasureRequest.newBuilder(e).setUserId("")
            .setRequestId(e.getRequestId() == null ? null : pseudonymizer.pseudonym(e.getRequestId())).build();
      }
      if (format == EventDecoder.Format.JSON) {
        return ByteBuffer.wrap(r.toString().getBytes(StandardCharsets.UTF_8));
      }
      return ByteBuffer.wrap(AvroRecordSerializer.encode(r));
    } catch (Exception e) {
      return null;
    }
  }

  // ---- JSON input ----

  private SpecificRecordBase fromJson(byte[] value) throws Exception {
    JsonNode n = json.readTree(value);
    if (n == null || !n.isObject()) {
      throw new DoorJson.BadShapeException("not a JSON object");
    }
    String userId = text(n, "user_id");
    if (kind == EventKind.BUDGET) {
      Instant at = instant(n, "updated_at");
      if (userId == null || at == null) {
        throw new MissingFieldException("user_id and updated_at are required");
      }
      Map<String, Long> budgets = new TreeMap<>();
      JsonNode map = n.get("budgets");
      if (map != null && !map.isNull()) {
        if (!map.isObject()) {
          throw new DoorJson.BadShapeException("budgets is not an object of category -> minutes");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> f = it.next();
          if (!f.getValue().isIntegralNumber() || !f.getValue().canConvertToLong()) {
            throw new DoorJson.BadShapeException("budgets." + (!redact || DeadLetters.safeOrNull(f.getKey()) != null
                ? f.getKey() : DeadLetters.quoted(f.getKey(), true)) + " is not a whole number of minutes");
          }
          budgets.put(f.getKey(), f.getValue().asLong());
        }
      }
      JsonNode alerts = n.get("alerts_enabled");
      if (alerts != null && !alerts.isNull() && !alerts.isBoolean()) {
        throw new DoorJson.BadShapeException("alerts_enabled is not a boolean");
      }
      return AttentionBudget.newBuilder().setUserId(userId).setTimeZone(text(n, "time_zone")).setBudgets(budgets)
          .setAlertsEnabled(alerts == null || alerts.isNull() || alerts.asBoolean()).setUpdatedAt(at).build();
    }
    String requestId = text(n, "request_id");
    Instant at = instant(n, "requested_at");
    if (userId == null || requestId == null || at == null) {
      throw new MissingFieldException("request_id, user_id and requested_at are required");
    }
    return ErasureRequest.newBuilder().setRequestId(requestId).setUserId(userId).setRequestedAt(at).build();
  }

  /** A required field is absent from a JSON record. */
  private static final class MissingFieldException extends Exception {
    MissingFieldException(String message) {
      super(message, null, false, false);
    }
  }
}
