package org.attentionanalytics.testutil;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

/** Records of any schema with every field set, for round trips through the output formats. */
public final class SampleRecords {
    private SampleRecords() {}

    /**
     * A value of {@code schema} with every field set, optional ones to their non-null branch: text
     * {@code "<field>-1"}, numbers 7 (7.25 for floating point), timestamps 2025-01-06T09:00:00.123Z,
     * dates 2025-01-06, enums their last symbol, two-element arrays and maps.
     */
    public static Object of(Schema schema) {
        return sample(schema, schema.getName());
    }

    private static Object sample(Schema schema, String name) {
        switch (schema.getType()) {
            case UNION:
                return sample(
                        schema.getTypes().stream()
                                .filter(s -> s.getType() != Schema.Type.NULL)
                                .findFirst()
                                .orElseThrow(),
                        name);
            case RECORD: {
                IndexedRecord r = (IndexedRecord) SpecificData.get().newRecord(null, schema);
                for (Schema.Field f : schema.getFields()) {
                    r.put(f.pos(), sample(f.schema(), f.name()));
                }
                return r;
            }
            case ENUM:
                return SpecificData.get()
                        .createEnum(
                                schema.getEnumSymbols()
                                        .get(schema.getEnumSymbols().size() - 1),
                                schema);
            case ARRAY:
                return List.of(
                        sample(schema.getElementType(), name + "0"), sample(schema.getElementType(), name + "1"));
            case MAP: {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("k1", sample(schema.getValueType(), name));
                m.put("k2", sample(schema.getValueType(), name));
                return m;
            }
            case STRING:
                return name + "-1";
            case BYTES:
                return ByteBuffer.wrap(new byte[] {1, 2, (byte) 0xFF});
            case INT:
                return schema.getLogicalType() != null ? LocalDate.parse("2025-01-06") : (Object) 7;
            case LONG:
                return schema.getLogicalType() != null ? Instant.parse("2025-01-06T09:00:00.123Z") : (Object) 7L;
            case FLOAT:
                return 7.25f;
            case DOUBLE:
                return 7.25;
            case BOOLEAN:
                return true;
            default:
                throw new IllegalArgumentException("no sample for " + schema);
        }
    }
}
