package org.attentionanalytics.local;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.attentionanalytics.io.AvroJson;
import org.attentionanalytics.io.SchemaRegistrySettings;
import org.attentionanalytics.job.JobOptions;
import org.attentionanalytics.job.KafkaClientCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bin/attention consume --topic T}: prints the records of a topic as JSON lines, in the
 * format of the bounded run's output files ({@link AvroJson#line}), as a {@code read_committed}
 * consumer sees them. Without {@code --follow} it reads every partition from the beginning up to
 * the end offsets at start, in partition then offset order, and exits; with {@code --follow} it
 * keeps printing new records (in arrival order) until Ctrl-C or {@code --max-records}.
 *
 * <p>Values in any {@code --output-format}, told apart per record ({@link OutputDecoder}): Avro
 * single-object encoding, the Confluent wire format (with {@code --schema-registry-url}) or JSON.
 * Value type: {@code --type}, else the type of a default topic name ({@code
 * attention-sessions} is SessionSummary...), else found per record from the schema fingerprint in
 * the Avro single-object header (the registry names its own). Values that decode as no known type are reported on stderr and
 * skipped. At the end a line on stderr counts them ({@link #summary}): {@code 0 records} says that
 * the topic was read and had none. Exit code 0, 1 on a Kafka error, 2 on a usage error.
 */
@Command(
        name = "consume",
        mixinStandardHelpOptions = true,
        version = "Attention Analytics 0.1.0",
        description = "Print the records of a topic as JSON lines (read_committed).")
public class ConsumeCommand implements Callable<Integer>, KafkaClientCommand {
    private static final Duration POLL = Duration.ofMillis(500);

    @Spec
    CommandSpec spec;

    @Option(
            names = "--bootstrap-servers",
            defaultValue = "localhost:9092",
            description = "Kafka bootstrap servers. Default: ${DEFAULT-VALUE}")
    String bootstrapServers;

    @Option(names = "--topic", required = true, description = "Topic to read.")
    String topic;

    @Option(
            names = "--from-beginning",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Start at the beginning of each partition (--no-from-beginning: at the end, useful with --follow). Default: ${DEFAULT-VALUE}")
    boolean fromBeginning;

    @Option(
            names = "--max-records",
            defaultValue = "-1",
            description = "Stop after this many records; -1: no limit. Default: ${DEFAULT-VALUE}")
    long maxRecords;

    @Option(
            names = "--follow",
            description = "Keep waiting for new records (until Ctrl-C) instead of stopping at the end offsets.")
    boolean follow;

    @Option(
            names = "--type",
            converter = TypeConverter.class,
            description =
                    "Avro type of the values, e.g. SessionSummary, DeadLetter, InterestVector. Default: by topic name, else by schema fingerprint.")
    RecordType type;

    @Option(
            names = "--schema-registry-url",
            paramLabel = "URL",
            description = "Schema registry of values in the Confluent wire format (--output-format avro-registry).")
    String schemaRegistryUrl;

    @Option(
            names = "--schema-registry-property",
            paramLabel = "KEY=VALUE",
            description =
                    "A property of the registry deserializer, as Apicurio names it (credentials, TLS); repeatable.")
    Map<String, String> schemaRegistryProperties = new LinkedHashMap<>();

    private final Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Override
    public void addKafkaProperties(Map<String, String> properties) {
        kafkaProperties.putAll(properties);
    }

    /** Reads and prints; returns the exit code (usage errors are thrown as picocli ParameterExceptions: 2). */
    @Override
    public Integer call() {
        org.attentionanalytics.job.KafkaPreflight.check(bootstrapServers, kafkaProperties);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RecordType fixedType = type != null
                ? type
                : RecordType.forTopic(JobOptions.defaults(), topic).orElse(null);
        long[] printedAndSkipped = new long[2];
        Runnable summary = () -> {
            err.println(summary(printedAndSkipped[0], printedAndSkipped[1]));
            err.flush();
        };
        if (schemaRegistryUrl != null) {
            SchemaRegistrySettings.checkUrl("--schema-registry-url", schemaRegistryUrl);
        }
        SchemaRegistrySettings registry = schemaRegistryUrl == null
                ? null
                : new SchemaRegistrySettings(schemaRegistryUrl, schemaRegistryProperties);
        OutputDecoder decoder = new OutputDecoder(registry);
        try (KafkaConsumer<byte[], byte[]> consumer = TopicDrain.newConsumer(bootstrapServers, kafkaProperties)) {
            java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> printer = r -> {
                Optional<String> line = lineOf(decoder, r, fixedType, err);
                line.ifPresent(out::println);
                printedAndSkipped[line.isPresent() ? 0 : 1]++;
                out.flush();
            };
            if (follow) {
                follow(consumer, printer, summary);
            } else {
                if (fromBeginning) {
                    TopicDrain.drain(consumer, topic, maxRecords, TopicDrain.DEFAULT_STALL_TIMEOUT, printer);
                }
                summary.run();
            }
            return 0;
        } catch (KafkaException e) {
            err.println("consume: " + e.getMessage());
            return 1;
        }
    }

    /**
     * The line on stderr at the end (stdout holds only the records' JSON lines): {@code 0 records},
     * {@code 1 record}, {@code 12 records, 3 skipped}.
     */
    static String summary(long printed, long skipped) {
        return String.format(java.util.Locale.ROOT, "%,d record%s", printed, printed == 1 ? "" : "s")
                + (skipped > 0 ? String.format(java.util.Locale.ROOT, ", %,d skipped", skipped) : "");
    }

    /**
     * Prints records as they arrive until {@code --max-records} or Ctrl-C (the hook wakes the
     * consumer), then runs {@code atEnd}.
     */
    private void follow(
            KafkaConsumer<byte[], byte[]> consumer,
            java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> printer,
            Runnable atEnd) {
        List<TopicPartition> partitions = TopicDrain.partitions(consumer, topic);
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
        }
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    consumer.wakeup();
                    awaitQuietly(done);
                },
                "consume-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        long count = 0;
        try {
            while (maxRecords < 0 || count < maxRecords) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (maxRecords >= 0 && count >= maxRecords) {
                        break;
                    }
                    printer.accept(record);
                    count++;
                }
            }
            removeHook(hook);
            atEnd.run();
        } catch (WakeupException e) {
            // Ctrl-C: the JVM is shutting down; the summary, then the consumer closes
            atEnd.run();
        } finally {
            done.countDown();
        }
    }

    /** @return the JSON line of a record, or empty (with a note on {@code err}) when the value decodes as no known type */
    static Optional<String> lineOf(
            OutputDecoder decoder, ConsumerRecord<byte[], byte[]> record, RecordType fixedType, PrintWriter err) {
        if (record.value() == null) {
            return Optional.of(AvroJson.line(record.key(), null));
        }
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        try {
            GenericRecord value = decoder.decode(fixedType, record.topic(), record.value());
            return Optional.of(AvroJson.line(record.key(), value));
        } catch (IOException e) {
            err.println("skipping " + where + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }

    /** Reads {@code --type} names such as {@code SessionSummary} (case-insensitive). */
    static final class TypeConverter implements CommandLine.ITypeConverter<RecordType> {
        @Override
        public RecordType convert(String value) {
            try {
                return RecordType.forTypeName(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
