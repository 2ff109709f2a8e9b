package org.attentionanalytics.testutil;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * Fetches the records of its {@link MemorySplit}s from {@link InputTopics} as the Kafka consumer
 * would hand them over: {@link ConsumerRecord}s with topic, partition, offset, CreateTime timestamp
 * and copies of the key and value bytes. A bounded split finishes at the end of its partition; a
 * live one waits for more records until {@link InputTopics#endLive}. A split paused by watermark
 * alignment is not read until it is resumed.
 */
final class MemorySplitReader implements SplitReader<ConsumerRecord<byte[], byte[]>, MemorySplit> {
    private static final int MAX_PER_FETCH = 500;
    private static final long IDLE_WAIT_MS = 20;

    private final InputTopics topics;
    private final boolean live;
    private final Map<String, MemorySplit.Position> splits = new LinkedHashMap<>();
    private final Set<String> paused = new HashSet<>();
    private final Object wake = new Object();

    MemorySplitReader(String run, boolean live) {
        this.topics = InputTopics.lookup(run);
        this.live = live;
    }

    @Override
    public RecordsWithSplitIds<ConsumerRecord<byte[], byte[]>> fetch() {
        boolean ended = !live || topics.ended(); // read before the records: none added before it is missed
        RecordsBySplits.Builder<ConsumerRecord<byte[], byte[]>> out = new RecordsBySplits.Builder<>();
        boolean progress = false;
        for (var it = splits.entrySet().iterator(); it.hasNext(); ) {
            MemorySplit.Position p = it.next().getValue();
            if (paused.contains(p.split.splitId())) {
                continue;
            }
            List<RawRecord> records = topics.read(p.split.topic(), p.split.partition(), p.next);
            int n = Math.min(records.size(), MAX_PER_FETCH);
            for (int i = 0; i < n; i++) {
                out.add(p.split, consumerRecord(p.split, p.next++, records.get(i)));
            }
            if (ended && n == records.size()) {
                out.addFinishedSplit(p.split.splitId());
                it.remove();
            }
            progress |= n > 0 || ended;
        }
        if (!progress) {
            synchronized (wake) {
                try {
                    wake.wait(IDLE_WAIT_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        return out.build();
    }

    private static ConsumerRecord<byte[], byte[]> consumerRecord(MemorySplit split, long offset, RawRecord r) {
        byte[] key = r.key() == null ? null : r.key().clone();
        byte[] value = r.value() == null ? null : r.value().clone();
        return new ConsumerRecord<>(
                split.topic(),
                split.partition(),
                offset,
                r.timestamp(),
                TimestampType.CREATE_TIME,
                key == null ? -1 : key.length,
                value == null ? -1 : value.length,
                key,
                value,
                new RecordHeaders(),
                Optional.empty());
    }

    @Override
    public void handleSplitsChanges(SplitsChange<MemorySplit> change) {
        for (MemorySplit s : change.splits()) {
            splits.put(s.splitId(), new MemorySplit.Position(s));
        }
    }

    @Override
    public void pauseOrResumeSplits(Collection<MemorySplit> pause, Collection<MemorySplit> resume) {
        pause.forEach(s -> paused.add(s.splitId()));
        resume.forEach(s -> paused.remove(s.splitId()));
    }

    @Override
    public void wakeUp() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    @Override
    public void close() {}
}
