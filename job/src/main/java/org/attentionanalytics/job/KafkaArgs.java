package org.attentionanalytics.job;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pass-through Kafka client properties on a command line: {@code --kafka.<property>=<value>} or
 * {@code --kafka.<property> <value>} (e.g. {@code --kafka.security.protocol=SASL_SSL}). They are
 * taken out of the arguments before picocli parses the rest, since picocli cannot declare an open
 * family of option names.
 */
public final class KafkaArgs {
    /** The prefix of a pass-through property argument. */
    public static final String PREFIX = "--kafka.";

    private KafkaArgs() {}

    /**
     * Removes every {@code --kafka.<property>=<value>} and {@code --kafka.<property> <value>} from
     * {@code args} (a mutable list) and returns the properties in argument order; a later value for
     * the same property wins. Arguments after {@code --} (end of options) are left alone. An empty
     * value ({@code --kafka.x=}) is kept as the empty string.
     *
     * @throws IllegalArgumentException for {@code --kafka.} without a property name, or a {@code
     *     --kafka.<property>} without {@code =} that is the last argument
     */
    public static Map<String, String> extractKafkaProperties(List<String> args) {
        Map<String, String> props = new LinkedHashMap<>();
        Iterator<String> it = args.iterator();
        while (it.hasNext()) {
            String arg = it.next();
            if (arg.equals("--")) {
                break;
            }
            if (!arg.startsWith(PREFIX)) {
                continue;
            }
            it.remove();
            String rest = arg.substring(PREFIX.length());
            int eq = rest.indexOf('=');
            String name = eq >= 0 ? rest.substring(0, eq) : rest;
            if (name.isEmpty()) {
                throw new IllegalArgumentException("no property name in '" + arg + "'");
            }
            String value;
            if (eq >= 0) {
                value = rest.substring(eq + 1);
            } else if (it.hasNext()) {
                value = it.next();
                it.remove();
            } else {
                throw new IllegalArgumentException("no value for " + arg);
            }
            props.put(name, value);
        }
        return props;
    }
}
