package org.attentionanalytics.replay;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
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
        if (!(speedup >= 0)) {
            throw new IllegalArgumentException("speedup must be >= 0, got " + speedup);
        }
        ReplaySender.producerProperties(producerProps); // a transactional.id fails here, before the bar is drawn
        ProgressBar bar = showProgress
                ? new ProgressBarBuilder()
                        .setTaskName("replay")
                        .setInitialMax(events.size() + erasures.size())
                        .setUnit(" events", 1)
                        .setStyle(
                                System.console() != null
                                        ? me.tongfei.progressbar.ProgressBarStyle.COLORFUL_UNICODE_BLOCK
                                        : me.tongfei.progressbar.ProgressBarStyle
                                                .ASCII) // no escape codes in redirected logs
                        .setConsumer(new ConsoleProgressBarConsumer(System.err))
                        .showSpeed()
                        .build()
                : null;
        try (ReplaySender sender = new ReplaySender(
                producerProps,
                waiting,
                events.size() + erasures.size(),
                erasures.isEmpty() ? "events" : "events and erasure requests",
                bar != null)) {
            long startNanos = System.nanoTime();
            long firstMillis = Math.min(
                    events.isEmpty()
                            ? Long.MAX_VALUE
                            : events.get(0).eventTime().toEpochMilli(),
                    erasures.isEmpty()
                            ? Long.MAX_VALUE
                            : erasures.get(0).getRequestedAt().toEpochMilli());
            for (SpecificRecordBase r : interleave(events, erasures)) {
                Instant at = r instanceof ErasureRequest e
                        ? e.getRequestedAt()
                        : ReplayEvent.of(r).eventTime();
                if (speedup > 0) {
                    long dueNanos = startNanos + (long) ((at.toEpochMilli() - firstMillis) * 1e6 / speedup);
                    long waitNanos = dueNanos - System.nanoTime();
                    if (waitNanos > 0) {
                        TimeUnit.NANOSECONDS.sleep(waitNanos);
                    }
                }
                ProducerRecord<byte[], byte[]> record;
                if (r instanceof ErasureRequest e) {
                    record = new ProducerRecord<>(
                            topics.privacyRequests(), e.getUserId().getBytes(StandardCharsets.UTF_8), format.encode(e));
                } else {
                    ReplayEvent e = ReplayEvent.of(r);
                    record = new ProducerRecord<>(
                            e.isDwell() ? topics.dwell() : topics.clickstream(),
                            e.userId().getBytes(StandardCharsets.UTF_8),
                            format.encode(r));
                }
                sender.send(record);
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
        if (!(speedup >= 0)) {
            throw new IllegalArgumentException("speedup must be >= 0, got " + speedup);
        }
        ReplaySender.producerProperties(producerProps);
        List<Instant> times = new java.util.ArrayList<>(lines.size() + erasures.size());
        List<ProducerRecord<byte[], byte[]>> records = new java.util.ArrayList<>(lines.size() + erasures.size());
        int i = 0;
        int j = 0;
        while (i < lines.size() || j < erasures.size()) {
            if (j < erasures.size()
                    && (i == lines.size()
                            || erasures.get(j)
                                    .getRequestedAt()
                                    .isBefore(lines.get(i).eventTime()))) {
                ErasureRequest e = erasures.get(j++);
                times.add(e.getRequestedAt());
                records.add(new ProducerRecord<>(
                        topics.privacyRequests(), e.getUserId().getBytes(StandardCharsets.UTF_8), format.encode(e)));
            } else {
                SnowplowRows.Line l = lines.get(i++);
                times.add(l.eventTime());
                records.add(new ProducerRecord<>(
                        topics.snowplow(),
                        l.key() == null ? null : l.key().getBytes(StandardCharsets.UTF_8),
                        l.line().getBytes(StandardCharsets.UTF_8)));
            }
        }
        ProgressBar bar = showProgress
                ? new ProgressBarBuilder()
                        .setTaskName("replay")
                        .setInitialMax(records.size())
                        .setUnit(" events", 1)
                        .setStyle(
                                System.console() != null
                                        ? me.tongfei.progressbar.ProgressBarStyle.COLORFUL_UNICODE_BLOCK
                                        : me.tongfei.progressbar.ProgressBarStyle.ASCII)
                        .setConsumer(new ConsoleProgressBarConsumer(System.err))
                        .showSpeed()
                        .build()
                : null;
        try (ReplaySender sender = new ReplaySender(
                producerProps,
                waiting,
                records.size(),
                erasures.isEmpty() ? "Snowplow events" : "Snowplow events and erasure requests",
                bar != null)) {
            long startNanos = System.nanoTime();
            long firstMillis = times.isEmpty() ? 0 : times.get(0).toEpochMilli();
            for (int k = 0; k < records.size(); k++) {
                if (speedup > 0) {
                    long dueNanos = startNanos + (long) ((times.get(k).toEpochMilli() - firstMillis) * 1e6 / speedup);
                    long waitNanos = dueNanos - System.nanoTime();
                    if (waitNanos > 0) {
                        TimeUnit.NANOSECONDS.sleep(waitNanos);
                    }
                }
                sender.send(records.get(k));
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
        List<SpecificRecordBase> out = new java.util.ArrayList<>(events.size() + erasures.size());
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
