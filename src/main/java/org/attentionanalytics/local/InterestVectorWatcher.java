package org.attentionanalytics.local;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.attentionanalytics.avro.InterestVector;
import org.attentionanalytics.avro.TopicWeight;

/**
 * Follows the {@code interest-vectors} topic ({@code read_committed}, from the beginning) in a
 * background thread and keeps each user's latest vector, so the local run can show the top
 * topics of the most active users live. Undecodable records are skipped.
 */
final class InterestVectorWatcher implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<String, InterestVector> latest = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  InterestVectorWatcher(String bootstrapServers, Map<String, String> kafkaProperties, String topic) {
    consumer = TopicDrain.newConsumer(bootstrapServers, kafkaProperties);
    var partitions = TopicDrain.partitions(consumer, topic);
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    thread = new Thread(this::run, "attention-vector-watcher");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.value() != null) {
            try {
              InterestVector v = InterestVector.getDecoder().decode(r.value());
              latest.put(v.getUser(), v);
            } catch (Exception e) {
              // not a vector: nothing to show
            }
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (Exception e) {
      running = false; // the broker went away with the run: stop quietly
    } finally {
      consumer.close(Duration.ZERO);
    }
  }

  /** One line per user for the {@code n} users with the most counted events: pseudonym prefix and top topics. */
  List<String> mostActive(int n, int topics) {
    return latest.values().stream()
        .sorted(Comparator.comparingLong(InterestVector::getEventsCounted).reversed())
        .limit(n)
        .map(v -> String.format(Locale.ROOT, "  %s… (%d events): %s", v.getUser().substring(0, 8), v.getEventsCounted(),
            v.getTop().stream().limit(topics)
                .map((TopicWeight t) -> String.format(Locale.ROOT, "%s %.2f", t.getTopic(), t.getWeight()))
                .collect(Collectors.joining(", "))))
        .toList();
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
