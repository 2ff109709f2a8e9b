package org.attentionanalytics.recommend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.attentionanalytics.avro.internal.ItemMessage;
import org.attentionanalytics.avro.internal.ItemRow;
import org.attentionanalytics.avro.internal.RankMessage;
import org.attentionanalytics.avro.internal.RankMessageKind;

/**
 * The item-to-item table, keyed by item id: the Flink adapter of {@link ItemTable}. At each event
 * time, once the watermark passes it, the row first answers the queries of that time (so a view at
 * t is ranked with the table as it stood for events before t), then takes the counts and pairs of
 * that time, then keeps its top k. Answers (weighted similarities) go to the asking user's ranking.
 */
public final class ItemNeighboursFunction extends KeyedProcessFunction<String, ItemMessage, RankMessage> {
    private static final long serialVersionUID = 1L;

    private static final Comparator<ItemMessage> ORDER = Comparator.comparing(ItemMessage::getKind)
            .thenComparing(m -> m.getOther() == null ? "" : m.getOther())
            .thenComparing(m -> m.getUser() == null ? "" : m.getUser())
            .thenComparingDouble(ItemMessage::getCount);

    private final RecsSettings settings;
    private final long ttlMs;
    private transient ItemTable table;
    private transient ValueState<ItemRow> row;
    private transient TimeBuffer<ItemMessage> waiting;

    public ItemNeighboursFunction(RecsSettings settings, long ttlMs) {
        this.settings = settings;
        this.ttlMs = ttlMs;
    }

    @Override
    public void open(OpenContext context) {
        table = new ItemTable(settings.halfLifeMs(), settings.neighbours());
        row = getRuntimeContext().getState(RecsState.value(RecsState.ITEM_ROW, ItemRow.class, ttlMs));
        waiting = new TimeBuffer<>(
                getRuntimeContext().getMapState(TimeBuffer.descriptor(RecsState.WAITING, ItemMessage.class)));
    }

    @Override
    public void processElement(ItemMessage message, Context ctx, Collector<RankMessage> out) throws Exception {
        if (!waiting.offer(message, message.getTime(), ctx.timerService())) {
            apply(new ArrayList<>(List.of(message)), message.getTime(), out);
        }
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<RankMessage> out) throws Exception {
        apply(waiting.take(t), t, out);
    }

    private void apply(List<ItemMessage> messages, long t, Collector<RankMessage> out) throws Exception {
        messages.sort(ORDER); // QUERY, then COUNT, then PAIR
        ItemRow r = row.value();
        boolean changed = false;
        for (ItemMessage m : messages) {
            switch (m.getKind()) {
                case QUERY -> {
                    if (r != null) {
                        answer(r, m, out);
                    }
                }
                case COUNT -> {
                    r = r == null ? ItemTable.emptyRow(t) : r;
                    table.setCount(r, m.getCount(), m.getTime());
                    changed = true;
                }
                case PAIR -> {
                    r = r == null ? ItemTable.emptyRow(t) : r;
                    table.addPair(r, m.getOther(), m.getCount(), m.getTime());
                    changed = true;
                }
            }
        }
        if (changed) {
            table.trim(r);
            row.update(r);
        }
    }

    private void answer(ItemRow r, ItemMessage query, Collector<RankMessage> out) {
        ItemTable.Neighbours n = table.query(r, query.getLimit());
        if (n.items().isEmpty()) {
            return;
        }
        List<Double> scores = new ArrayList<>();
        for (double s : n.similarities()) {
            scores.add(s * query.getWeight());
        }
        out.collect(RankMessage.newBuilder()
                .setUser(query.getUser())
                .setKind(RankMessageKind.SCORES)
                .setTime(query.getTime())
                .setItems(n.items())
                .setScores(scores)
                .build());
    }
}
