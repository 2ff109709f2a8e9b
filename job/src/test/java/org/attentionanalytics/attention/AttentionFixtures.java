package org.attentionanalytics.attention;

import java.util.ArrayList;
import java.util.List;
import org.attentionanalytics.avro.AlertType;
import org.attentionanalytics.avro.AttentionAlert;
import org.attentionanalytics.avro.DailyAttentionReport;
import org.attentionanalytics.avro.internal.AttentionState;
import org.attentionanalytics.avro.internal.SessionState;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.avro.internal.ViewState;

/** Plain state and a recording {@link AttentionTracker.Output} for the engines' unit tests (no Flink). */
final class AttentionFixtures {
    private AttentionFixtures() {}

    /** A user with these topics in the topic dictionary (index = position) and a fresh attention state. */
    static UserState user(String... topics) {
        UserState st = UserState.newBuilder()
                .setTopicDictionary(new ArrayList<>(List.of(topics)))
                .build();
        AttentionTracker.attention(st);
        return st;
    }

    /** A fresh attention state: empty buckets, no stretch, no budget, no day. */
    static AttentionState state() {
        return user().getAttention();
    }

    /** A view at {@code time} with {@code engagedMs} engaged, not classified, no topics. */
    static ViewState view(long time, long engagedMs) {
        return ViewState.newBuilder()
                .setTime(time)
                .setItem(0)
                .setTopics(new ArrayList<>())
                .setEngagedMs(engagedMs)
                .setSynthetic(false)
                .build();
    }

    /** A session {@code [start, end]} with these views. */
    static SessionState session(String id, long start, long end, boolean closed, ViewState... views) {
        return SessionState.newBuilder()
                .setSessionId(id)
                .setStart(start)
                .setEnd(end)
                .setEventCount(views.length)
                .setClicks(0)
                .setPurchase(false)
                .setEngagedMs(0)
                .setClosed(closed)
                .setLastOpenMinute(-1)
                .setItems(new ArrayList<>())
                .setViews(new ArrayList<>(List.of(views)))
                .build();
    }

    /** Everything an engine sent out, in order. */
    static final class Recorded implements AttentionTracker.Output {
        final List<AttentionAlert> alerts = new ArrayList<>();
        final List<DailyAttentionReport> reports = new ArrayList<>();
        final List<AlertType> optedOut = new ArrayList<>();
        final List<String> contributions = new ArrayList<>();

        @Override
        public void alert(AttentionAlert alert) {
            alerts.add(alert);
        }

        @Override
        public void report(DailyAttentionReport report) {
            reports.add(report);
        }

        @Override
        public void optedOut(AlertType type) {
            optedOut.add(type);
        }

        @Override
        public void contribution(String category, long t, long engagedMs, int views) {
            contributions.add(category + "@" + t + ":" + engagedMs + "ms," + views + "v");
        }
    }
}
