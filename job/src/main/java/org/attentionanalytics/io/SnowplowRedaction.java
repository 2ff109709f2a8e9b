package org.attentionanalytics.io;

import static org.attentionanalytics.io.SnowplowLine.DOMAIN_SESSIONID;
import static org.attentionanalytics.io.SnowplowLine.EVENT_ID;
import static org.attentionanalytics.io.SnowplowLine.PAGE_REFERRER;
import static org.attentionanalytics.io.SnowplowLine.PAGE_URL;

import java.io.Serializable;
import java.util.List;
import java.util.stream.Stream;
import org.attentionanalytics.privacy.Pseudonymizer;

/**
 * The redacted copy a Snowplow dead letter keeps with {@code --dlq.redact} (DESIGN.md section 3):
 * the enriched line with the {@link #PII} fields and the free-text and JSON fields emptied, {@code
 * page_url} and {@code page_referrer} without query and fragment, and {@code event_id} and {@code
 * domain_sessionid} as their HMACs under the pseudonym key (the session id as the events carry it),
 * so that a dead letter names its event without naming its person.
 */
final class SnowplowRedaction implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Fields that never leave the door: not copied to events, emptied in redacted dead letters. */
    static final List<String> PII = List.of(
            "user_id",
            "user_ipaddress",
            "user_fingerprint",
            "domain_userid",
            "network_userid",
            "geo_country",
            "geo_region",
            "geo_city",
            "geo_zipcode",
            "geo_latitude",
            "geo_longitude",
            "geo_region_name",
            "geo_timezone",
            "ip_isp",
            "ip_organization",
            "ip_domain",
            "ip_netspeed",
            "useragent",
            "refr_domain_userid");

    /** Emptied in redacted dead letters besides {@link #PII}: free text or JSON a tracker or enrichment may fill with anything. */
    private static final List<String> FREE_TEXT = List.of(
            "contexts",
            "unstruct_event",
            "derived_contexts",
            "page_urlquery",
            "refr_urlquery",
            "page_title",
            "se_label",
            "se_property",
            "mkt_term",
            "mkt_content",
            "mkt_clickid");

    private final int[] emptied = Stream.concat(PII.stream(), FREE_TEXT.stream())
            .mapToInt(SnowplowLine::index)
            .toArray();

    /** @return {@code line} re-encoded without PII, as UTF-8 */
    byte[] redacted(SnowplowLine line, Pseudonymizer ids) {
        return line.encode(emptied, (i, f) -> {
            if (i == PAGE_URL || i == PAGE_REFERRER) {
                return ClickMapper.cutQuery(f);
            }
            if ((i == EVENT_ID || i == DOMAIN_SESSIONID) && !f.isEmpty()) {
                return ids.pseudonym(f);
            }
            return f;
        });
    }
}
