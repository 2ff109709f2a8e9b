package org.attentionanalytics.interest;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.pipeline.SideOutputs;

/**
 * Before the catalog join: rolls inline topics up to {@code --topic-depth} (merging duplicates,
 * {@link Topics#rollUp(java.util.List, java.util.List, int)}) and routes each event.
 *
 * <ul>
 *   <li>Main output (around the join): events with inline topics (non-empty after the roll-up),
 *       and events without {@code item_id} (nothing to look up; they have no topics and no signal).
 *   <li>Side output {@link #NEEDS_CATALOG}: events with an {@code item_id} and no inline topics, to
 *       be joined with the catalog by {@code item_id}.
 * </ul>
 *
 * Stateless; events keep their order within a subtask on each output.
 */
public class TopicRouter extends ProcessFunction<AttentionEvent, AttentionEvent> {
    private static final long serialVersionUID = 1L;

    private final int topicDepth;

    /** @param topicDepth {@code --topic-depth}; {@code <= 0}: topics stay whole (duplicates are still merged) */
    public TopicRouter(int topicDepth) {
        this.topicDepth = topicDepth;
    }

    @Override
    public void processElement(AttentionEvent event, Context ctx, Collector<AttentionEvent> out) {
        Topics.Weighted t = Topics.rollUp(event.getTopics(), event.getTopicWeights(), topicDepth);
        if (t.topics() != event.getTopics() || t.weights() != event.getTopicWeights()) {
            // A copy: the input may be shared when object reuse is on.
            event = AttentionEvent.newBuilder(event)
                    .setTopics(t.topics())
                    .setTopicWeights(t.weights())
                    .build();
        }
        String item = event.getItemId();
        if (t.isEmpty() && item != null && !item.isEmpty()) {
            ctx.output(SideOutputs.NEEDS_CATALOG, event);
        } else {
            out.collect(event);
        }
    }
}
