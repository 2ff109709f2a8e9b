package org.attentionanalytics.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DeadLetter;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.privacy.BotRules;
import org.attentionanalytics.privacy.Pseudonymizer;

/**
 * The door: turns one Kafka record of {@code clickstream} or {@code dwell-time} into a {@link
 * SourceRecord} holding either a clean {@link AttentionEvent} (pseudonymized, PII dropped), a
 * {@link DeadLetter} with its reason, or a bot marker. It never throws for any input.
 *
 * <p>Order of checks (DESIGN.md sections 2-4): decoding ({@code UNDECODABLE}; an unknown writer
 * schema fingerprint is {@code UNKNOWN_SCHEMA}), required fields ({@code MISSING_FIELD}: empty
 * {@code event_id} or {@code user_id}, or a JSON record without {@code event_time} or {@code
 * dwell_ms}), bots (user agent matches {@link BotRules}), dwell ({@code NEGATIVE_DWELL}, {@code
 * DWELL_TOO_LONG} above 4 h), {@code FUTURE_TIMESTAMP} (event time more than {@code maxFutureMs}
 * ahead of the processing clock), {@code INVALID_TIME_ZONE}.
 *
 * <p>Values are Avro single-object encoded ({@code C3 01}, CRC-64-AVRO fingerprint, body) and
 * resolved against the reader schema; or JSON objects with the schema's field names ({@code
 * event_time} as epoch milliseconds or ISO-8601). With {@code redact} a dead letter carries the
 * record re-encoded without the PII fields (and without query strings in url/referrer), or no
 * value at all when it could not be decoded; its key is the pseudonym of the user id, taken from
 * the value or else from the Kafka key (the raw user id).
 *
 * <p>After any decoding failure the Avro decoder is replaced by a fresh one, so that a bad record
 * can never leave state behind that corrupts the next one.
 */
public final class EventDecoder implements DoorDecoder {
  private static final long serialVersionUID = 1L;

  /** Longest dwell accepted in one event (DESIGN.md section 3): 4 h. */
  public static final long MAX_DWELL_MS = 4 * 3_600_000L;

  /** Input encodings. */
  public enum Format { AVRO, JSON }

  private final EventKind kind;
  private final Format format;
  private final long maxFutureMs;
  private final String keyFile;
  private final String botRulesFile;
  private final boolean redact;

  private transient Pseudonymizer pseudonymizer;
  private transient BotRules botRules;
  private transient BinaryMessageDecoder<? extends SpecificRecordBase> avroDecoder;
  private transient ObjectMapper json;
  private transient Set<String> validZones;

  /**
   * @param kind CLICK for {@code clickstream}, DWELL for {@code dwell-time}
   * @param maxFutureMs events later than processing time plus this are dead letters
   * @param keyFile pseudonym key file, or null for the environment variable
   * @param botRulesFile bot rules file, or null for the defaults
   * @param redact strip PII from dead letters (DESIGN.md section 3)
   */
  public EventDecoder(EventKind kind, Format format, long maxFutureMs, String keyFile,
      String botRulesFile, boolean redact) {
    this.kind = kind;
    this.format = format;
    this.maxFutureMs = maxFutureMs;
    this.keyFile = keyFile;
    this.botRulesFile = botRulesFile;
    this.redact = redact;
  }

  /** Loads the key and the bot rules. Call once before {@link #decode}. */
  @Override
  public void open() {
    pseudonymizer = new Pseudonymizer(Pseudonymizer.loadKey(keyFile));
    botRules = BotRules.load(botRulesFile);
    json = new ObjectMapper();
    validZones = new HashSet<>();
    avroDecoder = newAvroDecoder();
  }

  private BinaryMessageDecoder<? extends SpecificRecordBase> newAvroDecoder() {
    SchemaStore.Cache store = new SchemaStore.Cache();
    // Every writer schema the job ships resolves against the reader schema; today: the current one.
    if (kind == EventKind.CLICK) {
      store.addSchema(ClickEvent.getClassSchema());
      return new BinaryMessageDecoder<ClickEvent>(SpecificData.getForClass(ClickEvent.class), ClickEvent.getClassSchema(), store);
    }
    store.addSchema(DwellEvent.getClassSchema());
    return new BinaryMessageDecoder<DwellEvent>(SpecificData.getForClass(DwellEvent.class), DwellEvent.getClassSchema(), store);
  }

  /**
   * Decodes and validates one record.
   *
   * @param key the Kafka key (raw user id, UTF-8), may be null
   * @param value the Kafka value, may be null
   * @param nowMs the processing clock, ms since epoch
   * @return never null: exactly one of event, dead letter, or {@code bot = true}
   */
  @Override
  public SourceRecord decode(String topic, int partition, long offset, byte[] key, byte[] value, long nowMs) {
    SpecificRecordBase record;
    try {
      record = value == null ? null : format == Format.AVRO ? avroDecoder.decode(value) : fromJson(value);
    } catch (MissingSchemaException e) {
      avroDecoder = newAvroDecoder();
      return dead(topic, partition, offset, key, value, null, DeadLetterReason.UNKNOWN_SCHEMA,
          "unknown writer schema fingerprint", nowMs);
    } catch (MissingFieldException e) {
      return dead(topic, partition, offset, key, value, null, DeadLetterReason.MISSING_FIELD, e.getMessage(), nowMs);
    } catch (Exception e) {
      avroDecoder = newAvroDecoder();
      return dead(topic, partition, offset, key, value, null, DeadLetterReason.UNDECODABLE, undecodableDetail(e), nowMs);
    }
    if (record == null) {
      return dead(topic, partition, offset, key, value, null, DeadLetterReason.UNDECODABLE, "no value", nowMs);
    }
    return validate(topic, partition, offset, key, value, record, nowMs);
  }

  private SourceRecord validate(String topic, int partition, long offset, byte[] key, byte[] value,
      SpecificRecordBase record, long nowMs) {
    AttentionEvent.Builder e = AttentionEvent.newBuilder().setKind(kind).setSourceTopic(topic)
        .setSourcePartition(partition).setSourceOffset(offset);
    String userId;
    String userAgent;
    if (record instanceof ClickEvent c) {
      userId = c.getUserId();
      userAgent = c.getUserAgent();
      e.setEventId(c.getEventId()).setEventTime(c.getEventTime().toEpochMilli())
          .setEventType(c.getEventType()).setItemId(c.getItemId()).setTopics(c.getTopics())
          .setTimeZone(c.getTimeZone());
    } else {
      DwellEvent d = (DwellEvent) record;
      userId = d.getUserId();
      userAgent = d.getUserAgent();
      e.setEventId(d.getEventId()).setEventTime(d.getEventTime().toEpochMilli())
          .setEventType(EventType.OTHER).setItemId(d.getItemId()).setTopics(d.getTopics())
          .setDwellMs(d.getDwellMs()).setScrollDepthPct(d.getScrollDepthPct()).setVisible(d.getVisible())
          .setTimeZone(d.getTimeZone());
    }
    if (userId == null || userId.isEmpty()) {
      return dead(topic, partition, offset, key, value, record, DeadLetterReason.MISSING_FIELD, "user_id is empty", nowMs);
    }
    String user = pseudonymizer.pseudonym(userId);
    if (e.getEventId() == null || e.getEventId().isEmpty()) {
      return dead(topic, partition, offset, user, value, record, DeadLetterReason.MISSING_FIELD, "event_id is empty", nowMs);
    }
    if (botRules.isBot(userAgent)) {
      return SourceRecord.newBuilder().setBot(true).build();
    }
    if (e.getDwellMs() < 0) {
      return dead(topic, partition, offset, user, value, record, DeadLetterReason.NEGATIVE_DWELL,
          "dwell_ms " + e.getDwellMs() + " < 0", nowMs);
    }
    if (e.getDwellMs() > MAX_DWELL_MS) {
      return dead(topic, partition, offset, user, value, record, DeadLetterReason.DWELL_TOO_LONG,
          "dwell_ms " + e.getDwellMs() + " > 4 h", nowMs);
    }
    if (e.getEventTime() > nowMs + maxFutureMs) {
      return dead(topic, partition, offset, user, value, record, DeadLetterReason.FUTURE_TIMESTAMP,
          "event_time " + Instant.ofEpochMilli(e.getEventTime()) + " is more than " + maxFutureMs / 1000
              + " s ahead of the processing clock", nowMs);
    }
    String zone = e.getTimeZone();
    if (zone != null && !validZones.contains(zone)) {
      try {
        ZoneId.of(zone);
        if (validZones.size() < 10_000) {
          validZones.add(zone);
        }
      } catch (DateTimeException ex) {
        return dead(topic, partition, offset, user, value, record, DeadLetterReason.INVALID_TIME_ZONE,
            "time_zone '" + zone + "' is not an IANA zone id", nowMs);
      }
    }
    return SourceRecord.newBuilder().setEvent(e.setUser(user).build()).build();
  }

  private SourceRecord dead(String topic, int partition, long offset, byte[] key, byte[] value,
      SpecificRecordBase record, DeadLetterReason reason, String detail, long nowMs) {
    String user = key == null || key.length == 0 ? null : pseudonymizer.pseudonym(new String(key, StandardCharsets.UTF_8));
    return dead(topic, partition, offset, user, value, record, reason, detail, nowMs);
  }

  private SourceRecord dead(String topic, int partition, long offset, String user, byte[] value,
      SpecificRecordBase record, DeadLetterReason reason, String detail, long nowMs) {
    byte[] raw = value == null ? new byte[0] : value;
    ByteBuffer kept = null;
    if (!redact) {
      kept = ByteBuffer.wrap(raw);
    } else if (record != null) {
      kept = redacted(record);
    }
    DeadLetter dl = DeadLetter.newBuilder().setSourceTopic(topic).setPartition(partition).setOffset(offset)
        .setReason(reason).setDetail(detail).setRawValue(kept).setRawSha256(sha256(raw))
        .setRawLength(raw.length).setObservedAt(Instant.ofEpochMilli(nowMs)).build();
    return SourceRecord.newBuilder().setDeadLetter(dl).setDeadLetterKey(user).build();
  }

  /**
   * Why a record could not be decoded. With {@code redact} the parser's message is left out: it
   * can quote the input (Jackson: {@code Unrecognized token 'nancy'} for an unquoted id or e-mail
   * address), and an undecodable record keeps nothing of its content but hash and length; the
   * exception type and, for JSON, the line and column remain.
   */
  private String undecodableDetail(Exception e) {
    if (e instanceof BadHeaderException) {
      return "not Avro single-object encoding";
    }
    String type = e.getClass().getSimpleName();
    if (!redact) {
      return type + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null) {
      return type + " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr()
          + " (message left out: dlq.redact)";
    }
    return type + " (message left out: dlq.redact)";
  }

  /** Re-encodes a decoded record without the seven PII fields (DESIGN.md section 3). */
  private ByteBuffer redacted(SpecificRecordBase record) {
    try {
      if (record instanceof ClickEvent c) {
        ClickEvent r = ClickEvent.newBuilder(c).setUserId("").setIp(null).setUserAgent(null)
            .setSearchQuery(null).setDeviceId(null).setUrl(cutQuery(c.getUrl()))
            .setReferrer(cutQuery(c.getReferrer())).build();
        return format == Format.AVRO ? r.toByteBuffer() : ByteBuffer.wrap(r.toString().getBytes(StandardCharsets.UTF_8));
      }
      DwellEvent r = DwellEvent.newBuilder((DwellEvent) record).setUserId("").setUserAgent(null).build();
      return format == Format.AVRO ? r.toByteBuffer() : ByteBuffer.wrap(r.toString().getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      return null;
    }
  }

  static String cutQuery(String url) {
    if (url == null) {
      return null;
    }
    int q = url.indexOf('?');
    int h = url.indexOf('#');
    int cut = q < 0 ? h : h < 0 ? q : Math.min(q, h);
    return cut < 0 ? url : url.substring(0, cut);
  }

  static String sha256(byte[] raw) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- JSON input ----

  private SpecificRecordBase fromJson(byte[] value) throws Exception {
    JsonNode n = json.readTree(value);
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    String eventId = text(n, "event_id");
    String userId = text(n, "user_id");
    Instant time = instant(n, "event_time");
    if (eventId == null || userId == null || time == null) {
      throw new MissingFieldException("event_id, user_id and event_time are required");
    }
    List<String> topics = new ArrayList<>();
    n.path("topics").forEach(t -> topics.add(t.asText()));
    if (kind == EventKind.CLICK) {
      return ClickEvent.newBuilder().setEventId(eventId).setUserId(userId).setEventTime(time)
          .setEventType(eventType(text(n, "event_type"))).setItemId(text(n, "item_id")).setTopics(topics)
          .setUrl(text(n, "url")).setReferrer(text(n, "referrer")).setSearchQuery(text(n, "search_query"))
          .setDeviceId(text(n, "device_id")).setUserAgent(text(n, "user_agent")).setIp(text(n, "ip"))
          .setTimeZone(text(n, "time_zone")).build();
    }
    JsonNode dwell = n.get("dwell_ms");
    if (dwell == null || dwell.isNull()) {
      throw new MissingFieldException("dwell_ms is required");
    }
    JsonNode scroll = n.get("scroll_depth_pct");
    JsonNode visible = n.get("visible");
    return DwellEvent.newBuilder().setEventId(eventId).setUserId(userId).setEventTime(time)
        .setItemId(text(n, "item_id")).setDwellMs(dwell.asLong()).setTopics(topics)
        .setScrollDepthPct(scroll == null || scroll.isNull() ? null : scroll.asInt())
        .setVisible(visible == null || visible.isNull() ? null : visible.asBoolean())
        .setTimeZone(text(n, "time_zone")).setUserAgent(text(n, "user_agent")).build();
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Instant instant(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isNumber()) {
      if (!v.isIntegralNumber() || !v.canConvertToLong()) {
        throw new IllegalArgumentException(field + " " + v + " is not epoch milliseconds");
      }
      return Instant.ofEpochMilli(v.asLong());
    }
    return Instant.parse(v.asText());
  }

  private static EventType eventType(String s) {
    if (s == null) {
      return EventType.OTHER;
    }
    try {
      return EventType.valueOf(s);
    } catch (IllegalArgumentException e) {
      return EventType.OTHER; // forward compatibility, as the Avro enum default
    }
  }

  /** A required field is absent from a JSON record. */
  private static final class MissingFieldException extends Exception {
    MissingFieldException(String message) {
      super(message, null, false, false);
    }
  }

}
