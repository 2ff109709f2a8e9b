package org.attentionanalytics.recommend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.state.ValueState;
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
public final class ItemNeighboursFunction extends EventTimeOrderedFunction<String, ItemMessage, RankMessage> {
    private static final long serialVersionUID = 1L;

    private static final Comparator<ItemMessage> ORDER = Comparator.comparing(ItemMessage::getKind)
            .thenComparing(m -> m.getOther() == null ? "" : m.getOther())
            .thenComparing(m -> m.getUser() == null ? "" : m.getUser())
            .thenComparingDouble(ItemMessage::getCount);

    private final RecsSettings settings;
    private final long ttlMs;
    private transient ItemTable table;
    private transient ValueState<ItemRow> row;

    public ItemNeighboursFunction(RecsSettings settings, long ttlMs) {
        super(ItemMessage.class);
        this.settings = settings;
        this.ttlMs = ttlMs;
    }

    @Override
    void openState() {
        table = new ItemTable(settings.halfLifeMs(), settings.neighbours());
        row = getRuntimeContext().getState(RecsState.value(RecsState.ITEM_ROW, ItemRow.class, ttlMs));
    }

    @Override
    Comparator<ItemMessage> order() {
        return ORDER;
    }

    @Override
    long timeOf(ItemMessage message) {
        return message.getTime();
    }

    /**
     * A live request's QUERY is answered on arrival from the row as it stands, always (an empty
     * answer too: the ranking counts them), and changes nothing.
     */
    @Override
    boolean onArrival(ItemMessage message, Context ctx, Collector<RankMessage> out) throws Exception {
        if (message.getLiveId() == 0) {
            return false;
        }
        ItemRow r = row.value();
        ItemTable.Neighbours n =
                r == null ? new ItemTable.Neighbours(List.of(), List.of()) : table.query(r, message.getLimit());
        out.collect(scores(message, n.items(), n.similarities()));
        return true;
    }

    /** QUERY, then COUNT, then PAIR (the order of {@link #ORDER}). */
    @Override
    void apply(List<ItemMessage> messages, long t, Context ctx, Collector<RankMessage> out) throws Exception {
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
        if (!n.items().isEmpty()) {
            out.collect(scores(query, n.items(), n.similarities()));
        }
    }

    /** @return the answer to {@code query}: the neighbours' similarities times the query's weight */
    private static RankMessage scores(ItemMessage query, List<String> items, List<Double> similarities) {
        List<Double> scores = new ArrayList<>();
        for (double s : similarities) {
            scores.add(s * query.getWeight());
        }
        return RankMessage.newBuilder()
                .setUser(query.getUser())
                .setKind(RankMessageKind.SCORES)
                .setTime(query.getTime())
                .setItems(items)
                .setScores(scores)
                .setLiveId(query.getLiveId())
                .build();
    }
}
