package org.attentionanalytics.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.local.demo.DemoRecord;
import org.attentionanalytics.local.demo.DemoTraffic;

/**
 * Not a test (CI does not run it): fills a running job's per-user state quickly for the README's
 * "Operating" sizing numbers (deploy/local-cluster/measure-state.sh drives it).
 *
 * <p>Runs {@link DemoTraffic} (natural rate: sessions of VIEWs with topics and dwell heartbeats,
 * searches, clicks, carts, a little noise) on a simulated clock from {@code now - minutes} up to
 * the wall clock, as fast as possible, and produces every record to Kafka. Event times therefore
 * lie within the last {@code minutes}. User ids get {@code prefix}, so that a second run adds new
 * users instead of repeating the first run's.
 *
 * <p>Usage: {@code StateSizeMeasure BOOTSTRAP USERS MINUTES PREFIX [CLICK_TOPIC DWELL_TOPIC]};
 * BOOTSTRAP {@code -} only counts (nothing is sent).
 */
public final class StateSizeMeasure {
    private StateSizeMeasure() {}

    /** A clock the generator reads; we move it forward. */
    static final class SteppedClock extends Clock {
        volatile long millis;

        SteppedClock(long millis) {
            this.millis = millis;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public long millis() {
            return millis;
        }
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        int users = Integer.parseInt(args[1]);
        long minutes = Long.parseLong(args[2]);
        String prefix = args[3];
        String clickTopic = args.length > 4 ? args[4] : "clickstream";
        String dwellTopic = args.length > 5 ? args[5] : "dwell-time";

        SteppedClock clock = new SteppedClock(
                System.currentTimeMillis() - Duration.ofMinutes(minutes).toMillis());
        DemoTraffic traffic = new DemoTraffic(users * 31L + prefix.hashCode(), users, clock);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        long sent = 0;
        long kept = 0;
        java.util.Set<String> people = new java.util.HashSet<>();
        boolean dryRun = "-".equals(bootstrap);
        long started = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer =
                dryRun ? null : new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            while (true) {
                long now = System.currentTimeMillis();
                boolean last = clock.millis >= now;
                clock.millis = Math.min(clock.millis + 5_000, now);
                List<DemoRecord> batch = traffic.nextBatch();
                for (DemoRecord r : batch) {
                    String key = prefix + r.key();
                    byte[] value = rewrite(r, prefix);
                    String topic = DemoRecord.CLICKSTREAM.equals(r.topic()) ? clickTopic : dwellTopic;
                    if (!dryRun) {
                        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
                    }
                    sent++;
                    if (value != r.value()) {
                        kept++;
                        if (!r.key().startsWith("bot-")) {
                            people.add(key);
                        }
                    }
                }
                if (last) {
                    break;
                }
            }
            if (!dryRun) {
                producer.flush();
            }
        }
        System.out.printf(
                "StateSizeMeasure: %,d users (prefix %s), %d min of event time, %,d records sent "
                        + "(%,d decodable), %,d distinct users with a decodable record (bots not counted) in %.1f s%s%n",
                users,
                prefix,
                minutes,
                sent,
                kept,
                people.size(),
                (System.nanoTime() - started) / 1e9,
                dryRun ? " (dry run: nothing sent)" : "");
    }

    /** The record with the prefixed user id; garbage bytes (intended dead letters) stay as they are. */
    private static byte[] rewrite(DemoRecord r, String prefix) {
        try {
            ByteBuffer out;
            if (DemoRecord.CLICKSTREAM.equals(r.topic())) {
                ClickEvent e = ClickEvent.fromByteBuffer(ByteBuffer.wrap(r.value()));
                e.setUserId(prefix + e.getUserId());
                out = e.toByteBuffer();
            } else {
                DwellEvent e = DwellEvent.fromByteBuffer(ByteBuffer.wrap(r.value()));
                e.setUserId(prefix + e.getUserId());
                out = e.toByteBuffer();
            }
            byte[] bytes = new byte[out.remaining()];
            out.get(bytes);
            return bytes;
        } catch (Exception garbage) {
            return r.value();
        }
    }
}
