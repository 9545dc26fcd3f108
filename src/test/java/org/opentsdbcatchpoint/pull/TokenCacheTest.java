package org.opentsdbcatchpoint.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TokenCacheTest {
  private final FakeClock clock = FakeClock.atSeconds(Runs.NOON);
  private final AtomicInteger fetches = new AtomicInteger();

  private TokenCache cache(long expiresIn) {
    return new TokenCache(() -> new TokenCache.Token("t" + fetches.incrementAndGet(), expiresIn), clock);
  }

  @Test
  void tokenIsReusedUntilExpiresInMinusAMargin() throws Exception {
    TokenCache c = cache(1800);
    assertEquals("t1", c.get());
    clock.advance(1000L * (1800 - 61));
    assertEquals("t1", c.get());
    // The margin is a tenth of the lifetime, at most a minute: 60 s before expiry it is renewed.
    clock.advance(1000);
    assertEquals("t2", c.get());
    assertEquals(2, fetches.get());
  }

  @Test
  void shortLivedTokensKeepATenthAsMargin() throws Exception {
    TokenCache c = cache(100);
    assertEquals("t1", c.get());
    clock.advance(89_999);
    assertEquals("t1", c.get());
    clock.advance(1);
    assertEquals("t2", c.get());
  }

  @Test
  void invalidateDropsOnlyTheTokenThatFailed() throws Exception {
    TokenCache c = cache(1800);
    assertEquals("t1", c.get());
    c.invalidate("t0");
    assertEquals("t1", c.get());
    c.invalidate("t1");
    assertEquals("t2", c.get());
    assertEquals("t2", c.get());
  }

  @Test
  void aFailedFetchIsNotCached() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    TokenCache c = new TokenCache(() -> {
      if (calls.incrementAndGet() == 1) {
        throw new PullException(PullException.Kind.UNAVAILABLE, 503, "down", null);
      }
      return new TokenCache.Token("ok", 1800);
    }, clock);
    assertThrows(PullException.class, c::get);
    assertEquals("ok", c.get());
  }

  @Test
  void bearerIsBase64OfTheTokenOrTheTokenItself() {
    assertEquals("YWJj", V1Client.bearer("abc", false));
    assertEquals("abc", V1Client.bearer("abc", true));
  }
}
