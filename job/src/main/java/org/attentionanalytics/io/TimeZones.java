package org.attentionanalytics.io;

import java.time.ZoneId;
import java.util.Set;

/**
 * Which time zone ids the job accepts: the region ids of the IANA time zone database as the JVM
 * ships it ({@link ZoneId#getAvailableZoneIds()}: {@code Europe/Berlin}, {@code UTC}, {@code
 * Etc/GMT-3}). {@link ZoneId#of} also takes offsets and prefixed offsets ({@code +03:00}, {@code
 * UTC+3}, {@code GMT+3}), which are not zones: they have no daylight-saving rules, so days in them
 * would be wrong half of the year, and producers that send them usually meant a region.
 */
public final class TimeZones {
    private static final Set<String> IANA = ZoneId.getAvailableZoneIds();

    private TimeZones() {}

    /** @return true when {@code id} is an IANA zone id known to this JVM */
    public static boolean isIana(String id) {
        return id != null && IANA.contains(id);
    }

    /**
     * @return the zone
     * @throws IllegalArgumentException naming {@code what} when {@code id} is not an IANA zone id
     */
    public static ZoneId iana(String id, String what) {
        if (!isIana(id)) {
            throw new IllegalArgumentException(
                    what + " '" + id + "' is not an IANA time zone id (e.g. Europe/Berlin, UTC; "
                            + "offsets such as UTC+3 are not zones)");
        }
        return ZoneId.of(id);
    }
}
