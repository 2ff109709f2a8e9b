package org.attentionanalytics.testutil;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.attentionanalytics.io.SnowplowLine;

/**
 * Snowplow enriched TSV lines for tests, built field by field: {@code set("user_id", "alice")} by
 * the names of {@link SnowplowLine#FIELDS}, every other field empty.
 */
public final class SnowplowLines {
    private static final DateTimeFormatter TSTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private final Map<String, String> fields = new LinkedHashMap<>();

    public static SnowplowLines line() {
        return new SnowplowLines();
    }

    /** A copy to change. */
    public SnowplowLines copy() {
        SnowplowLines c = new SnowplowLines();
        c.fields.putAll(fields);
        return c;
    }

    public SnowplowLines set(String name, String value) {
        SnowplowLine.index(name); // a typo fails here
        fields.put(name, value);
        return this;
    }

    /** Sets a timestamp as enrich writes it: {@code yyyy-MM-dd HH:mm:ss.SSS}, UTC. */
    public SnowplowLines set(String name, Instant at) {
        return set(name, TSTAMP.format(at));
    }

    /** Sets {@code contexts} to a contexts JSON with a web_page entity of {@code pageViewId}. */
    public SnowplowLines webPage(String pageViewId) {
        return set(
                "contexts",
                "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0\",\"data\":["
                        + "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0\","
                        + "\"data\":{\"id\":\"" + pageViewId + "\"}}]}");
    }

    /** @return the 131 fields joined by tabs */
    public String text() {
        String[] out = new String[SnowplowLine.FIELD_COUNT];
        Arrays.fill(out, "");
        fields.forEach((name, value) -> out[SnowplowLine.index(name)] = value);
        return String.join("\t", out);
    }

    public byte[] bytes() {
        return text().getBytes(StandardCharsets.UTF_8);
    }
}
