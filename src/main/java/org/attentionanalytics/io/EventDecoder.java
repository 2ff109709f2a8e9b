package org.attentionanalytics.io;

import static org.attentionanalytics.io.DoorJson.instant;
import static org.attentionanalytics.io.DoorJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
 * The door of {@code clickstream} and {@code dwell-time}: turns one Kafka record into a {@link
 * SourceRecord} holding either a clean {@link AttentionEvent} (pseudonymized, PII dropped), a
 * {@link DeadLetter} with its reason, or a bot marker. It never throws for any input.
 *
 * <p>Order of checks (DESIGN.md sections 2-4; README, Bad input): the record's size ({@code
 * FIELD_TOO_LARGE}, {@link DoorLimits}); decoding ({@code UNDECODABLE}: not the input format,
 * truncated or corrupt, lengths or counts the bytes cannot hold ({@link AvroBounds}), trailing
 * bytes, a JSON timestamp timestamp-millis cannot hold; an unknown writer schema fingerprint is
 * {@code UNKNOWN_SCHEMA}); the size of ids, topics and strings ({@code FIELD_TOO_LARGE}); required
 * fields ({@code MISSING_FIELD}); bots ({@link BotRules}); dwell ({@code NEGATIVE_DWELL}, {@code
 * DWELL_TOO_LONG} above 4 h); {@code FUTURE_TIMESTAMP} (more than {@code maxFutureMs} ahead of the
 * processing clock); {@code TOO_LATE} (before {@link #EARLIEST_TIME_MS}); {@code INVALID_TIME_ZONE} (not an IANA id, {@link TimeZones}).
 *
 * <p>Values are Avro single-object encoded, resolved against the reader schema from the job's own
 * writer schema or one given with {@link #withWriterSchemas}; or JSON objects with the schema's
 * field names ({@code event_time} as epoch milliseconds or ISO-8601). With {@code redact} a dead
 * letter carries the record re-encoded without the PII fields (and without query strings in
 * url/referrer; {@code event_id} replaced by its HMAC under the pseudonym key), or no value at all
 * when it could not be decoded; its key is the pseudonym of the
 * user id, taken from the value or else from the Kafka key (the raw user id).
 */
public final class EventDecoder implements DoorDecoder {
  private static final long serialVersionUID = 2L;

  /**
   * Earliest time a record may carry, ms since epoch: 1970-01-01T00:00:00Z. No tracker sends
   * earlier times, and times near the smallest long would make event-time arithmetic (watermarks,
   * day boundaries, trend hours) wrap around; earlier ones are {@code TOO_LATE} dead letters.
   */
  public static final long EARLIEST_TIME_MS = 0;

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
  private DoorLimits limits = DoorLimits.DEFAULTS;
  private List<String> writerSchemas = List.of();

  private transient Pseudonymizer pseudonymizer;
  private transient BotRules botRules;
  private transient SingleObjectReader<? extends SpecificRecordBase> avro;
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

  /** @return this decoder with {@code limits} instead of {@link DoorLimits#DEFAULTS} */
  public EventDecoder withLimits(DoorLimits limits) {
    this.limits = limits;
    return this;
  }

  /**
   * @param schemas further writer schemas (Avro schema JSON) of this door's record to accept, e.g.
   *     a producer's newer {@code ClickEvent} ({@code --writer-schemas}); others are ignored
   * @return this decoder
   */
  public EventDecoder withWriterSchemas(List<String> schemas) {
    this.writerSchemas = List.copyOf(schemas);
    return this;
  }

  /** Loads the key and the bot rules. Call once before {@link #decode}. */
  @Override
  public void open() {
    pseudonymizer = new Pseudonymizer(Pseudonymizer.loadKey(keyFile));
    botRules = BotRules.load(botRulesFile);
    json = DoorJson.mapper(limits.recordBytes());
    validZones = new HashSet<>();
    avro = kind == EventKind.CLICK
        ? new SingleObjectReader<>(ClickEvent.class, WriterSchemas.named(writerSchemas, ClickEvent.getClassSchema()))
        : new SingleObjectReader<>(DwellEvent.class, WriterSchemas.named(writerSchemas, DwellEvent.getClassSchema()));
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
    try {
      return decodeOrThrow(topic, partition, offset, key, value, nowMs);
    } catch (RuntimeException | StackOverflowError e) {
      // Not expected after the checks above; a door must never stop the job.
      return dead(topic, partition, offset, key, value, null, DeadLetterReason.UNDECODABLE,
          "unexpected " + e.getClass().getSimpleName(), nowMs);
    }
  }

  private SourceRecord decodeOrThrow(String topic, int partition, long offset, byte[] key, byte[] value, long nowMs) {
    String tooLarge = limits.recordSize(value);
    if (tooLarge != null) {
      return dead(topic, partition, offset, key, value, null, DeadLetterReason.FIELD_TOO_LARGE, tooLarge, nowMs);
    }
    SpecificRecordBase record;
    try {
      record = value == null ? null : format == Format.AVRO ? avro.read(value) : fromJson(value);
    } catch (SingleObjectReader.UnknownSchemaException e) {
      return dead(topic, partition, offset, key, value, null, DeadLetterReason.UNKNOWN_SCHEMA,
          "unknown writer schema fingerprint (a producer's schema the job does not know: --writer-schemas)", nowMs);
    } catch (MissingFieldException e) {
      return dead(topic, partition, offset, key, value, null, DeadLetterReason.MISSING_FIELD, e.getMessage(), nowMs);
    } catch (Exception e) {
      return dead(topic, partition, offset, key, value, null, DeadLetterReason.UNDECODABLE, DeadLetters.undecodableDetail(e, redact), nowMs);
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
    String tooLarge;
    if (record instanceof ClickEvent c) {
      userId = c.getUserId();
      userAgent = c.getUserAgent();
      tooLarge = DoorLimits.first(limits.id("event_id", c.getEventId()), limits.id("user_id", c.getUserId()),
          limits.id("item_id", c.getItemId()), limits.topics("topics", c.getTopics()),
          limits.string("url", c.getUrl()), limits.string("referrer", c.getReferrer()),
          limits.string("search_query", c.getSearchQuery()), limits.string("device_id", c.getDeviceId()),
          limits.string("user_agent", c.getUserAgent()), limits.string("ip", c.getIp()),
          limits.string("time_zone", c.getTimeZone()));
      e.setEventId(c.getEventId()).setEventTime(c.getEventTime().toEpochMilli())
          .setEventType(c.getEventType()).setItemId(c.getItemId()).setTopics(c.getTopics())
          .setTimeZone(c.getTimeZone());
    } else {
      DwellEvent d = (DwellEvent) record;
      userId = d.getUserId();
      userAgent = d.getUserAgent();
      tooLarge = DoorLimits.first(limits.id("event_id", d.getEventId()), limits.id("user_id", d.getUserId()),
          limits.id("item_id", d.getItemId()), limits.topics("topics", d.getTopics()),
          limits.string("user_agent", d.getUserAgent()), limits.string("time_zone", d.getTimeZone()));
      e.setEventId(d.getEventId()).setEventTime(d.getEventTime().toEpochMilli())
          .setEventType(EventType.OTHER).setItemId(d.getItemId()).setTopics(d.getTopics())
          .setDwellMs(d.getDwellMs()).setScrollDepthPct(d.getScrollDepthPct()).setVisible(d.getVisible())
          .setTimeZone(d.getTimeZone());
    }
    if (tooLarge != null) {
      String user = userId == null || userId.isEmpty() ? keyPseudonym(key) : pseudonymizer.pseudonym(userId);
      return dead(topic, partition, offset, user, value, record, DeadLetterReason.FIELD_TOO_LARGE, tooLarge, nowMs);
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
    if (e.getEventTime() > saturatedAdd(nowMs, maxFutureMs)) {
      return dead(topic, partition, offset, user, value, record, DeadLetterReason.FUTURE_TIMESTAMP,
          "event_time " + Instant.ofEpochMilli(e.getEventTime()) + " is more than " + maxFutureMs / 1000
              + " s ahead of the processing clock", nowMs);
    }
    if (e.getEventTime() < EARLIEST_TIME_MS) {
      return dead(topic, partition, offset, user, value, record, DeadLetterReason.TOO_LATE,
          beforeEarliest("event_time", e.getEventTime()), nowMs);
    }
    String zone = e.getTimeZone();
    if (zone != null && !validZones.contains(zone)) {
      if (!TimeZones.isIana(zone)) {
        return dead(topic, partition, offset, user, value, record, DeadLetterReason.INVALID_TIME_ZONE,
            "time_zone " + DeadLetters.quoted(zone, redact) + " is not an IANA zone id", nowMs);
      }
      if (validZones.size() < 10_000) {
        validZones.add(zone);
      }
    }
    return SourceRecord.newBuilder().setEvent(e.setUser(user).build()).build();
  }

  /** The detail of a time before {@link #EARLIEST_TIME_MS}. */
  static String beforeEarliest(String field, long timeMs) {
    return field + " " + Instant.ofEpochMilli(timeMs) + " is before 1970-01-01T00:00:00Z, the earliest time the job accepts";
  }

  /** @return {@code a + b}, or {@link Long#MAX_VALUE} where it would overflow */
  public static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
  }

  private String keyPseudonym(byte[] key) {
    return key == null || key.length == 0 ? null : pseudonymizer.pseudonym(new String(key, StandardCharsets.UTF_8));
  }

  private SourceRecord dead(String topic, int partition, long offset, byte[] key, byte[] value,
      SpecificRecordBase record, DeadLetterReason reason, String detail, long nowMs) {
    return dead(topic, partition, offset, keyPseudonym(key), value, record, reason, detail, nowMs);
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

  /** @return the HMAC of an id under the pseudonym key, as a pseudonym is made; null for null */
  private String hashedId(String id) {
    return id == null ? null : pseudonymizer.pseudonym(id);
  }

  /**
   * Re-encodes a decoded record without the seven PII fields and with {@code event_id} replaced by
   * its HMAC (an event id can embed a user id; DESIGN.md section 3).
   */
  private ByteBuffer redacted(SpecificRecordBase record) {
    try {
      if (record instanceof ClickEvent c) {
        ClickEvent r = ClickEvent.newBuilder(c).setEventId(hashedId(c.getEventId())).setTimeZone(DeadLetters.safeOrNull(c.getTimeZone()))
            .setUserId("").setIp(null).setUserAgent(null)
            .setSearchQuery(null).setDeviceId(null).setUrl(cutQuery(c.getUrl()))
            .setReferrer(cutQuery(c.getReferrer())).build();
        return format == Format.AVRO ? r.toByteBuffer() : ByteBuffer.wrap(r.toString().getBytes(StandardCharsets.UTF_8));
      }
      DwellEvent d = (DwellEvent) record;
      DwellEvent r = DwellEvent.newBuilder(d).setEventId(hashedId(d.getEventId())).setTimeZone(DeadLetters.safeOrNull(d.getTimeZone()))
          .setUserId("").setUserAgent(null).build();
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

  // ---- JSON input ----

  private SpecificRecordBase fromJson(byte[] value) throws Exception {
    JsonNode n = json.readTree(value);
    if (n == null || !n.isObject()) {
      throw new DoorJson.BadShapeException("not a JSON object");
    }
    String eventId = text(n, "event_id");
    String userId = text(n, "user_id");
    Instant time = instant(n, "event_time");
    if (eventId == null || userId == null || time == null) {
      throw new MissingFieldException("event_id, user_id and event_time are required");
    }
    List<String> topics = DoorJson.textList(n, "topics");
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
    if (!dwell.isIntegralNumber() || !dwell.canConvertToLong()) {
      throw new DoorJson.BadShapeException("dwell_ms is not a whole number of milliseconds");
    }
    Long scroll = DoorJson.wholeNumber(n, "scroll_depth_pct");
    if (scroll != null && (scroll < Integer.MIN_VALUE || scroll > Integer.MAX_VALUE)) {
      throw new DoorJson.BadShapeException("scroll_depth_pct is not an int");
    }
    return DwellEvent.newBuilder().setEventId(eventId).setUserId(userId).setEventTime(time)
        .setItemId(text(n, "item_id")).setDwellMs(dwell.asLong()).setTopics(topics)
        .setScrollDepthPct(scroll == null ? null : scroll.intValue())
        .setVisible(DoorJson.bool(n, "visible"))
        .setTimeZone(text(n, "time_zone")).setUserAgent(text(n, "user_agent")).build();
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
