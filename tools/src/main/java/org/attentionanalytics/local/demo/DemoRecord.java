package org.attentionanalytics.local.demo;

import java.util.Arrays;
import java.util.Objects;

/**
 * One Kafka record of the demo traffic, before it is published. Equality compares the value's
 * bytes, not the array reference.
 *
 * @param topic the logical input topic: {@link #CLICKSTREAM}, {@link #DWELL_TIME}, {@link
 *     #ATTENTION_BUDGETS}, {@link #FOCUS_BLOCKS}, or with {@code --snowplow} {@link #SNOWPLOW} and {@link #CONTENT_CATALOG};
 *     the publisher maps it to the configured topic name
 * @param key the raw user id (the publisher sends it UTF-8 encoded), so that a user's events stay
 *     in one partition; the item id for {@link #CONTENT_CATALOG}
 * @param value normally a {@code ClickEvent}, {@code DwellEvent}, {@code AttentionBudget}, {@code FocusBlocks} or {@code ContentProfile} in Avro single-object encoding, or a Snowplow enriched TSV line (UTF-8)
 *     ({@code C3 01}, 8-byte schema fingerprint, binary body); for the intended bad records it may
 *     be a few bytes of garbage
 */
public record DemoRecord(String topic, String key, byte[] value) {
    /** Logical name of the click topic: values are {@code ClickEvent}s. */
    public static final String CLICKSTREAM = "clickstream";
    /** Logical name of the dwell topic: values are {@code DwellEvent}s. */
    public static final String DWELL_TIME = "dwell-time";
    /** Logical name of the budgets topic: values are {@code AttentionBudget}s. */
    public static final String ATTENTION_BUDGETS = "attention-budgets";
    /** Logical name of the focus-blocks topic: values are {@code FocusBlocks}. */
    public static final String FOCUS_BLOCKS = "focus-blocks";
    /** Logical name of the Snowplow topic ({@code --snowplow}): values are enriched TSV lines ({@link DemoSnowplow}). */
    public static final String SNOWPLOW = "snowplow-enriched";
    /** Logical name of the catalog topic: values are {@code ContentProfile}s, keys item ids ({@link DemoSnowplow#catalog()}). */
    public static final String CONTENT_CATALOG = "content-catalog";

    /** Same topic, key and value bytes. */
    @Override
    public boolean equals(Object o) {
        return o instanceof DemoRecord other
                && topic.equals(other.topic)
                && key.equals(other.key)
                && Arrays.equals(value, other.value);
    }

    /** Consistent with {@link #equals}. */
    @Override
    public int hashCode() {
        return Objects.hash(topic, key, Arrays.hashCode(value));
    }

    /** Topic, key and value length (the value is binary). */
    @Override
    public String toString() {
        return "DemoRecord[" + topic + ", " + key + ", " + value.length + " bytes]";
    }
}
