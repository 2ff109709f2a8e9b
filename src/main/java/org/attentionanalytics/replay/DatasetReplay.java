package org.attentionanalytics.replay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Replays a dataset file into Kafka: reads it with {@link DatasetReader}, then publishes every
 * event in event-time order (whatever the file's order: a file sorted by user would otherwise make
 * most events late for the job's watermarks). ClickEvents go to the clickstream topic, DwellEvents
 * to the dwell-time topic; the key is the raw user id (UTF-8), so a user's events stay in order in
 * one partition; the value is encoded by {@link ReplayOptions#replayFormat}.
 *
 * <p>The producer is idempotent with {@code acks=all} and not transactional; it is flushed and
 * closed at the end.
 */
public final class DatasetReplay {

  private DatasetReplay() {}

  /**
   * Reads the dataset of {@code opts} and publishes it.
   *
   * @param producerProps Kafka producer properties: {@code bootstrap.servers} and any pass-through
   *     client properties; they override the defaults {@code acks=all} and {@code
   *     enable.idempotence=true}; serializers are always byte arrays
   * @param showProgress draw a progress bar on stderr
   * @throws IOException when the dataset cannot be read (see {@link DatasetReader#read})
   * @throws KafkaException when a record cannot be sent; the events before it may have been sent
   * @throws InterruptedException when interrupted while pacing ({@code --speedup})
   */
  public static ReplayResult replay(ReplayOptions opts, Properties producerProps, String clickTopic, String dwellTopic,
      boolean showProgress) throws IOException, InterruptedException {
    DatasetReader.Result read = DatasetReader.read(opts);
    publish(read.events(), opts.replayFormat, opts.speedup, producerProps, clickTopic, dwellTopic, showProgress);
    return new ReplayResult(read.clicks(), read.dwells(), read.skippedRows());
  }

  /**
   * Publishes events in list order (sort them by event time first, as {@link DatasetReader} does).
   *
   * @param speedup 0: as fast as possible; N &gt; 0: wait so that the event-time gap between the first
   *     event and each event elapses N times faster in wall-clock time (1 = real time)
   * @throws IllegalArgumentException for a negative or NaN speedup, or a {@code transactional.id}
   *     in the properties
   * @throws KafkaException when a record cannot be sent
   * @throws InterruptedException when interrupted while pacing
   */
  public static void publish(List<ReplayEvent> events, ReplayFormat format, double speedup, Properties producerProps,
      String clickTopic, String dwellTopic, boolean showProgress) throws InterruptedException {
    if (!(speedup >= 0)) {
      throw new IllegalArgumentException("speedup must be >= 0, got " + speedup);
    }
    if (producerProps.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG)) {
      throw new IllegalArgumentException("the replay producer is not transactional: remove " + ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    }
    Properties props = new Properties();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.putAll(producerProps);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());

    AtomicReference<Exception> failure = new AtomicReference<>();
    ProgressBar bar = showProgress
        ? new ProgressBarBuilder().setTaskName("replay").setInitialMax(events.size()).setUnit(" events", 1)
            .setConsumer(new ConsoleProgressBarConsumer(System.err)).showSpeed().build()
        : null;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      long startNanos = System.nanoTime();
      long firstMillis = events.isEmpty() ? 0 : events.get(0).eventTime().toEpochMilli();
      for (ReplayEvent e : events) {
        if (speedup > 0) {
          long dueNanos = startNanos + (long) ((e.eventTime().toEpochMilli() - firstMillis) * 1e6 / speedup);
          long waitNanos = dueNanos - System.nanoTime();
          if (waitNanos > 0) {
            TimeUnit.NANOSECONDS.sleep(waitNanos);
          }
        }
        throwIfFailed(failure);
        producer.send(new ProducerRecord<>(e.isDwell() ? dwellTopic : clickTopic,
                e.userId().getBytes(StandardCharsets.UTF_8), format.encode(e.record())),
            (metadata, error) -> {
              if (error != null) {
                failure.compareAndSet(null, error);
              }
            });
        if (bar != null) {
          bar.step();
        }
      }
      producer.flush();
      throwIfFailed(failure);
    } finally {
      if (bar != null) {
        bar.close();
      }
    }
  }

  private static void throwIfFailed(AtomicReference<Exception> failure) {
    Exception e = failure.get();
    if (e != null) {
      throw new KafkaException("replay: send failed: " + e, e);
    }
  }
}
