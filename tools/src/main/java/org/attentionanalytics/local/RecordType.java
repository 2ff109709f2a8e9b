package org.attentionanalytics.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.attentionanalytics.avro.AttentionAlert;
import org.attentionanalytics.avro.AttentionBudget;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.ContentProfile;
import org.attentionanalytics.avro.DailyAttentionReport;
import org.attentionanalytics.avro.DeadLetter;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.ErasureConfirmation;
import org.attentionanalytics.avro.ErasureRequest;
import org.attentionanalytics.avro.FocusBlockReport;
import org.attentionanalytics.avro.FocusBlocks;
import org.attentionanalytics.avro.InterestVector;
import org.attentionanalytics.avro.PageView;
import org.attentionanalytics.avro.Recommendation;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.TopicTrend;
import org.attentionanalytics.job.JobOptions;

/**
 * Every topic of the job with the Avro record type of its values (DESIGN.md sections 1 and 2): the
 * topic name comes from {@link JobOptions}, the decoder from the generated class. Declaration order
 * is the stable order of topic listings, output files and {@code summary.json}: inputs first, then
 * outputs in the order of the pipeline figure, the dead-letter topic last. A live topic shares its
 * final topic's schema ({@code interest-vectors-live}, {@code recommendations-live}): {@link
 * #detect} gives the final one.
 */
public enum RecordType {
    CLICK_EVENT(false, ClickEvent.getClassSchema(), ClickEvent.getDecoder(), o -> o.clickstreamTopic),
    DWELL_EVENT(false, DwellEvent.getClassSchema(), DwellEvent.getDecoder(), o -> o.dwellTopic),
    ERASURE_REQUEST(false, ErasureRequest.getClassSchema(), ErasureRequest.getDecoder(), o -> o.privacyRequestsTopic),
    ATTENTION_BUDGET(false, AttentionBudget.getClassSchema(), AttentionBudget.getDecoder(), o -> o.budgetsTopic),
    FOCUS_BLOCKS(false, FocusBlocks.getClassSchema(), FocusBlocks.getDecoder(), o -> o.focusBlocksTopic),
    CONTENT_PROFILE(false, ContentProfile.getClassSchema(), ContentProfile.getDecoder(), o -> o.catalogTopic),
    SESSION_SUMMARY(true, SessionSummary.getClassSchema(), SessionSummary.getDecoder(), o -> o.sessionsTopic),
    PAGE_VIEW(true, PageView.getClassSchema(), PageView.getDecoder(), o -> o.pageViewsTopic),
    INTEREST_VECTOR(true, InterestVector.getClassSchema(), InterestVector.getDecoder(), o -> o.interestVectorsTopic),
    INTEREST_VECTOR_LIVE(
            true, InterestVector.getClassSchema(), InterestVector.getDecoder(), o -> o.liveInterestVectorsTopic),
    RECOMMENDATION(true, Recommendation.getClassSchema(), Recommendation.getDecoder(), o -> o.recommendationsTopic),
    RECOMMENDATION_LIVE(
            true, Recommendation.getClassSchema(), Recommendation.getDecoder(), o -> o.liveRecommendationsTopic),
    ATTENTION_ALERT(true, AttentionAlert.getClassSchema(), AttentionAlert.getDecoder(), o -> o.alertsTopic),
    DAILY_ATTENTION_REPORT(
            true, DailyAttentionReport.getClassSchema(), DailyAttentionReport.getDecoder(), o -> o.reportsTopic),
    FOCUS_BLOCK_REPORT(
            true, FocusBlockReport.getClassSchema(), FocusBlockReport.getDecoder(), o -> o.focusBlockReportsTopic),
    TOPIC_TREND(true, TopicTrend.getClassSchema(), TopicTrend.getDecoder(), o -> o.trendsTopic),
    ERASURE_CONFIRMATION(
            true, ErasureConfirmation.getClassSchema(), ErasureConfirmation.getDecoder(), o -> o.privacyAuditTopic),
    DEAD_LETTER(true, DeadLetter.getClassSchema(), DeadLetter.getDecoder(), o -> o.dlqTopic);

    /** First two bytes of Avro single-object encoding (Avro specification). */
    private static final byte[] SINGLE_OBJECT_MAGIC = {(byte) 0xC3, (byte) 0x01};

    private static final int HEADER_LENGTH = 10;

    private final boolean output;
    private final Schema schema;
    private final long fingerprint;
    private final BinaryMessageDecoder<? extends GenericRecord> decoder;
    private final Function<JobOptions, String> topicOption;

    RecordType(
            boolean output,
            Schema schema,
            BinaryMessageDecoder<? extends GenericRecord> decoder,
            Function<JobOptions, String> topicOption) {
        this.output = output;
        this.schema = schema;
        this.fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        this.decoder = decoder;
        this.topicOption = topicOption;
    }

    /** @return true for the job's output topics (written by the job), false for its inputs */
    public boolean isOutput() {
        return output;
    }

    /** @return the record schema of the generated class */
    public Schema schema() {
        return schema;
    }

    /** @return the simple name of the Avro record, e.g. {@code SessionSummary} (used by {@code --type}) */
    public String typeName() {
        return schema.getName();
    }

    /** @return the topic name that {@code options} configure for this type */
    public String topic(JobOptions options) {
        return topicOption.apply(options);
    }

    /**
     * Decodes an Avro single-object encoded value written with this type's schema.
     *
     * @return an instance of the generated class (a {@link GenericRecord} whose logical-type fields
     *     hold {@code Instant} and {@code LocalDate})
     * @throws IOException when the bytes are not single-object encoded, carry another schema's
     *     fingerprint, or the body is truncated or corrupt
     */
    public GenericRecord decode(byte[] value) throws IOException {
        try {
            return decoder.decode(value);
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            // Avro reports a bad header or unknown fingerprint as unchecked exceptions.
            throw new IOException("not a " + typeName() + " value: " + e.getMessage(), e);
        }
    }

    /** @return the output types in declaration order (the order of output files and summaries) */
    public static RecordType[] outputs() {
        return Arrays.stream(values()).filter(RecordType::isOutput).toArray(RecordType[]::new);
    }

    /** @return the type whose topic in {@code options} is {@code topic}, if any */
    public static Optional<RecordType> forTopic(JobOptions options, String topic) {
        return Arrays.stream(values())
                .filter(t -> t.topic(options).equals(topic))
                .findFirst();
    }

    /**
     * @param name a record name such as {@code SessionSummary} (case-insensitive) or the constant
     *     name such as {@code SESSION_SUMMARY}
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static RecordType forTypeName(String name) {
        for (RecordType t : values()) {
            if (t.typeName().equalsIgnoreCase(name) || t.name().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown record type '" + name + "'; known: "
                + String.join(
                        ", ", Arrays.stream(values()).map(RecordType::typeName).toList()));
    }

    /**
     * Finds the type by the schema fingerprint in the single-object header ({@code C3 01} and the
     * 8-byte little-endian CRC-64-AVRO fingerprint of the writer schema).
     *
     * @return empty when {@code value} is null, has no single-object header, or its fingerprint is
     *     no schema of this enum
     */
    public static Optional<RecordType> detect(byte[] value) {
        if (value == null
                || value.length < HEADER_LENGTH
                || value[0] != SINGLE_OBJECT_MAGIC[0]
                || value[1] != SINGLE_OBJECT_MAGIC[1]) {
            return Optional.empty();
        }
        long fp = ByteBuffer.wrap(value, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return Arrays.stream(values()).filter(t -> t.fingerprint == fp).findFirst();
    }
}
