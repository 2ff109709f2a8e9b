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
import org.attentionanalytics.avro.ContentProfile;

/**
 * Replays a dataset file into Kafka: reads it with {@link DatasetReader}, then publishes every
 * event in event-time order (whatever the file's order: a file sorted by user would otherwise make
 * most events late for the job's watermarks). ClickEvents go to the clickstream topic, DwellEvents
 * to the dwell-time topic; the key is the raw user id (UTF-8), so a user's events stay in order in
 * one partition; the value is encoded by {@link ReplayOptions#replayFormat}. A content catalog
 * ({@code --catalog}) goes first, to the catalog topic keyed by item id.
 *
 * <p>The producer is idempotent with {@code acks=all} and not transactional; it is flushed and
 * closed at the end.
 */
public final class DatasetReplay {

  private DatasetReplay() {}

  /** The default catalog topic ({@code --topic.catalog}). */
  public static final String DEFAULT_CATALOG_TOPIC = "content-catalog";

  /**
   * As {@link #replay(ReplayOptions, Properties, String, String, String, boolean)} with the catalog
   * (if {@code --catalog} is given) going to {@value #DEFAULT_CATALOG_TOPIC}.
   */
  public static ReplayResult replay(ReplayOptions opts, Properties producerProps, String clickTopic, String dwellTopic,
      boolean showProgress) throws IOException, InterruptedException {
    return replay(opts, producerProps, clickTopic, dwellTopic, DEFAULT_CATALOG_TOPIC, showProgress);
  }

  /**
   * Publishes the catalog of {@code opts} ({@code --catalog}, if given) and then the dataset
   * ({@code --dataset}, if given). Both files are read before anything is sent, so a file that
   * cannot be read publishes nothing. The catalog is sent completely, flushed and acknowledged
   * before the first event is sent (DESIGN.md section 2), unpaced ({@code --speedup} is for
   * events), one {@link ContentProfile} per item keyed by the item id, encoded by {@code
   * --replay-format}.
   *
   * @param producerProps Kafka producer properties: {@code bootstrap.servers} and any pass-through
   *     client properties; they override the defaults {@code acks=all} and {@code
   *     enable.idempotence=true}; serializers are always byte arrays
   * @param catalogTopic where the catalog goes ({@code --topic.catalog})
   * @param showProgress draw a progress bar on stderr (events only)
   * @throws IOException when a file cannot be read (see {@link DatasetReader#read}, {@link CatalogCsv#read})
   * @throws IllegalArgumentException when neither {@code --dataset} nor {@code --catalog} is given,
   *     or a file does not fit its kind
   * @throws KafkaException when a record cannot be sent; the records before it may have been sent
   * @throws InterruptedException when interrupted while pacing ({@code --speedup})
   */
  public static ReplayResult replay(ReplayOptions opts, Properties producerProps, String clickTopic, String dwellTopic,
      String catalogTopic, boolean showProgress) throws IOException, InterruptedException {
    if (opts.dataset == null && opts.catalog == null) {
      throw new IllegalArgumentException("nothing to replay: give --dataset KIND:PATH, --catalog csv:PATH or both");
    }
    CatalogCsv.Result catalog = opts.catalog == null ? null : CatalogCsv.read(opts.catalog.path());
    DatasetReader.Result read = opts.dataset == null ? null : DatasetReader.read(opts);
    if (catalog != null) {
      publishCatalog(catalog.profiles(), opts.replayFormat, producerProps, catalogTopic);
    }
    if (read != null) {
      publish(read.events(), opts.replayFormat, opts.speedup, producerProps, clickTopic, dwellTopic, showProgress);
    }
    return new ReplayResult(read == null ? 0 : read.clicks(), read == null ? 0 : read.dwells(),
        read == null ? 0 : read.skippedRows(), catalog == null ? 0 : catalog.profiles().size(),
        catalog == null ? 0 : catalog.skippedRows());
  }

  /**
   * Publishes content profiles to the catalog topic, key the item id (UTF-8), and returns once all
   * are acknowledged.
   *
   * @throws IllegalArgumentException for a {@code transactional.id} in the properties
   * @throws KafkaException when a record cannot be sent
   */
  public static void publishCatalog(List<ContentProfile> profiles, ReplayFormat format, Properties producerProps,
      String catalogTopic) {
    AtomicReference<Exception> failure = new AtomicReference<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(producerProps))) {
      for (ContentProfile p : profiles) {
        throwIfFailed(failure);
        producer.send(new ProducerRecord<>(catalogTopic, p.getItemId().getBytes(StandardCharsets.UTF_8), format.encode(p)),
            (metadata, error) -> {
              if (error != null) {
                failure.compareAndSet(null, error);
              }
            });
      }
      producer.flush();
      throwIfFailed(failure);
    }
  }

  private static Properties producerProperties(Properties producerProps) {
    if (producerProps.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG)) {
      throw new IllegalArgumentException("the replay producer is not transactional: remove " + ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    }
    Properties props = new Properties();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    // One batch in flight per partition: right after topic creation, a retried first batch with
    // more behind it was seen to end in OutOfOrderSequenceException and a 2-minute stall.
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    props.putAll(producerProps);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return props;
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
    Properties props = producerProperties(producerProps);

    AtomicReference<Exception> failure = new AtomicReference<>();
    ProgressBar bar = showProgress
        ? new ProgressBarBuilder().setTaskName("replay").setInitialMax(events.size()).setUnit(" events", 1)
            .setStyle(System.console() != null ? me.tongfei.progressbar.ProgressBarStyle.COLORFUL_UNICODE_BLOCK
                : me.tongfei.progressbar.ProgressBarStyle.ASCII) // no escape codes in redirected logs
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
