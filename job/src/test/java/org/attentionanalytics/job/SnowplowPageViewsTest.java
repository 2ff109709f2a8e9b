package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.attentionanalytics.avro.PageView;
import org.attentionanalytics.avro.SessionStatus;
import org.attentionanalytics.privacy.Pseudonymizer;
import org.attentionanalytics.testutil.GraphRun;
import org.attentionanalytics.testutil.OutputTopics.Keyed;
import org.attentionanalytics.testutil.RawRecord;
import org.attentionanalytics.testutil.SnowplowLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A page view and its pings through the Snowplow door and the job's whole graph ({@code
 * --snowplow}, bounded, in-memory sources, {@link GraphRun}), with the default {@code --heartbeat}
 * 10 s and {@code --min-visit} 5 s, which are Snowplow's web model defaults.
 *
 * <p>Snowplow's page-view model (dbt-snowplow-web, {@code snowplow_web_pv_engaged_time}): {@code
 * engaged_time_in_s = heartbeat * (count(distinct floor(dvce_created_tstamp / heartbeat)) - 1) +
 * min_visit_length}. Pings created at T+5, +15, +25 s (T a multiple of 10 s) fall in 3 distinct
 * buckets: 10 * (3 - 1) + 5 = 25 s. The job's view of the same events must say 25 s.
 */
class SnowplowPageViewsTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = GraphRun.miniCluster();

    @TempDir
    Path dir;

    static final String KEY = "snowplow-key";
    static final Instant T = Instant.parse("2025-01-06T09:00:00Z");

    static SnowplowLines view() {
        return SnowplowLines.line()
                .set("app_id", "shop")
                .set("platform", "web")
                .set("collector_tstamp", T.plusMillis(800))
                .set("dvce_created_tstamp", T)
                .set("derived_tstamp", T)
                .set("event", "page_view")
                .set("event_id", "ev-view")
                .set("domain_userid", "duid-1")
                .set("network_userid", "nuid-1")
                .set("user_ipaddress", "203.0.113.9")
                .set("page_url", "https://shop.example/news/a")
                .set("page_urlpath", "/news/a")
                .set("useragent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
                .set("domain_sessionid", "sess-1")
                .webPage("pv-1");
    }

    static SnowplowLines ping(int s) {
        return view().set("event", "page_ping")
                .set("event_id", "ev-ping-" + s)
                .set("dvce_created_tstamp", T.plusSeconds(s))
                .set("derived_tstamp", T.plusSeconds(s).plusMillis(700))
                .set("collector_tstamp", T.plusSeconds(s).plusMillis(900))
                .set("pp_yoffset_max", "500")
                .set("br_viewheight", "700")
                .set("doc_height", "3000");
    }

    static RawRecord record(SnowplowLines line) {
        return RawRecord.bytes(0, "203.0.113.9", line.bytes());
    }

    @Test
    void aPageViewWithPingsAtPlus5And15And25SecondsIsEngaged25Seconds() throws Exception {
        JobOptions options = GraphRun.boundedOptions(dir, KEY);
        options.snowplow = true;
        assertThat(options.heartbeat.toMillis()).isEqualTo(10_000);
        assertThat(options.minVisit.toMillis()).isEqualTo(5_000);
        List<Keyed<PageView>> pageViews;
        try (GraphRun run = new GraphRun(options)) {
            run.add(options.snowplowTopic, record(view()), record(ping(5)), record(ping(15)), record(ping(25)));
            run.run();
            pageViews = run.outputs().decoded(options.pageViewsTopic, PageView.class);
        }
        String user = new Pseudonymizer(KEY.getBytes(StandardCharsets.UTF_8)).pseudonym("duid-1");
        assertThat(pageViews).isNotEmpty().allSatisfy(k -> assertThat(k.key()).isEqualTo(user));
        PageView last = pageViews.get(pageViews.size() - 1).value();
        assertThat(pageViews).extracting(k -> k.value().getViewId()).containsOnly("pv-1");
        assertThat(last.getStatus()).isEqualTo(SessionStatus.CLOSED);
        assertThat(last.getItemId()).isEqualTo("/news/a");
        assertThat(last.getStart()).isEqualTo(T);
        assertThat(last.getLastActivity()).isEqualTo(T.plusSeconds(25));
        assertThat(last.getEngagedMs()).as("Snowplow: 10 * (3 - 1) + 5 s").isEqualTo(25_000);
        assertThat(last.getMaxScrollPct()).as("round(100 * (500 + 700) / 3000)").isEqualTo(40);
    }
}
