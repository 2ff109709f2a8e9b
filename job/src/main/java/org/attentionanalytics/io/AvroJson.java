package org.attentionanalytics.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

/**
 * Converts Avro data to JSON generically, by walking the schema (DESIGN.md section 11), so every
 * record type of the job, present or future, renders the same way:
 *
 * <ul>
 *   <li>record: an object with the schema's field names, in schema order;
 *   <li>{@code timestamp-millis}: ISO-8601 UTC with milliseconds, {@code 2023-02-02T07:20:24.000Z}
 *       ({@code timestamp-micros}: six fraction digits); {@code date}: {@code 2023-02-02};
 *   <li>enum: the symbol as a string; map: an object, keys sorted (Avro maps have no order, so
 *       sorting keeps files comparable from run to run); array: an array;
 *   <li>bytes and fixed: standard base64 with padding; {@code decimal}: a JSON number;
 *   <li>null (an absent optional field): JSON null; float and double as JSON numbers (NaN and
 *       infinities as the strings Jackson writes for them).
 * </ul>
 *
 * <p>Values may come from generated classes (logical types as {@code Instant}, {@code LocalDate})
 * or from generic records (plain {@code long}, {@code int}): both render the same. {@link
 * #fromJson} reads such JSON back into the generated classes ({@code --output-format json}).
 */
public final class AvroJson {
    /** Field holding the Kafka record key, first in every line. */
    public static final String KEY_FIELD = "_key";
    /** Field marking a tombstone (a record with a null value). */
    public static final String TOMBSTONE_FIELD = "_tombstone";

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    /** Resolves union branches for raw values and for logical-type values alike. */
    private static final GenericData DATA = new GenericData();

    static {
        DATA.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        DATA.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
        DATA.addLogicalTypeConversion(new TimeConversions.DateConversion());
    }

    private AvroJson() {}

    /**
     * One output line (without the newline): {@code _key} first, then the value's fields in schema
     * order; for a null value {@code {"_key":"...","_tombstone":true}}. Compact JSON, no spaces.
     *
     * @param key the record key, rendered as UTF-8 text; null renders as JSON null
     * @param value the decoded value, or null for a tombstone
     */
    public static String line(byte[] key, GenericRecord value) {
        ObjectNode node = NODES.objectNode();
        node.put(KEY_FIELD, key == null ? null : new String(key, StandardCharsets.UTF_8));
        if (value == null) {
            node.put(TOMBSTONE_FIELD, true);
        } else {
            node.setAll(toJson(value));
        }
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // cannot happen for a tree of plain nodes
        }
    }

    /** @return the record as a JSON object with its schema's fields in schema order */
    public static ObjectNode toJson(IndexedRecord record) {
        return (ObjectNode) toJson(record.getSchema(), record);
    }

    /**
     * Converts one datum of {@code schema}.
     *
     * @throws org.apache.avro.AvroRuntimeException when the datum matches no branch of a union
     * @throws ClassCastException when the datum does not have the shape the schema says
     */
    public static JsonNode toJson(Schema schema, Object datum) {
        if (datum == null) {
            return NODES.nullNode();
        }
        switch (schema.getType()) {
            case UNION:
                return toJson(schema.getTypes().get(DATA.resolveUnion(schema, datum)), datum);
            case RECORD: {
                IndexedRecord record = (IndexedRecord) datum;
                ObjectNode node = NODES.objectNode();
                for (Schema.Field field : schema.getFields()) {
                    node.set(field.name(), toJson(field.schema(), record.get(field.pos())));
                }
                return node;
            }
            case ENUM:
                return NODES.textNode(datum.toString());
            case ARRAY: {
                ArrayNode array = NODES.arrayNode();
                for (Object element : (Collection<?>) datum) {
                    array.add(toJson(schema.getElementType(), element));
                }
                return array;
            }
            case MAP: {
                ObjectNode node = NODES.objectNode();
                Map<String, Object> sorted = new TreeMap<>();
                ((Map<?, ?>) datum).forEach((k, v) -> sorted.put(k.toString(), v));
                sorted.forEach((k, v) -> node.set(k, toJson(schema.getValueType(), v)));
                return node;
            }
            case FIXED:
                return bytes(datum instanceof GenericFixed f ? f.bytes() : null, datum);
            case BYTES:
                return bytes(null, datum);
            case STRING:
                return NODES.textNode(datum.toString());
            case INT:
                return intValue(schema.getLogicalType(), datum);
            case LONG:
                return longValue(schema.getLogicalType(), datum);
            case FLOAT:
                return NODES.numberNode(((Number) datum).floatValue());
            case DOUBLE:
                return NODES.numberNode(((Number) datum).doubleValue());
            case BOOLEAN:
                return NODES.booleanNode((Boolean) datum);
            default: // NULL with a non-null datum cannot happen
                return NODES.nullNode();
        }
    }

    private static JsonNode bytes(byte[] fixed, Object datum) {
        if (datum instanceof BigDecimal decimal) {
            return NODES.numberNode(decimal);
        }
        byte[] raw = fixed;
        if (raw == null) {
            ByteBuffer buffer = ((ByteBuffer) datum).duplicate(); // leave the record's buffer untouched
            raw = new byte[buffer.remaining()];
            buffer.get(raw);
        }
        return NODES.textNode(Base64.getEncoder().encodeToString(raw));
    }

    private static JsonNode intValue(LogicalType logicalType, Object datum) {
        if (datum instanceof LocalDate date) {
            return NODES.textNode(date.toString());
        }
        int value = ((Number) datum).intValue();
        if (logicalType != null && "date".equals(logicalType.getName())) {
            return NODES.textNode(LocalDate.ofEpochDay(value).toString());
        }
        return NODES.numberNode(value);
    }

    private static JsonNode longValue(LogicalType logicalType, Object datum) {
        String name = logicalType == null ? "" : logicalType.getName();
        boolean millis = "timestamp-millis".equals(name);
        boolean micros = "timestamp-micros".equals(name);
        if (datum instanceof Instant instant) {
            return NODES.textNode((micros ? MICROS : MILLIS).format(instant));
        }
        long value = ((Number) datum).longValue();
        if (millis) {
            return NODES.textNode(MILLIS.format(Instant.ofEpochMilli(value)));
        }
        if (micros) {
            return NODES.textNode(MICROS.format(Instant.EPOCH.plus(value, ChronoUnit.MICROS)));
        }
        return NODES.numberNode(value);
    }

    /**
     * Reads JSON written by {@link #toJson} back into a record of {@code schema}: the generated
     * class where there is one ({@link SpecificData}), logical types as {@code Instant} and {@code
     * LocalDate}, strings as {@code String}. A field the JSON lacks takes its schema default.
     *
     * @throws IllegalArgumentException when the JSON does not have the schema's shape
     */
    public static Object fromJson(Schema schema, JsonNode node) {
        if (node == null || node.isNull()) {
            if (schema.getType() == Schema.Type.NULL || schema.isNullable()) {
                return null;
            }
            throw new IllegalArgumentException("null for a " + schema.getType() + " (" + schema.getFullName() + ")");
        }
        if (schema.getType() != Schema.Type.UNION && !fits(schema, node)) {
            throw new IllegalArgumentException("a JSON "
                    + node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT) + " for a "
                    + (schema.getLogicalType() != null ? schema.getLogicalType().getName() : schema.getType())
                    + " (" + schema.getFullName() + ")");
        }
        switch (schema.getType()) {
            case UNION:
                for (Schema branch : schema.getTypes()) {
                    if (branch.getType() != Schema.Type.NULL && fits(branch, node)) {
                        return fromJson(branch, node);
                    }
                }
                throw new IllegalArgumentException("no branch of " + schema + " fits " + node.getNodeType());
            case RECORD: {
                IndexedRecord record = (IndexedRecord) SpecificData.get().newRecord(null, schema);
                for (Schema.Field field : schema.getFields()) {
                    JsonNode value = node.get(field.name());
                    record.put(
                            field.pos(),
                            value == null && field.hasDefaultValue()
                                    ? SpecificData.get().getDefaultValue(field)
                                    : fromJson(field.schema(), value));
                }
                return record;
            }
            case ENUM:
                return SpecificData.get().createEnum(node.asText(), schema);
            case ARRAY: {
                List<Object> list = new ArrayList<>(node.size());
                node.forEach(e -> list.add(fromJson(schema.getElementType(), e)));
                return list;
            }
            case MAP: {
                Map<String, Object> map = new LinkedHashMap<>();
                node.fields().forEachRemaining(e -> map.put(e.getKey(), fromJson(schema.getValueType(), e.getValue())));
                return map;
            }
            case FIXED:
                return SpecificData.get().createFixed(null, Base64.getDecoder().decode(node.asText()), schema);
            case BYTES:
                return ByteBuffer.wrap(Base64.getDecoder().decode(node.asText()));
            case STRING:
                return node.asText();
            case INT:
                return isLogical(schema, "date") ? LocalDate.parse(node.asText()) : node.intValue();
            case LONG:
                if (isLogical(schema, "timestamp-millis") || isLogical(schema, "timestamp-micros")) {
                    return Instant.parse(node.asText());
                }
                return node.longValue();
            case FLOAT:
                return node.isTextual() ? Float.parseFloat(node.asText()) : node.floatValue();
            case DOUBLE:
                return node.isTextual() ? Double.parseDouble(node.asText()) : node.doubleValue();
            case BOOLEAN:
                return node.booleanValue();
            default:
                return null;
        }
    }

    private static boolean isLogical(Schema schema, String name) {
        return schema.getLogicalType() != null
                && name.equals(schema.getLogicalType().getName());
    }

    /** Whether {@code node} can be a value of {@code branch} (a schema, not a union), as {@link #toJson} writes it. */
    private static boolean fits(Schema branch, JsonNode node) {
        return switch (branch.getType()) {
            case RECORD, MAP -> node.isObject();
            case ARRAY -> node.isArray();
            case STRING, ENUM, BYTES, FIXED -> node.isTextual();
            case INT ->
                isLogical(branch, "date") ? node.isTextual() : node.isIntegralNumber() && node.canConvertToInt();
            case LONG ->
                branch.getLogicalType() != null ? node.isTextual() : node.isIntegralNumber() && node.canConvertToLong();
            case FLOAT, DOUBLE ->
                node.isNumber() || node.isTextual() && node.asText().matches("NaN|-?Infinity");
            case BOOLEAN -> node.isBoolean();
            default -> false;
        };
    }
}
