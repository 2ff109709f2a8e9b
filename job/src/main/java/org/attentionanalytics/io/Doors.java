package org.attentionanalytics.io;

import org.attentionanalytics.avro.internal.EventKind;

/**
 * The doors of the job's input topics by the kind of event they make: a {@link RecordDoor} with
 * the kind's {@link RecordMapper}. {@link EventDeserializer} runs one in a Kafka source.
 */
public final class Doors {
    private Doors() {}

    /**
     * @return the door of {@code clickstream} (CLICK) or {@code dwell-time} (DWELL)
     * @throws IllegalArgumentException for another kind
     */
    public static DoorDecoder event(EventKind kind, DoorSettings settings) {
        return switch (kind) {
            case CLICK -> new RecordDoor<>(new ClickMapper(), settings);
            case DWELL -> new RecordDoor<>(new DwellMapper(), settings);
            default -> throw new IllegalArgumentException("not an event kind: " + kind);
        };
    }

    /**
     * @param userIds {@code --snowplow.user-id}
     * @return the door of Snowplow enriched events ({@code --topic.snowplow}), {@link SnowplowDoor}
     */
    public static DoorDecoder snowplow(DoorSettings settings, java.util.List<String> userIds) {
        return new SnowplowDoor(settings, userIds); // its lines are TSV whatever --input-format says
    }

    /** @return {@link #control(EventKind, DoorSettings, java.util.List)} with the default rules' categories */
    public static DoorDecoder control(EventKind kind, DoorSettings settings) {
        return control(
                kind,
                settings,
                org.attentionanalytics.attention.CategoryRules.defaults().categories());
    }

    /**
     * @param categories the category rules' categories (focus blocks may name only these)
     * @return the door of {@code attention-budgets} (BUDGET), {@code privacy-requests} (ERASURE) or
     *     {@code focus-blocks} (FOCUS_BLOCKS)
     * @throws IllegalArgumentException for another kind
     */
    public static DoorDecoder control(EventKind kind, DoorSettings settings, java.util.List<String> categories) {
        return switch (kind) {
            case BUDGET -> new RecordDoor<>(new BudgetMapper(), settings);
            case ERASURE -> new RecordDoor<>(new ErasureMapper(), settings);
            case FOCUS_BLOCKS -> new RecordDoor<>(new FocusBlockMapper(categories), settings);
            default -> throw new IllegalArgumentException("not a control kind: " + kind);
        };
    }
}
