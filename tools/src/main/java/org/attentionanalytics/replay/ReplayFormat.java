package org.attentionanalytics.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;
import org.attentionanalytics.avro.AttentionBudget;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.ContentProfile;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.ErasureRequest;
import org.attentionanalytics.avro.FocusBlocks;
import picocli.CommandLine.ITypeConverter;

/**
 * How the replay encodes a record's Kafka value (DESIGN.md section 2): {@link #AVRO} or {@link
 * #JSON}. Keys are not affected (always the raw user id, UTF-8).
 */
public enum ReplayFormat {
    /**
     * Avro single-object encoding: {@code C3 01}, the 8-byte CRC-64-AVRO fingerprint of the writer
     * schema, then the binary body ({@code record.toByteBuffer()}).
     */
    AVRO,
    /**
     * One UTF-8 JSON object with the schema's field names in schema order: timestamps as epoch
     * milliseconds (numbers), enums as their symbol strings, arrays as arrays, maps as objects, absent
     * optional fields as null, nested records as objects.
     */
    JSON;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * The Kafka value bytes of a {@link ClickEvent}, {@link DwellEvent}, {@link ContentProfile},
     * {@link AttentionBudget}, {@link ErasureRequest} or {@link FocusBlocks}.
     *
     * @throws IllegalArgumentException for any other record class
     */
    public byte[] encode(SpecificRecordBase record) {
        try {
            if (this == JSON) {
                return MAPPER.writeValueAsBytes(toJsonMap(record));
            }
            ByteBuffer buf;
            if (record instanceof ClickEvent c) {
                buf = c.toByteBuffer();
            } else if (record instanceof DwellEvent d) {
                buf = d.toByteBuffer();
            } else if (record instanceof ContentProfile p) {
                buf = p.toByteBuffer();
            } else if (record instanceof AttentionBudget b) {
                buf = b.toByteBuffer();
            } else if (record instanceof ErasureRequest r) {
                buf = r.toByteBuffer();
            } else if (record instanceof FocusBlocks f) {
                buf = f.toByteBuffer();
            } else {
                throw new IllegalArgumentException(
                        "not a ClickEvent, DwellEvent, ContentProfile, AttentionBudget, ErasureRequest or FocusBlocks: "
                                + record.getClass().getName());
            }
            byte[] bytes = new byte[buf.remaining()];
            buf.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The record's fields by schema name, with values converted as described for {@link #JSON}. */
    static Map<String, Object> toJsonMap(SpecificRecordBase record) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Schema.Field f : record.getSchema().getFields()) {
            out.put(f.name(), toJsonValue(record.get(f.pos())));
        }
        return out;
    }

    private static Object toJsonValue(Object v) {
        if (v instanceof Instant t) {
            return t.toEpochMilli();
        }
        if (v instanceof SpecificRecordBase r) { // a nested record (FocusBlocks' blocks): an object
            return toJsonMap(r);
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        if (v instanceof CharSequence s) {
            return s.toString();
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(x -> out.add(toJsonValue(x)));
            return out;
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, x) -> out.put(k.toString(), toJsonValue(x)));
            return out;
        }
        return v; // null, numbers, booleans
    }

    /** picocli converter: {@code avro} or {@code json}, case-insensitive. */
    public static final class Converter implements ITypeConverter<ReplayFormat> {
        @Override
        public ReplayFormat convert(String value) {
            for (ReplayFormat f : values()) {
                if (f.name().equalsIgnoreCase(value)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("must be avro or json, not " + value);
        }
    }
}
