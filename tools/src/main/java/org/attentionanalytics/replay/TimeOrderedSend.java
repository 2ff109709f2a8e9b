package org.attentionanalytics.replay;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.attentionanalytics.avro.ErasureRequest;

/**
 * The event part of {@link DatasetReplay}: sends events and erasure requests in one event-time
 * order, paced by {@code --speedup}, with the progress bar.
 */
final class TimeOrderedSend {

    private TimeOrderedSend() {}

    static void publish(
            List<ReplayEvent> events,
            List<ErasureRequest> erasures,
            ReplayFormat format,
            double speedup,
            Properties producerProps,
            ReplayTopics topics,
            boolean showProgress,
            ReplaySender.Waiting waiting)
            throws InterruptedException {
        List<Timed> out = new ArrayList<>(events.size() + erasures.size());
        for (SpecificRecordBase r : interleave(events, erasures)) {
            if (r instanceof ErasureRequest e) {
                out.add(erasure(e, format, topics));
            } else {
                ReplayEvent e = ReplayEvent.of(r);
                out.add(new Timed(
                        e.eventTime(),
                        new ProducerRecord<>(
                                e.isDwell() ? topics.dwell() : topics.clickstream(),
                                e.userId().getBytes(StandardCharsets.UTF_8),
                                format.encode(r))));
            }
        }
        send(
                out,
                erasures.isEmpty() ? "events" : "events and erasure requests",
                speedup,
                producerProps,
                showProgress,
                waiting);
    }

    /**
     * As {@link #publish} for a {@code snowplow} dataset: its enriched lines (sorted by event time)
     * to {@code topics.snowplow()}, as they are (UTF-8), keyed by {@link SnowplowRows.Line#key}; the
     * erasure requests among them as there, a request after every line of the same or an earlier time.
     */
    static void publishSnowplow(
            List<SnowplowRows.Line> lines,
            List<ErasureRequest> erasures,
            double speedup,
            ReplayFormat format,
            Properties producerProps,
            ReplayTopics topics,
            boolean showProgress,
            ReplaySender.Waiting waiting)
            throws InterruptedException {
        List<Timed> out = new ArrayList<>(lines.size() + erasures.size());
        int i = 0;
        int j = 0;
        while (i < lines.size() || j < erasures.size()) {
            if (j < erasures.size()
                    && (i == lines.size()
                            || erasures.get(j)
                                    .getRequestedAt()
                                    .isBefore(lines.get(i).eventTime()))) {
                out.add(erasure(erasures.get(j++), format, topics));
            } else {
                SnowplowRows.Line l = lines.get(i++);
                out.add(new Timed(
                        l.eventTime(),
                        new ProducerRecord<>(
                                topics.snowplow(),
                                l.key() == null ? null : l.key().getBytes(StandardCharsets.UTF_8),
                                l.line().getBytes(StandardCharsets.UTF_8))));
            }
        }
        send(
                out,
                erasures.isEmpty() ? "Snowplow events" : "Snowplow events and erasure requests",
                speedup,
                producerProps,
                showProgress,
                waiting);
    }

    /** A record to send and the event time it is paced by. */
    private record Timed(Instant at, ProducerRecord<byte[], byte[]> record) {}

    private static Timed erasure(ErasureRequest e, ReplayFormat format, ReplayTopics topics) {
        return new Timed(
                e.getRequestedAt(),
                new ProducerRecord<>(
                        topics.privacyRequests(), e.getUserId().getBytes(StandardCharsets.UTF_8), format.encode(e)));
    }

    /**
     * Sends {@code records} in their order, each no earlier than its time after the first's divided
     * by {@code speedup} (0: as fast as possible), with the progress bar when asked; waits for every
     * acknowledgement ({@link ReplaySender}).
     */
    private static void send(
            List<Timed> records,
            String what,
            double speedup,
            Properties producerProps,
            boolean showProgress,
            ReplaySender.Waiting waiting)
            throws InterruptedException {
        if (!(speedup >= 0)) {
            throw new IllegalArgumentException("speedup must be >= 0, got " + speedup);
        }
        ReplaySender.producerProperties(producerProps); // a transactional.id fails here, before the bar is drawn
        ProgressBar bar = showProgress
                ? new ProgressBarBuilder()
                        .setTaskName("replay")
                        .setInitialMax(records.size())
                        .setUnit(" events", 1)
                        .setStyle(
                                System.console() != null
                                        ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK
                                        : ProgressBarStyle.ASCII) // no escape codes in redirected logs
                        .setConsumer(new ConsoleProgressBarConsumer(System.err))
                        .showSpeed()
                        .build()
                : null;
        try (ReplaySender sender = new ReplaySender(producerProps, waiting, records.size(), what, bar != null)) {
            long startNanos = System.nanoTime();
            long firstMillis = records.isEmpty() ? 0 : records.get(0).at().toEpochMilli();
            for (Timed t : records) {
                if (speedup > 0) {
                    long dueNanos = startNanos + (long) ((t.at().toEpochMilli() - firstMillis) * 1e6 / speedup);
                    long waitNanos = dueNanos - System.nanoTime();
                    if (waitNanos > 0) {
                        TimeUnit.NANOSECONDS.sleep(waitNanos);
                    }
                }
                sender.send(t.record());
                if (bar != null) {
                    bar.step();
                }
            }
            sender.finish();
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
    }

    /**
     * The send order of events and erasure requests, both sorted by time: merged by time, a request
     * after every event of the same or an earlier time.
     *
     * @return ClickEvents, DwellEvents and ErasureRequests
     */
    static List<SpecificRecordBase> interleave(List<ReplayEvent> events, List<ErasureRequest> erasures) {
        List<SpecificRecordBase> out = new ArrayList<>(events.size() + erasures.size());
        int i = 0;
        int j = 0;
        while (i < events.size() || j < erasures.size()) {
            if (j < erasures.size()
                    && (i == events.size()
                            || erasures.get(j)
                                    .getRequestedAt()
                                    .isBefore(events.get(i).eventTime()))) {
                out.add(erasures.get(j++));
            } else {
                out.add(events.get(i++).record());
            }
        }
        return out;
    }
}
