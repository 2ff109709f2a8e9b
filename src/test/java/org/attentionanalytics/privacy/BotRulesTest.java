package org.attentionanalytics.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class BotRulesTest {
  private static final String CHROME =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
  private static final String GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

  @Test
  void cachedVerdictsAreTheRegexVerdictsWhateverTheCharSequence() {
    BotRules rules = BotRules.parse("googlebot\nheadless");
    for (int i = 0; i < 3; i++) {
      assertThat(rules.isBot(GOOGLEBOT)).isTrue();
      assertThat(rules.isBot(new Utf8(GOOGLEBOT))).isTrue();
      assertThat(rules.isBot(CHROME)).isFalse();
      assertThat(rules.isBot(new Utf8("HeadlessChrome/131"))).isTrue();
      assertThat(rules.isBot(null)).isFalse();
    }
    assertThat(rules.cachedVerdicts()).isEqualTo(3);
  }

  @Test
  void theCacheIsBounded() {
    BotRules rules = BotRules.parse("bot");
    for (int i = 0; i < BotRules.CACHE_SIZE + 100; i++) {
      assertThat(rules.isBot("agent-" + i + (i % 2 == 0 ? " bot" : ""))).isEqualTo(i % 2 == 0);
    }
    assertThat(rules.cachedVerdicts()).isEqualTo(BotRules.CACHE_SIZE);
  }
}
