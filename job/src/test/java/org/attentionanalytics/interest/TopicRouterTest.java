package org.attentionanalytics.interest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.attentionanalytics.testutil.Events.at;
import static org.attentionanalytics.testutil.Events.dwell;
import static org.attentionanalytics.testutil.Events.view;

import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.pipeline.SideOutputs;
import org.junit.jupiter.api.Test;

class TopicRouterTest {
    private static final String U = "u1";

    @Test
    void inlineTopicsAreRolledUpAndBypassTheJoinOthersWithAnItemGoToIt() throws Exception {
        try (OneInputStreamOperatorTestHarness<AttentionEvent, AttentionEvent> h =
                ProcessFunctionTestHarnesses.forProcessFunction(new TopicRouter(2))) {
            AttentionEvent inline =
                    view(U, "a1", at(0, 0), "appliances.kitchen.kettle", "appliances.kitchen.toaster", "home");
            AttentionEvent weighted = AttentionEvent.newBuilder(view(U, "a2", at(0, 1), "a.b.c", "a.b.d"))
                    .setTopicWeights(List.of(1.0, 2.0))
                    .build();
            AttentionEvent noTopics = dwell(U, "a3", 5_000, at(0, 2));
            AttentionEvent noItem = view(U, null, at(0, 3));
            AttentionEvent emptyTopicOnly = view(U, "a4", at(0, 4), "");
            for (AttentionEvent e : List.of(inline, weighted, noTopics, noItem, emptyTopicOnly)) {
                h.processElement(e, e.getEventTime());
            }

            List<AttentionEvent> bypass = h.extractOutputValues();
            assertThat(bypass)
                    .extracting(AttentionEvent::getEventId)
                    .containsExactly(inline.getEventId(), weighted.getEventId(), noItem.getEventId());
            assertThat(bypass.get(0).getTopics()).containsExactly("appliances.kitchen", "home");
            assertThat(bypass.get(0).getTopicWeights()).isEmpty(); // equal shares
            assertThat(bypass.get(1).getTopics()).containsExactly("a.b");
            assertThat(bypass.get(1).getTopicWeights()).containsExactly(3.0);
            assertThat(bypass.get(2).getTopics()).isEmpty();

            List<AttentionEvent> toJoin = h.getSideOutput(SideOutputs.NEEDS_CATALOG).stream()
                    .map(StreamRecord::getValue)
                    .toList();
            assertThat(toJoin)
                    .extracting(AttentionEvent::getEventId)
                    .containsExactly(noTopics.getEventId(), emptyTopicOnly.getEventId());
            assertThat(toJoin.get(1).getTopics()).isEmpty();
            // the input was not modified in place
            assertThat(inline.getTopics()).hasSize(3);
        }
    }
}
