package org.attentionanalytics.io;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.attentionanalytics.avro.EventType;

/**
 * Where the fields of a {@code ClickEvent} are in JSON of another shape ({@code --json.*}, README
 * "JSON of any shape"): per field a path, and the producer's event names that map to the job's
 * {@link EventType}s ({@code --json.event-types}). A field without a path is read from its own
 * name at the top level, as without a mapping. Applies to the {@code clickstream} door only; the
 * {@code dwell-time} door reads the job's field names.
 *
 * <p>A path is a definite JsonPath, {@code $.a.b}, {@code $['a b']}, {@code $.a[0]} (no
 * wildcards, filters or deep scan), or a JSON Pointer, {@code /a/b} (RFC 6901); both compile to a
 * Jackson {@link JsonPointer}, once per door ({@link #compile}), evaluated on the tree of the
 * door's bounded parser ({@link DoorJson#mapper}), so the limits of a record apply as without a
 * mapping.
 */
public final class JsonMapping implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The fields of a ClickEvent a path can name, with the option that names it. */
    public enum Field {
        EVENT_ID,
        USER_ID,
        EVENT_TIME,
        EVENT_TYPE,
        ITEM_ID,
        TOPICS,
        URL,
        REFERRER,
        SEARCH_QUERY,
        DEVICE_ID,
        USER_AGENT,
        IP,
        TIME_ZONE,
        VIEW_ID,
        SESSION_ID;

        /** @return the field's name in the job's own JSON, {@code event_id} */
        public String fieldName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @return the option of its path, {@code --json.event-id} */
        public String option() {
            return "--json." + fieldName().replace('_', '-');
        }
    }

    /** No mapping: the job's own field names. */
    public static final JsonMapping NONE = new JsonMapping(new EnumMap<>(Field.class), new LinkedHashMap<>());

    private final EnumMap<Field, String> paths;
    private final LinkedHashMap<String, EventType> eventTypes;

    private JsonMapping(EnumMap<Field, String> paths, LinkedHashMap<String, EventType> eventTypes) {
        this.paths = paths;
        this.eventTypes = eventTypes;
    }

    /**
     * @param paths the path of each mapped field (null or blank values: not mapped)
     * @param eventTypes {@code --json.event-types}, {@code Name=TYPE,...}, or null
     * @throws IllegalArgumentException naming the option of a path that does not compile, or of
     *     an event type the job does not know
     */
    public static JsonMapping of(Map<Field, String> paths, String eventTypes) {
        EnumMap<Field, String> p = new EnumMap<>(Field.class);
        paths.forEach((f, path) -> {
            if (path != null && !path.isBlank()) {
                try {
                    pointer(path.trim());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(f.option() + " '" + path + "': " + e.getMessage());
                }
                p.put(f, path.trim());
            }
        });
        LinkedHashMap<String, EventType> types = eventTypes(eventTypes);
        return p.isEmpty() && types.isEmpty() ? NONE : new JsonMapping(p, types);
    }

    /** @return whether nothing is mapped: the job's own field names */
    public boolean isNone() {
        return paths.isEmpty() && eventTypes.isEmpty();
    }

    /** @return the path of {@code field} as given, or null when it is read from its own name */
    public String path(Field field) {
        return paths.get(field);
    }

    /** @return the producer's event names and the job's types they read as */
    public Map<String, EventType> eventTypes() {
        return Collections.unmodifiableMap(eventTypes);
    }

    /** @return the paths compiled, for one door */
    public Compiled compile() {
        return new Compiled(this);
    }

    /** The paths of a mapping compiled to pointers: what a door evaluates per record. */
    public static final class Compiled {
        private final JsonPointer[] pointers = new JsonPointer[Field.values().length];
        private final String[] labels = new String[Field.values().length];
        private final Map<String, EventType> eventTypes;

        private Compiled(JsonMapping m) {
            for (Field f : Field.values()) {
                String path = m.paths.get(f);
                pointers[f.ordinal()] = path == null ? JsonPointer.compile("/" + f.fieldName()) : pointer(path);
                labels[f.ordinal()] = path == null ? f.fieldName() : f.fieldName() + " (" + path + ")";
            }
            eventTypes = Map.copyOf(m.eventTypes);
        }

        /** @return the value at the field's path, or null when the path gives nothing or JSON null */
        public JsonNode at(JsonNode root, Field f) {
            JsonNode v = root.at(pointers[f.ordinal()]);
            return v == null || v.isMissingNode() || v.isNull() ? null : v;
        }

        /** @return how messages name the field: {@code user_id ($.userId)}, or {@code user_id} when unmapped */
        public String label(Field f) {
            return labels[f.ordinal()];
        }

        /**
         * @return the type of a producer's event name: as {@code --json.event-types} names it,
         *     else the job's own type of that name, else OTHER (as the Avro enum's default); OTHER for null
         */
        public EventType eventType(String raw) {
            if (raw == null) {
                return EventType.OTHER;
            }
            EventType t = eventTypes.get(raw);
            if (t != null) {
                return t;
            }
            try {
                return EventType.valueOf(raw);
            } catch (IllegalArgumentException e) {
                return EventType.OTHER;
            }
        }
    }

    /**
     * @param path a definite JsonPath ({@code $.a.b}, {@code $['a b']}, {@code $.a[0]}) or a JSON Pointer ({@code /a/b})
     * @return its pointer
     * @throws IllegalArgumentException saying what is accepted
     */
    static JsonPointer pointer(String path) {
        if (path.startsWith("/")) {
            try {
                return JsonPointer.compile(path);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a JSON Pointer: " + e.getMessage());
            }
        }
        String accepted = " (a definite JsonPath: $.a.b, $['a b'], $.a[0]; or a JSON Pointer: /a/b)";
        if (!path.startsWith("$") || path.length() < 2) {
            throw new IllegalArgumentException("must start with $. or /" + accepted);
        }
        StringBuilder ptr = new StringBuilder();
        int i = 1;
        while (i < path.length()) {
            char c = path.charAt(i);
            String segment;
            if (c == '.') {
                int end = i + 1;
                while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
                    end++;
                }
                segment = path.substring(i + 1, end);
                if (segment.isEmpty() || segment.equals("*") || segment.contains("]") || segment.contains("(")) {
                    throw new IllegalArgumentException("no name at position " + (i + 1) + accepted);
                }
                i = end;
            } else if (c == '[' && i + 1 < path.length() && (path.charAt(i + 1) == '\'' || path.charAt(i + 1) == '"')) {
                char quote = path.charAt(i + 1);
                StringBuilder name = new StringBuilder();
                int j = i + 2;
                while (j < path.length() && path.charAt(j) != quote) {
                    if (path.charAt(j) == '\\' && j + 1 < path.length()) {
                        j++;
                    }
                    name.append(path.charAt(j++));
                }
                if (j + 1 >= path.length() || path.charAt(j + 1) != ']') {
                    throw new IllegalArgumentException("unclosed [" + quote + " at position " + i + accepted);
                }
                segment = name.toString();
                i = j + 2;
            } else if (c == '[') {
                int close = path.indexOf(']', i);
                String index = close < 0 ? "" : path.substring(i + 1, close);
                if (!index.matches("[0-9]{1,9}")) {
                    throw new IllegalArgumentException("not an array index at position " + i + accepted);
                }
                segment = String.valueOf(Integer.parseInt(index));
                i = close + 1;
            } else {
                throw new IllegalArgumentException("unexpected '" + c + "' at position " + i + accepted);
            }
            ptr.append('/').append(segment.replace("~", "~0").replace("/", "~1"));
        }
        return JsonPointer.compile(ptr.toString());
    }

    /**
     * @param text {@code Product Viewed=VIEW,Order Completed=PURCHASE}: names trimmed, types any case
     * @throws IllegalArgumentException naming {@code --json.event-types}
     */
    static LinkedHashMap<String, EventType> eventTypes(String text) {
        LinkedHashMap<String, EventType> out = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String pair : text.split(",")) {
            int eq = pair.lastIndexOf('=');
            String name = eq < 0 ? "" : pair.substring(0, eq).trim();
            String type = eq < 0 ? "" : pair.substring(eq + 1).trim().toUpperCase(Locale.ROOT);
            if (name.isEmpty()) {
                throw new IllegalArgumentException(
                        "--json.event-types: '" + pair.trim() + "' is not NAME=TYPE (e.g. Product Viewed=VIEW)");
            }
            try {
                out.put(name, EventType.valueOf(type));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--json.event-types: '" + type + "' of '" + name
                        + "' is not an event type of the job: " + Arrays.toString(EventType.values()));
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonMapping m && m.paths.equals(paths) && m.eventTypes.equals(eventTypes);
    }

    @Override
    public int hashCode() {
        return paths.hashCode() * 31 + eventTypes.hashCode();
    }

    @Override
    public String toString() {
        return "JsonMapping" + paths + eventTypes;
    }
}
