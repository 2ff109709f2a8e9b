package org.attentionanalytics.bench;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.ContentProfile;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.EventType;

/**
 * Turns an {@link EventGenerator.Plan} and the generator's item catalog into Avro single-object
 * encoded records (clicks, dwells, content profiles) and loads them into {@link MemoryTopics}. No
 * random draws happen here: the bytes depend only on the plan and the catalog.
 */
final class EventEncoder {
    private static final String[] BROWSERS = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"
    };

    private final String[] topicCodes;
    private final int[][] itemTopics;

    /** Uses the generator's topic codes (per topic index) and topic indices (per item). */
    EventEncoder(String[] topicCodes, int[][] itemTopics) {
        this.topicCodes = topicCodes;
        this.itemTopics = itemTopics;
    }

    /**
     * Encodes event {@code j} of the plan (Avro single-object encoding) with event time {@code
     * timeMs} (the plan's, or the send time for the latency run) and event id {@code "ev-" + id}
     * (the latency run sends the plan over and over: each send needs an id of its own, or the job
     * drops it as a duplicate).
     */
    byte[] encode(EventGenerator.Plan plan, int j, long timeMs, long id) {
        int u = plan.user[j];
        int it = plan.item[j];
        String userId = EventGenerator.userId(u);
        String eventId = "ev-" + id;
        try {
            ByteBuffer b;
            if (plan.kind[j] == EventGenerator.DWELL) {
                b = DwellEvent.newBuilder()
                        .setEventId(eventId)
                        .setUserId(userId)
                        .setEventTime(Instant.ofEpochMilli(timeMs))
                        .setItemId(EventGenerator.itemId(it))
                        .setDwellMs((long) plan.dwellMs[j])
                        .setScrollDepthPct(50 + (j % 51))
                        .setVisible(true)
                        .setTopics(List.of())
                        .setTimeZone("Europe/Copenhagen")
                        .setUserAgent(BROWSERS[u % BROWSERS.length])
                        .build()
                        .toByteBuffer();
            } else {
                List<String> topics = new ArrayList<>(itemTopics[it].length);
                for (int t : itemTopics[it]) {
                    topics.add(topicCodes[t]);
                }
                b = ClickEvent.newBuilder()
                        .setEventId(eventId)
                        .setUserId(userId)
                        .setEventTime(Instant.ofEpochMilli(timeMs))
                        .setEventType(plan.kind[j] == EventGenerator.VIEW ? EventType.VIEW : EventType.CLICK)
                        .setItemId(EventGenerator.itemId(it))
                        .setTopics(topics)
                        .setUrl("https://news.example.com/a/" + it)
                        .setReferrer(null)
                        .setUserAgent(BROWSERS[u % BROWSERS.length])
                        .setIp("192.0.2." + (u % 250))
                        .setTimeZone("Europe/Copenhagen")
                        .build()
                        .toByteBuffer();
            }
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the catalog: one {@link ContentProfile} per item, equal weights over its topics */
    List<ContentProfile> catalog() {
        List<ContentProfile> out = new ArrayList<>(EventGenerator.ITEMS);
        for (int i = 0; i < EventGenerator.ITEMS; i++) {
            Map<String, Double> topics = new TreeMap<>();
            for (int t : itemTopics[i]) {
                topics.put(topicCodes[t], 1.0);
            }
            out.add(ContentProfile.newBuilder()
                    .setItemId(EventGenerator.itemId(i))
                    .setTopics(topics)
                    .build());
        }
        return out;
    }

    /**
     * Fills {@code topics} with the plan: {@code clickTopic} (VIEW and CLICK), {@code dwellTopic}
     * (DWELL), each record keyed by the raw user id, duplicates twice; and {@code catalogTopic}.
     */
    void fill(
            EventGenerator.Plan plan, MemoryTopics topics, String clickTopic, String dwellTopic, String catalogTopic) {
        for (int j = 0; j < plan.size(); j++) {
            byte[] value = encode(plan, j, plan.time[j], j);
            String topic = EventGenerator.isClickTopic(plan.kind[j]) ? clickTopic : dwellTopic;
            String key = EventGenerator.userId(plan.user[j]);
            topics.append(topic, key, value);
            if (plan.duplicate[j]) {
                topics.append(topic, key, value);
            }
        }
        for (ContentProfile p : catalog()) {
            try {
                ByteBuffer b = p.toByteBuffer();
                byte[] v = new byte[b.remaining()];
                b.get(v);
                topics.append(catalogTopic, p.getItemId(), v);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        topics.topic(clickTopic);
        topics.topic(dwellTopic);
        topics.trim();
    }
}
