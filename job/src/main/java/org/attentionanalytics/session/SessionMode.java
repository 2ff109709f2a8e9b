package org.attentionanalytics.session;

import java.util.Locale;

/**
 * How events become sessions, {@code --sessions} (DESIGN.md section 5): by the inactivity gap
 * (the default), or by the tracker's session id ({@code client}: Snowplow's {@code
 * domain_sessionid}, the inputs' {@code session_id}), as Snowplow's data models group events.
 * Written and read in lower case; parsing ignores case.
 */
public enum SessionMode {
    /** A session is a run of events with gaps below the inactivity gap, capped at the maximum duration. */
    GAP,
    /**
     * Events with the same tracker session id form one session of the identity of its first event
     * ({@link ClientSessionRouting}); it closes after the inactivity gap and reopens under its own
     * id when another of its events comes, until the maximum session duration after its start.
     * Events without a session id are sessionized by the gap.
     */
    CLIENT;

    /**
     * @param text {@code gap} or {@code client}, any case
     * @throws IllegalArgumentException for anything else, saying what is accepted
     */
    public static SessionMode parse(String text) {
        for (SessionMode m : values()) {
            if (m.toString().equals(text.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("must be gap or client, not " + text);
    }

    /** @return the option value: {@code gap} or {@code client} */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
