package org.attentionanalytics.job;

import java.util.Properties;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.attentionanalytics.avro.internal.CatalogUpdate;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.io.AvroRecordSerializer;
import org.attentionanalytics.io.OutputEncoder;
import org.attentionanalytics.io.OutputFormat;
import org.attentionanalytics.io.RecordSizeLimit;
import org.attentionanalytics.io.SchemaRegistration;

/**
 * The job's {@link JobIo} ({@link JobIo#KAFKA}): the sources of {@link KafkaSources} and
 * exactly-once Kafka sinks. Tests and the latency benchmark extend it to change one thing (a probe
 * before a sink, failure injection before the per-user operator) and keep Kafka for the rest.
 */
public class KafkaIo implements JobIo {
    @Override
    public Source<SourceRecord, ?, ?> eventSource(JobOptions options, String topic, EventKind kind) {
        registryAnswers(options);
        return KafkaSources.events(options, topic, kind);
    }

    /**
     * Not in a bounded run: Flink's Kafka connector 5.0.0-2.2 can be asked to pause a partition it
     * has just read to its stopping offset and unassigned, and its reader then fails with "No
     * current assignment for partition" (FLINK-39728, fixed in the connector after that release).
     * An unbounded run never unassigns a partition.
     */
    @Override
    public boolean alignsEventSources(JobOptions options) {
        return !options.bounded;
    }

    @Override
    public Source<SourceRecord, ?, ?> snowplowSource(JobOptions options) {
        return KafkaSources.snowplow(options);
    }

    @Override
    public Source<SourceRecord, ?, ?> controlSource(JobOptions options, String topic, EventKind kind) {
        registryAnswers(options);
        return KafkaSources.control(options, topic, kind);
    }

    @Override
    public Source<CatalogUpdate, ?, ?> catalogSource(JobOptions options) {
        return KafkaSources.catalog(options);
    }

    @Override
    public <T> DataStreamSink<T> sink(
            DataStream<T> stream,
            JobOptions options,
            String topic,
            String name,
            SerializableFunction<T, String> keyOf,
            SerializableFunction<T, ? extends SpecificRecordBase> valueOf,
            Class<? extends SpecificRecordBase> valueType) {
        return stream.sinkTo(kafkaSink(options, topic, name, keyOf, valueOf, valueType));
    }

    @Override
    public <T> DataStreamSink<T> liveSink(
            DataStream<T> stream,
            JobOptions options,
            String topic,
            SerializableFunction<T, String> keyOf,
            SerializableFunction<T, ? extends SpecificRecordBase> valueOf,
            Class<? extends SpecificRecordBase> valueType) {
        Properties props = kafkaProperties(options);
        return stream.sinkTo(sinkBuilder(options, props, topic, keyOf, valueOf, valueType, null)
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build());
    }

    /**
     * An exactly-once sink whose records stay within the producer's {@code max.request.size}; the
     * dead-letter sink ({@value JobIo#DLQ_SINK}) also reads its topic's {@code max.message.bytes}
     * when it opens and keeps below the smaller of the two ({@link AvroRecordSerializer}).
     */
    static <T> KafkaSink<T> kafkaSink(
            JobOptions options,
            String topic,
            String name,
            SerializableFunction<T, String> keyOf,
            SerializableFunction<T, ? extends SpecificRecordBase> valueOf,
            Class<? extends SpecificRecordBase> valueType) {
        Properties props = kafkaProperties(options);
        props.setProperty(
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                String.valueOf(OptionChecks.transactionTimeout(options).toMillis()));
        Properties topicCheck = null;
        if (DLQ_SINK.equals(name)) {
            topicCheck = kafkaProperties(options);
            topicCheck.setProperty("bootstrap.servers", options.bootstrapServers);
        }
        return sinkBuilder(options, props, topic, keyOf, valueOf, valueType, topicCheck)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(options.transactionalIdPrefix + "-" + name)
                .build();
    }

    /**
     * A sink of {@code topic} with {@code props}, its records within the producer's size limit and
     * encoded as {@code --output-format} says; the caller sets the guarantee. For {@code
     * avro-registry} the value schema is registered here, on the client, at start ({@link
     * SchemaRegistration}): a registry that refuses it stops the job before it runs.
     */
    private static <T> KafkaSinkBuilder<T> sinkBuilder(
            JobOptions options,
            Properties props,
            String topic,
            SerializableFunction<T, String> keyOf,
            SerializableFunction<T, ? extends SpecificRecordBase> valueOf,
            Class<? extends SpecificRecordBase> valueType,
            Properties topicCheck) {
        OutputEncoder encoder = options.outputFormat == OutputFormat.AVRO_REGISTRY
                ? OutputEncoder.registry(SchemaRegistration.register(
                        options.schemaRegistry(), topic, SpecificData.get().getSchema(valueType)))
                : OutputEncoder.of(options.outputFormat);
        return KafkaSink.<T>builder()
                .setBootstrapServers(options.bootstrapServers)
                .setKafkaProducerConfig(props)
                .setRecordSerializer(new AvroRecordSerializer<>(
                        topic, keyOf, valueOf, encoder, RecordSizeLimit.producerLimit(props), topicCheck));
    }

    /** With {@code --input-format avro-registry}: the registry answers now, at start, or the job does not start. */
    private static void registryAnswers(JobOptions options) {
        if (options.inputFormat == org.attentionanalytics.io.InputFormat.AVRO_REGISTRY) {
            SchemaRegistration.checkReachable(options.schemaRegistry());
        }
    }

    /** The {@code --kafka.*} client properties, a copy for one source or sink. */
    static Properties kafkaProperties(JobOptions options) {
        Properties props = new Properties();
        props.putAll(options.kafkaProperties);
        return props;
    }
}
