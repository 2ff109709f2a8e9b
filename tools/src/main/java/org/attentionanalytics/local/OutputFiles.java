package org.attentionanalytics.local;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.io.AvroJson;
import org.attentionanalytics.job.JobOptions;
import org.attentionanalytics.replay.ReplayResult;

/**
 * Writes the output files of a bounded local run (DESIGN.md section 11): for every output topic
 * of {@link JobOptions}, {@code DIR/<topic>.jsonl} with one line per record as a {@code
 * read_committed} consumer sees it, in partition then offset order (format: {@link AvroJson#line});
 * an empty file for a topic without records; and {@code DIR/summary.json} ({@link RunSummary}),
 * whose dead-letter counts come from the records of the dead-letter topic. Existing files of the
 * same names are overwritten; other files in {@code DIR} are left alone.
 */
public final class OutputFiles {
    /** Name of the summary file in the output directory. */
    public static final String SUMMARY_FILE = "summary.json";

    private OutputFiles() {}

    /**
     * Drains every output topic from the cluster at {@code options.bootstrapServers} (with {@code
     * options.kafkaProperties}) and writes the files.
     *
     * @param dir created if missing
     * @param duplicates events dropped as event-id duplicates (the job's {@code duplicates}), {@code
     *     duplicateViews} VIEW events dropped because their view_id repeats a page view already held
     *     (the job's {@code duplicateViews}) and {@code bots}: the job's counts, copied into the summary
     * @return the summary that was written
     * @throws IOException when a file cannot be written, or a value cannot be decoded as its topic's
     *     type (the message names topic, partition and offset)
     * @throws KafkaException when a topic does not exist or Kafka fails
     * @throws org.apache.kafka.common.errors.TimeoutException when a partition makes no progress for
     *     {@link TopicDrain#DEFAULT_STALL_TIMEOUT}
     */
    public static RunSummary write(JobOptions options, Path dir, long duplicates, long duplicateViews, long bots)
            throws IOException {
        return write(options, dir, duplicates, duplicateViews, bots, null);
    }

    /**
     * As {@link #write(JobOptions, Path, long, long, long)}, with the replay's input counts in the summary.
     *
     * @param input what the replay read and published, or null
     */
    public static RunSummary write(
            JobOptions options, Path dir, long duplicates, long duplicateViews, long bots, ReplayResult input)
            throws IOException {
        try (Consumer<byte[], byte[]> consumer =
                TopicDrain.newConsumer(options.bootstrapServers, options.kafkaProperties)) {
            return write(
                    consumer, options, dir, duplicates, duplicateViews, bots, TopicDrain.DEFAULT_STALL_TIMEOUT, input);
        }
    }

    /**
     * As {@link #write(JobOptions, Path, long, long, long)}, with a given {@code read_committed} consumer
     * (reassigned; not closed).
     */
    public static RunSummary write(
            Consumer<byte[], byte[]> consumer,
            JobOptions options,
            Path dir,
            long duplicates,
            long duplicateViews,
            long bots,
            Duration stallTimeout)
            throws IOException {
        return write(consumer, options, dir, duplicates, duplicateViews, bots, stallTimeout, null);
    }

    /**
     * As {@link #write(Consumer, JobOptions, Path, long, long, long, Duration)}, with the replay's input
     * counts (or null) in the summary.
     */
    public static RunSummary write(
            Consumer<byte[], byte[]> consumer,
            JobOptions options,
            Path dir,
            long duplicates,
            long duplicateViews,
            long bots,
            Duration stallTimeout,
            ReplayResult input)
            throws IOException {
        Files.createDirectories(dir);
        Map<String, Long> records = new LinkedHashMap<>();
        Map<DeadLetterReason, Long> deadLetters = new EnumMap<>(DeadLetterReason.class);
        OutputDecoder decoder = new OutputDecoder(options.schemaRegistry()); // any --output-format, same lines
        for (RecordType type : RecordType.outputs()) {
            String topic = type.topic(options);
            try (BufferedWriter out = Files.newBufferedWriter(dir.resolve(topic + ".jsonl"), StandardCharsets.UTF_8)) {
                long n = TopicDrain.drain(consumer, topic, -1, stallTimeout, record -> {
                    GenericRecord value = decode(decoder, type, record);
                    if (type == RecordType.DEAD_LETTER && value != null) {
                        deadLetters.merge(
                                DeadLetterReason.valueOf(value.get("reason").toString()), 1L, Long::sum);
                    }
                    try {
                        out.write(AvroJson.line(record.key(), value));
                        out.write('\n');
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                records.put(topic, n);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        RunSummary summary = new RunSummary(records, deadLetters, duplicates, duplicateViews, bots, input);
        Files.writeString(dir.resolve(SUMMARY_FILE), summary.toJson(), StandardCharsets.UTF_8);
        return summary;
    }

    private static GenericRecord decode(OutputDecoder decoder, RecordType type, ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        try {
            return decoder.decode(type, record.topic(), record.value());
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException(
                    record.topic() + "-" + record.partition() + "@" + record.offset() + ": " + e.getMessage(), e));
        }
    }
}
