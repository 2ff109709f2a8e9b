package org.attentionanalytics.io;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What a valid input record may carry, checked at every door (events, control records, catalog):
 * a record or field above a limit is a {@code FIELD_TOO_LARGE} dead letter. The limits keep one
 * record from filling a user's state or an output record beyond what Kafka accepts (three
 * events with a 450 KB topic each made a 1.35 MB interest vector). Each is a job option
 * ({@code --limits.*}); the defaults are far above real traffic.
 *
 * <p>The checks return a detail for the dead letter, or null when the value is within the limit.
 * Details name the field and the size, never the value.
 *
 * @param recordBytes largest Kafka value, in bytes ({@code --limits.record-bytes})
 * @param idLength longest {@code event_id}, {@code user_id}, {@code item_id}, {@code request_id},
 *     in characters ({@code --limits.id-length})
 * @param topicLength longest topic or category name, in characters ({@code --limits.topic-length})
 * @param topics most topics of one event or catalog profile, most categories of one budget
 *     ({@code --limits.topics})
 * @param stringLength longest other string ({@code url}, {@code referrer}, {@code user_agent},
 *     {@code search_query}, {@code device_id}, {@code ip}, {@code time_zone}), in characters
 *     ({@code --limits.string-length})
 */
public record DoorLimits(int recordBytes, int idLength, int topicLength, int topics, int stringLength)
        implements Serializable {

    public static final int DEFAULT_RECORD_BYTES = 262_144;
    public static final int DEFAULT_ID_LENGTH = 256;
    public static final int DEFAULT_TOPIC_LENGTH = 256;
    public static final int DEFAULT_TOPICS = 100;
    public static final int DEFAULT_STRING_LENGTH = 8_192;

    /** The defaults of the {@code --limits.*} options: 256 KiB, 256, 256, 100 and 8,192. */
    public static final DoorLimits DEFAULTS = new DoorLimits(
            DEFAULT_RECORD_BYTES, DEFAULT_ID_LENGTH, DEFAULT_TOPIC_LENGTH, DEFAULT_TOPICS, DEFAULT_STRING_LENGTH);

    /** @throws IllegalArgumentException when a limit is not positive */
    public DoorLimits {
        if (recordBytes <= 0 || idLength <= 0 || topicLength <= 0 || topics <= 0 || stringLength <= 0) {
            throw new IllegalArgumentException("every --limits.* option must be at least 1");
        }
    }

    /** @return the first non-null detail of several checks, or null when all passed */
    public static String first(String... details) {
        for (String d : details) {
            if (d != null) {
                return d;
            }
        }
        return null;
    }

    /** @return a detail when the whole value is longer than {@link #recordBytes} */
    public String recordSize(byte[] value) {
        return value != null && value.length > recordBytes
                ? "record is " + value.length + " bytes, above --limits.record-bytes " + recordBytes
                : null;
    }

    /** @return a detail when the id {@code field} is longer than {@link #idLength} */
    public String id(String field, CharSequence value) {
        return tooLong(field, value, idLength, "--limits.id-length");
    }

    /** @return a detail when the string {@code field} is longer than {@link #stringLength} */
    public String string(String field, CharSequence value) {
        return tooLong(field, value, stringLength, "--limits.string-length");
    }

    /** @return a detail when there are more than {@link #topics} names, or one is longer than {@link #topicLength} */
    public String topics(String field, List<? extends CharSequence> names) {
        if (names == null) {
            return null;
        }
        if (names.size() > topics) {
            return field + " has " + names.size() + " entries, above --limits.topics " + topics;
        }
        for (int i = 0; i < names.size(); i++) {
            String detail = tooLong(field + "[" + i + "]", names.get(i), topicLength, "--limits.topic-length");
            if (detail != null) {
                return detail;
            }
        }
        return null;
    }

    /** As {@link #topics(String, List)} for the keys of a map (catalog topics, budget categories). */
    public String topics(String field, Map<? extends CharSequence, ?> map) {
        return map == null ? null : topics(field, List.copyOf(map.keySet()));
    }

    private static String tooLong(String field, CharSequence value, int limit, String option) {
        return value != null && value.length() > limit
                ? field + " is " + value.length() + " characters, above " + option + " " + limit
                : null;
    }
}
