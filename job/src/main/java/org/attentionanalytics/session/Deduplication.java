package org.attentionanalytics.session;

import java.util.ArrayList;
import java.util.List;
import org.attentionanalytics.avro.internal.UserState;

/**
 * De-duplication memory in {@link UserState} (DESIGN.md section 3): 64-bit hashes of recent event
 * ids with their event times. An event is a duplicate when the same id was seen for the same user
 * within the window of event time (default 1 h) either side.
 */
final class Deduplication {
    private Deduplication() {}

    /** @return true when the event is new (and is now remembered), false for a duplicate */
    static boolean remember(UserState st, long idHash, long eventTime, long windowMs) {
        List<Long> hashes = st.getDedupeHashes();
        List<Long> times = st.getDedupeTimes();
        for (int i = 0; i < hashes.size(); i++) {
            if (hashes.get(i) == idHash && Math.abs(times.get(i) - eventTime) < windowMs) {
                return false;
            }
        }
        hashes.add(idHash);
        times.add(eventTime);
        return true;
    }

    /**
     * Forgets ids seen before {@code before} (ms); the caller passes a time no event still to be
     * applied (waiting, or late but not too late) can match: its earliest time minus the window.
     */
    static void prune(UserState st, long before) {
        List<Long> hashes = st.getDedupeHashes();
        List<Long> times = st.getDedupeTimes();
        boolean any = false;
        for (long t : times) {
            if (t < before) {
                any = true;
                break;
            }
        }
        if (!any) {
            return;
        }
        List<Long> keptHashes = new ArrayList<>();
        List<Long> keptTimes = new ArrayList<>();
        for (int i = 0; i < hashes.size(); i++) {
            if (times.get(i) >= before) {
                keptHashes.add(hashes.get(i));
                keptTimes.add(times.get(i));
            }
        }
        st.setDedupeHashes(keptHashes);
        st.setDedupeTimes(keptTimes);
    }
}
