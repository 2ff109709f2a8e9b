package org.attentionanalytics.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.PatternSyntaxException;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Yauaa's verdicts on real user agents, the extra rules on top, and the verdict cache. */
class BotRulesTest {
    private static final String CHROME =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private static final String GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
    private static final String CUBOT =
            "Mozilla/5.0 (Linux; Android 10; CUBOT NOTE 20) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.6045.163 Mobile Safari/537.36";

    private static final BotRules YAUAA = BotRules.defaults();

    @ParameterizedTest
    @ValueSource(
            strings = {
                // the phone the old rule "bot\b" dropped
                CUBOT,
                // Android Chrome: Samsung, the reduced user agent of Chrome 110+, Pixel; Samsung Internet
                "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
                "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
                "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
                "Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
                // the Facebook app's in-app browser (an Android WebView)
                "Mozilla/5.0 (Linux; Android 13; SM-S918B Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/131.0.6778.81 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/491.0.0.53.109;]",
                // iPhone and iPad Safari
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
                "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
                // desktops: Chrome, Edge, Firefox, Safari
                CHROME,
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
                "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
                // native Android apps whose requests name only OkHttp (Yauaa: Robot Mobile, overruled) ...
                "InPost-Mobile/3.27.2 (Android 14; SDK 34) okhttp/4.11.0",
                "VTM_GO/25.260415 (be.vmma.vtm.zenderapp; build:30644; Android 30) okhttp/4.11.0",
                // ... and iOS apps (Yauaa: Mobile App)
                "MyShop/5.2.1 CFNetwork/1494.0.7 Darwin/23.4.0",
                // what other tests send as a human's agent
                "Mozilla/5.0",
                "PiiAgent/9.9",
                "PiiAgent/9.9 (secret-ua)"
            })
    void peopleAreNotBots(String userAgent) {
        assertThat(YAUAA.isBot(userAgent)).as(userAgent).isFalse();
    }

    @Test
    void googlebotDesktopIsABot() {
        assertThat(YAUAA.isBot(GOOGLEBOT)).isTrue();
        assertThat(YAUAA.isBot("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; "
                        + "+http://www.google.com/bot.html) Chrome/131.0.6778.69 Safari/537.36"))
                .isTrue();
    }

    @Test
    void googlebotSmartphoneIsABot() {
        assertThat(
                        YAUAA.isBot(
                                "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, "
                                        + "like Gecko) Chrome/131.0.6778.69 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"))
                .isTrue();
    }

    @Test
    void aFakeGooglebotIsABot() {
        // Yauaa: Robot Imitator (no URL of Google's)
        assertThat(YAUAA.isBot("Mozilla/5.0 (compatible; Googlebot/2.1)")).isTrue();
    }

    @Test
    void bingbotIsABot() {
        assertThat(YAUAA.isBot("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"))
                .isTrue();
    }

    @Test
    void yandexBotIsABot() {
        assertThat(YAUAA.isBot("Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)"))
                .isTrue();
    }

    @Test
    void facebookExternalHitIsABot() {
        // Yauaa: DeviceClass Robot, AgentClass Special
        assertThat(YAUAA.isBot("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"))
                .isTrue();
    }

    @Test
    void ahrefsBotIsABot() {
        assertThat(YAUAA.isBot("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)"))
                .isTrue();
    }

    @Test
    void headlessChromeIsABot() {
        // Yauaa: DeviceClass Desktop, AgentClass Robot
        assertThat(YAUAA.isBot("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                        + "HeadlessChrome/131.0.0.0 Safari/537.36"))
                .isTrue();
    }

    @Test
    void phantomJsIsABot() {
        assertThat(YAUAA.isBot("Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) "
                        + "PhantomJS/2.1.1 Safari/538.1"))
                .isTrue();
    }

    @Test
    void curlIsABot() {
        assertThat(YAUAA.isBot("curl/8.5.0")).isTrue();
    }

    @Test
    void pythonRequestsIsABot() {
        assertThat(YAUAA.isBot("python-requests/2.31.0")).isTrue();
    }

    @Test
    void goJavaPerlAndBareOkHttpClientsAreBots() {
        assertThat(YAUAA.isBot("Go-http-client/1.1")).isTrue();
        assertThat(YAUAA.isBot("Java/17.0.9")).isTrue();
        assertThat(YAUAA.isBot("libwww-perl/6.72")).isTrue();
        assertThat(YAUAA.isBot("okhttp/4.12.0")).isTrue();
    }

    @Test
    void noUserAgentIsNoBot() {
        // Yauaa calls an empty agent Hacker; without an agent there is nothing to judge
        assertThat(YAUAA.isBot(null)).isFalse();
        assertThat(YAUAA.isBot("")).isFalse();
        assertThat(YAUAA.isBot("   ")).isFalse();
    }

    @Test
    void extraRulesAddToYauaa(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bots.txt");
        Files.writeString(
                file,
                "# our own monitoring\n\nacme-uptime\n"
                        + "# our Selenium runs pin this Firefox\nrv:99\\.0\\.1\\) Gecko/20100101 Firefox/99\\.0\\.1$\n");
        String uptime = "Acme-Uptime/2.0 (Linux; Android 14; Pixel 8)";
        String selenium = "Mozilla/5.0 (X11; Linux x86_64; rv:99.0.1) Gecko/20100101 Firefox/99.0.1";
        BotRules rules = BotRules.load(file.toString());
        assertThat(rules.isBot(uptime)).isTrue();
        assertThat(rules.isBot(selenium)).isTrue();
        assertThat(rules.isBot(GOOGLEBOT)).isTrue();
        assertThat(rules.isBot(CUBOT)).isFalse();
        assertThat(rules.isBot(null)).isFalse();
        // Yauaa alone takes both for people
        assertThat(BotRules.load(null).isBot(uptime)).isFalse();
        assertThat(BotRules.load(" ").isBot(selenium)).isFalse();
    }

    @Test
    void aBadRuleOrAMissingFileFailsAtLoad(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bots.txt");
        Files.writeString(file, "crawler(\n");
        assertThatThrownBy(() -> BotRules.load(file.toString())).isInstanceOf(PatternSyntaxException.class);
        assertThatThrownBy(() -> BotRules.load(dir.resolve("missing.txt").toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bot rules");
    }

    @Test
    void cachedVerdictsAreTheVerdictsWhateverTheCharSequence() {
        BotRules rules = BotRules.parse("acme-uptime");
        for (int i = 0; i < 3; i++) {
            assertThat(rules.isBot(GOOGLEBOT)).isTrue();
            assertThat(rules.isBot(new Utf8(GOOGLEBOT))).isTrue();
            assertThat(rules.isBot(CHROME)).isFalse();
            assertThat(rules.isBot(new Utf8("Acme-Uptime/1.0"))).isTrue();
            assertThat(rules.isBot(null)).isFalse();
        }
        assertThat(rules.cachedVerdicts()).isEqualTo(3);
    }

    @Test
    void theCacheIsBounded() {
        BotRules rules = BotRules.parse("acme-uptime");
        for (int i = 0; i < BotRules.CACHE_SIZE + 100; i++) {
            String ua = i % 2 == 0
                    ? "Acme-Uptime/" + i
                    : "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0."
                            + i + ".0 Safari/537.36";
            assertThat(rules.isBot(ua)).as(ua).isEqualTo(i % 2 == 0);
        }
        assertThat(rules.cachedVerdicts()).isEqualTo(BotRules.CACHE_SIZE);
    }

    @Test
    void survivesJavaSerializationWithItsRulesAndWithoutItsCache() throws Exception {
        BotRules rules = BotRules.parse("acme-uptime");
        assertThat(rules.isBot(CHROME)).isFalse();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(rules);
        }
        BotRules copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (BotRules) in.readObject();
        }
        assertThat(bytes.size()).as("no analyzer, no cache").isLessThan(1000);
        assertThat(copy.cachedVerdicts()).isZero();
        assertThat(copy.isBot("Acme-Uptime/1.0")).isTrue();
        assertThat(copy.isBot(GOOGLEBOT)).isTrue();
        assertThat(copy.isBot(CHROME)).isFalse();
    }
}
