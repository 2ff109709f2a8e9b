package org.attentionanalytics.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.attentionanalytics.testutil.Events.at;
import static org.attentionanalytics.testutil.Events.dwell;
import static org.attentionanalytics.testutil.Events.view;

import org.attentionanalytics.avro.internal.AttentionEvent;
import org.junit.jupiter.api.Test;

/** {@link WaitingEvents}: which users a watermark makes due, and their events in event order. */
class WaitingEventsTest {
    @Test
    void aWatermarkFindsTheUsersWithEventsAtOrBeforeItEarliestFirst() {
        WaitingEvents w = new WaitingEvents();
        w.add("a", view("a", "x", at(3, 0)));
        w.add("b", view("b", "y", at(2, 0)));
        w.add("a", view("a", "z", at(1, 0))); // earlier than a's first: a is now due at 1:00
        w.add("c", view("c", "q", at(5, 0)));
        assertThat(w.size()).isEqualTo(4);

        assertThat(w.nextDue(at(2, 0))).isEqualTo("a");
        assertThat(w.takeUpTo("a", at(2, 0)))
                .extracting(AttentionEvent::getEventTime)
                .containsExactly(at(1, 0));
        assertThat(w.nextDue(at(2, 0))).isEqualTo("b");
        assertThat(w.takeUpTo("b", at(2, 0)))
                .extracting(AttentionEvent::getEventTime)
                .containsExactly(at(2, 0));
        assertThat(w.nextDue(at(2, 0))).as("a's 3:00 and c's 5:00 are later").isNull();
        assertThat(w.size()).isEqualTo(2);

        assertThat(w.nextDue(at(4, 0))).isEqualTo("a");
        assertThat(w.takeUpTo("a", at(4, 0)))
                .extracting(AttentionEvent::getEventTime)
                .containsExactly(at(3, 0));
        assertThat(w.nextDue(at(4, 0))).isNull();
        assertThat(w.users()).containsExactly("c");
    }

    @Test
    void eventsOfOneUserComeOutInEventOrderClicksBeforeDwellAtTheSameTime() {
        WaitingEvents w = new WaitingEvents();
        w.add("a", dwell("a", "x", 5_000, at(1, 0)));
        w.add("a", view("a", "x", at(1, 0)));
        w.add("a", view("a", "y", at(0, 30)));
        assertThat(w.takeAll("a"))
                .extracting(AttentionEvent::getEventTime, AttentionEvent::getKind)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                at(0, 30), org.attentionanalytics.avro.internal.EventKind.CLICK),
                        org.assertj.core.groups.Tuple.tuple(
                                at(1, 0), org.attentionanalytics.avro.internal.EventKind.CLICK),
                        org.assertj.core.groups.Tuple.tuple(
                                at(1, 0), org.attentionanalytics.avro.internal.EventKind.DWELL));
        assertThat(w.size()).isZero();
        assertThat(w.nextDue(Long.MAX_VALUE))
                .as("the queue entries of a taken user are stale")
                .isNull();
    }
}
