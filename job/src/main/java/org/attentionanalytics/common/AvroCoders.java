package org.attentionanalytics.common;

import java.util.List;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.CatalogUpdate;
import org.attentionanalytics.avro.internal.ItemTopics;
import org.attentionanalytics.avro.internal.TrendContribution;
import org.attentionanalytics.avro.internal.TrendWindowSums;
import org.attentionanalytics.avro.internal.UserState;

/**
 * Makes Avro use the encoders that avro-maven-plugin generates into the internal record classes
 * ({@code customEncode}) for the per-user state, the buffered
 * events and the records between operators, instead of its generic, reflective path.
 *
 * <p>Why: the per-user operator reads and writes its {@link UserState} value on RocksDB, and Flink's
 * {@code AvroSerializer} does it through the class's own {@code SpecificData} ({@code MODEL$}).
 * By default Avro 1.12 writes by walking the schema for every field ({@code GenericData.getField},
 * union resolution): about 28 % of the per-user operator's CPU in the benchmark's JFR profile
 * (BENCHMARKS.md), half that with the generated encoder. The generated coders write exactly the same bytes (Avro binary
 * encoding), so state, checkpoints and savepoints are unchanged and readers of either path
 * interoperate. Reading stays with Avro's {@code FastReaderBuilder}: the generated {@code
 * customDecode} goes through a {@code ResolvingDecoder}, which measured slower.
 *
 * <p>Same effect as {@code -Dorg.apache.avro.specific.use_custom_coders=true} for these classes, without a JVM option on every TaskManager.
 * Idempotent and cheap; the operators call it in {@code open}, before their first record.
 */
public final class AvroCoders {
    /** Internal records on the hot path whose generated classes carry custom coders. */
    static final List<SpecificRecordBase> HOT_PATH = List.of(
            new UserState(),
            new AttentionEvent(),
            new CatalogUpdate(),
            new ItemTopics(),
            new TrendContribution(),
            new TrendWindowSums());

    private AvroCoders() {}

    /** Switches {@link #HOT_PATH}'s models to the generated coders. */
    public static void useGeneratedCoders() {
        for (SpecificRecordBase r : HOT_PATH) {
            SpecificData model = r.getSpecificData();
            model.setCustomCoders(true);
        }
    }
}
