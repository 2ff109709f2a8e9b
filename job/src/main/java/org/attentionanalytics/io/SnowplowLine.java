package org.attentionanalytics.io;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Arrays;
import java.util.List;

/**
 * One Snowplow enriched event as enrich writes it to Kafka: one line of {@value #FIELD_COUNT}
 * tab-separated fields in the order of Snowplow's "Enriched stream TSV file format" page (the
 * canonical event model; the Analytics SDKs read it the same way), an empty field for a value that
 * is not set. Fields are read by their documented index, named here as Snowplow names them.
 * Timestamps are {@code yyyy-MM-dd HH:mm:ss.SSS} in UTC (fewer or more fraction digits, or none,
 * are read too).
 */
public final class SnowplowLine {
    /** The columns of the enriched TSV, in order (Snowplow's documented header). */
    public static final List<String> FIELDS = List.of(
            "app_id",
            "platform",
            "etl_tstamp",
            "collector_tstamp",
            "dvce_created_tstamp",
            "event",
            "event_id",
            "txn_id",
            "name_tracker",
            "v_tracker",
            "v_collector",
            "v_etl",
            "user_id",
            "user_ipaddress",
            "user_fingerprint",
            "domain_userid",
            "domain_sessionidx",
            "network_userid",
            "geo_country",
            "geo_region",
            "geo_city",
            "geo_zipcode",
            "geo_latitude",
            "geo_longitude",
            "geo_region_name",
            "ip_isp",
            "ip_organization",
            "ip_domain",
            "ip_netspeed",
            "page_url",
            "page_title",
            "page_referrer",
            "page_urlscheme",
            "page_urlhost",
            "page_urlport",
            "page_urlpath",
            "page_urlquery",
            "page_urlfragment",
            "refr_urlscheme",
            "refr_urlhost",
            "refr_urlport",
            "refr_urlpath",
            "refr_urlquery",
            "refr_urlfragment",
            "refr_medium",
            "refr_source",
            "refr_term",
            "mkt_medium",
            "mkt_source",
            "mkt_term",
            "mkt_content",
            "mkt_campaign",
            "contexts",
            "se_category",
            "se_action",
            "se_label",
            "se_property",
            "se_value",
            "unstruct_event",
            "tr_orderid",
            "tr_affiliation",
            "tr_total",
            "tr_tax",
            "tr_shipping",
            "tr_city",
            "tr_state",
            "tr_country",
            "ti_orderid",
            "ti_sku",
            "ti_name",
            "ti_category",
            "ti_price",
            "ti_quantity",
            "pp_xoffset_min",
            "pp_xoffset_max",
            "pp_yoffset_min",
            "pp_yoffset_max",
            "useragent",
            "br_name",
            "br_family",
            "br_version",
            "br_type",
            "br_renderengine",
            "br_lang",
            "br_features_pdf",
            "br_features_flash",
            "br_features_java",
            "br_features_director",
            "br_features_quicktime",
            "br_features_realplayer",
            "br_features_windowsmedia",
            "br_features_gears",
            "br_features_silverlight",
            "br_cookies",
            "br_colordepth",
            "br_viewwidth",
            "br_viewheight",
            "os_name",
            "os_family",
            "os_manufacturer",
            "os_timezone",
            "dvce_type",
            "dvce_ismobile",
            "dvce_screenwidth",
            "dvce_screenheight",
            "doc_charset",
            "doc_width",
            "doc_height",
            "tr_currency",
            "tr_total_base",
            "tr_tax_base",
            "tr_shipping_base",
            "ti_currency",
            "ti_price_base",
            "base_currency",
            "geo_timezone",
            "mkt_clickid",
            "mkt_network",
            "etl_tags",
            "dvce_sent_tstamp",
            "refr_domain_userid",
            "refr_device_tstamp",
            "derived_contexts",
            "domain_sessionid",
            "derived_tstamp",
            "event_vendor",
            "event_name",
            "event_format",
            "event_version",
            "event_fingerprint",
            "true_tstamp");

    /** Fields of a line: {@value}. */
    public static final int FIELD_COUNT = 131;

    public static final int COLLECTOR_TSTAMP = index("collector_tstamp");
    public static final int DVCE_CREATED_TSTAMP = index("dvce_created_tstamp");
    public static final int EVENT = index("event");
    public static final int EVENT_ID = index("event_id");
    public static final int USER_ID = index("user_id");
    public static final int DOMAIN_USERID = index("domain_userid");
    public static final int NETWORK_USERID = index("network_userid");
    public static final int PAGE_URL = index("page_url");
    public static final int PAGE_REFERRER = index("page_referrer");
    public static final int PAGE_URLPATH = index("page_urlpath");
    public static final int CONTEXTS = index("contexts");
    public static final int UNSTRUCT_EVENT = index("unstruct_event");
    public static final int TI_SKU = index("ti_sku");
    public static final int PP_YOFFSET_MAX = index("pp_yoffset_max");
    public static final int USERAGENT = index("useragent");
    public static final int BR_VIEWHEIGHT = index("br_viewheight");
    public static final int OS_TIMEZONE = index("os_timezone");
    public static final int DOC_HEIGHT = index("doc_height");
    public static final int DERIVED_CONTEXTS = index("derived_contexts");
    public static final int DOMAIN_SESSIONID = index("domain_sessionid");
    public static final int DERIVED_TSTAMP = index("derived_tstamp");
    public static final int EVENT_NAME = index("event_name");

    private static final DateTimeFormatter TSTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .toFormatter();

    private final String[] fields;

    private SnowplowLine(String[] fields) {
        this.fields = fields;
    }

    /**
     * @param value one enriched event, UTF-8
     * @throws Malformed when the line does not have {@value #FIELD_COUNT} fields (the detail says how many it has)
     */
    public static SnowplowLine parse(byte[] value) throws Malformed {
        String line = new String(value, StandardCharsets.UTF_8);
        if (line.endsWith("\n")) {
            line = line.substring(0, line.length() - (line.endsWith("\r\n") ? 2 : 1));
        }
        String[] fields = line.split("\t", -1);
        if (fields.length != FIELD_COUNT) {
            throw new Malformed("expected " + FIELD_COUNT + " tab-separated fields of a Snowplow enriched event, got "
                    + fields.length);
        }
        return new SnowplowLine(fields);
    }

    /** @return the field at {@code index}, or null when it is empty */
    public String get(int index) {
        String f = fields[index];
        return f.isEmpty() ? null : f;
    }

    /**
     * @return the timestamp at {@code index}, or null when the field is empty
     * @throws Malformed naming the field when it is not {@code yyyy-MM-dd HH:mm:ss.SSS}
     */
    public Instant tstamp(int index) throws Malformed {
        String f = get(index);
        if (f == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(f, TSTAMP).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new Malformed(FIELDS.get(index) + " is not a timestamp yyyy-MM-dd HH:mm:ss.SSS");
        }
    }

    /** @return the whole number at {@code index}, or null when the field is empty or no whole number */
    public Long number(int index) {
        String f = get(index);
        if (f == null) {
            return null;
        }
        try {
            return Long.parseLong(f.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** @return the line with the fields at {@code emptied} empty and {@code replace}'s changes, as UTF-8 */
    public byte[] encode(int[] emptied, java.util.function.BiFunction<Integer, String, String> replace) {
        String[] out = Arrays.copyOf(fields, fields.length);
        for (int i : emptied) {
            out[i] = "";
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = replace.apply(i, out[i]);
        }
        return String.join("\t", out).getBytes(StandardCharsets.UTF_8);
    }

    /** @return the index of the field Snowplow calls {@code name} */
    public static int index(String name) {
        int i = FIELDS.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no Snowplow enriched field " + name);
        }
        return i;
    }

    /** A line that is not a Snowplow enriched event, or a field that cannot be read: an UNDECODABLE dead letter. */
    public static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        public Malformed(String detail) {
            super(detail, null, false, false);
        }
    }
}
