package org.opentsdbcatchpoint.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.Fixtures;
import org.opentsdbcatchpoint.stats.Stats;

class CatchpointHttpTest {
  /** 2024-01-15T12:04:33Z. */
  private final FakeClock clock = new FakeClock((Runs.NOON + 4 * 60 + 33) * 1000);
  private final Stats stats = new Stats();
  private final ScriptedTransport transport = new ScriptedTransport();
  /** Jitter fixed at its top: attempt n waits exactly min(max, base * 2^(n-1)). */
  private final CatchpointHttp http = new CatchpointHttp("acme", transport, clock,
      new Backoff(4, 1000, 8000, () -> 0.999999999), 120_000, stats);
  private final HttpCall call = new HttpCall("GET", "http://catchpoint.test/raw?tests=1",
      Collections.singletonMap("Authorization", "Bearer SECRET"), null, 1000);

  private String get() throws Exception {
    return http.call(call, CatchpointHttp::readSome);
  }

  @Test
  void success() throws Exception {
    transport.then(200, "ok");
    assertEquals("ok", get());
    assertTrue(clock.sleeps().isEmpty());
  }

  @Test
  void tooManyRequestsWaitsAsLongAsRetryAfterSays() throws Exception {
    transport.then(429, "slow down", "Retry-After", "7").then(200, "ok");
    assertEquals("ok", get());
    assertEquals(Collections.singletonList(7000L), clock.sleeps());
    assertEquals(1, stats.get("catchpoint.pull.rate_limited", "account", "acme"));
  }

  @Test
  void retryAfterMayBeADate() throws Exception {
    transport.then(429, "", "Retry-After", "Mon, 15 Jan 2024 12:04:53 GMT").then(200, "ok");
    assertEquals("ok", get());
    assertEquals(Collections.singletonList(20_000L), clock.sleeps());
  }

  @Test
  void tooManyRequestsWithoutRetryAfterWaitsForTheUsageLimitPeriod() throws Exception {
    transport.then(429, Fixtures.text("rest-v2-429.json")).then(200, "ok");
    assertEquals("ok", get());
    // "Minute limit exceeded" at 12:04:33: the next minute starts in 27 s, plus a second.
    assertEquals(Collections.singletonList(28_000L), clock.sleeps());
  }

  @Test
  void usageLimitsWithoutAMessageUseRunsAgainstLimits() {
    String body = "{\"usageLimits\":{\"limits\":{\"minute\":20,\"hour\":500},\"runs\":{\"minute\":3,\"hour\":500}}}";
    long at = 1_705_320_273_000L;
    assertEquals(Long.valueOf(3_600_000L - (at % 3_600_000L) + 1000), CatchpointHttp.usageLimitsWait(body, at));
    assertEquals(null, CatchpointHttp.usageLimitsWait("not json", at));
  }

  @Test
  void aLongRateLimitIsNotSleptThroughButReportedWithItsEnd() {
    transport.then(429, "", "Retry-After", "3600");
    PullException e = assertThrows(PullException.class, this::get);
    assertEquals(PullException.Kind.RATE_LIMITED, e.kind());
    assertEquals(clock.nowMillis() + 3_600_000, e.retryAtMillis());
    assertTrue(clock.sleeps().isEmpty());
  }

  @Test
  void serverErrorsAndIoErrorsRetryWithExponentialBackoff() throws Exception {
    transport.then(500, "oops").then(503, "busy").thenFail(new SocketTimeoutException("Read timed out"))
        .then(200, "ok");
    assertEquals("ok", get());
    assertEquals(Arrays.asList(1000L, 2000L, 4000L), clock.sleeps());
    assertEquals(2, stats.get("catchpoint.pull.server_errors", "account", "acme"));
    assertEquals(1, stats.get("catchpoint.pull.io_errors", "account", "acme"));
    assertEquals(3, stats.get("catchpoint.pull.retries", "account", "acme"));
  }

  @Test
  void givesUpAfterTheLastAttempt() {
    transport.then(500, "a").then(500, "b").then(500, "c").then(500, "d");
    PullException e = assertThrows(PullException.class, this::get);
    assertEquals(PullException.Kind.UNAVAILABLE, e.kind());
    assertEquals(500, e.status());
    assertTrue(e.getMessage().contains("gave up after 4 attempts"), e.getMessage());
    assertEquals(Arrays.asList(1000L, 2000L, 4000L), clock.sleeps());
  }

  @Test
  void jitterKeepsEachWaitBetweenHalfAndAllOfItsStep() {
    Backoff low = new Backoff(10, 1000, 60_000, () -> 0.0);
    Backoff high = new Backoff(10, 1000, 60_000, () -> 0.999999999);
    assertEquals(500, low.delayMillis(1));
    assertEquals(1000, high.delayMillis(1));
    assertEquals(4000, low.delayMillis(4));
    assertEquals(8000, high.delayMillis(4));
    assertEquals(30_000, low.delayMillis(9));
    assertEquals(60_000, high.delayMillis(9));
    assertEquals(60_000, high.delayMillis(40));
  }

  @Test
  void aBodyCutOffMidwayIsRetried() throws Exception {
    transport.then(c -> ScriptedTransport.answer(200, failingAfter("{\"detail\":{", 5)))
        .then(200, "{\"detail\":null}");
    Runs.Collect sink = new Runs.Collect();
    RowCounts counts = http.call(call, in -> {
      RunAssembler a = new RunAssembler(0, sink);
      V1RawParser.parse(in, a);
      return a.counts();
    });
    assertEquals(0, counts.rows());
    assertEquals(2, transport.calls.size());
    assertEquals(1, stats.get("catchpoint.pull.io_errors", "account", "acme"));
  }

  @Test
  void otherClientErrorsAreRefusedAtOnceAndCounted() {
    transport.then(404, "{\"Message\":\"No test 1\"}").then(400, "bad");
    PullException e = assertThrows(PullException.class, this::get);
    assertEquals(PullException.Kind.REFUSED, e.kind());
    assertEquals(404, e.status());
    assertTrue(e.getMessage().contains("No test 1"));
    // Never the secret in the message (it goes to the log and the status page).
    assertTrue(!e.getMessage().contains("SECRET"), e.getMessage());
    PullException again = assertThrows(PullException.class, this::get);
    assertEquals(400, again.status());
    assertEquals(2, transport.calls.size());
    assertEquals(2, stats.get("catchpoint.pull.refused", "account", "acme"));
    assertTrue(clock.sleeps().isEmpty());
  }

  @Test
  void unauthorizedAndExpiredTokenGoBackToTheCaller() {
    transport.then(401, "").then(403, "{\"message\":\"The token has EXPIRED\"}");
    assertEquals(PullException.Kind.UNAUTHORIZED, assertThrows(PullException.class, this::get).kind());
    assertEquals(PullException.Kind.EXPIRED_TOKEN, assertThrows(PullException.class, this::get).kind());
    assertEquals(0, stats.get("catchpoint.pull.refused", "account", "acme"));
  }

  /** A body that breaks after some bytes, like a connection reset mid-answer. */
  private static InputStream failingAfter(String prefix, int repeat) {
    byte[] bytes = prefix.getBytes(StandardCharsets.UTF_8);
    return new FilterInputStream(new java.io.ByteArrayInputStream(bytes)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n < 0) {
          throw new IOException("Connection reset");
        }
        return n;
      }

      @Override
      public int read() throws IOException {
        int n = super.read();
        if (n < 0) {
          throw new IOException("Connection reset");
        }
        return n;
      }
    };
  }

  // -----------------------------------------------------------------------------------------------
  // Answers that misbehave: not JSON, endless, very slow
  // -----------------------------------------------------------------------------------------------

  private final HttpCall bounded = new HttpCall("GET", "http://catchpoint.test/raw?tests=1",
      Collections.singletonMap("Authorization", "Bearer SECRET"), null, 1000, 10_000, 1 << 20);

  @Test
  void anHtmlPageAnswered200IsABadAnswerRetriedWithBackoff() throws Exception {
    transport.then(200, "<html><title>Sign in</title></html>", "Content-Type", "text/html; charset=utf-8")
        .then(200, "{}", "Content-Type", "application/json");
    assertEquals("{}", http.call(bounded, CatchpointHttp::readSome));
    assertEquals(1, stats.get("catchpoint.pull.bad_answers", "account", "acme"));
    assertEquals(Collections.singletonList(1000L), clock.sleeps());
  }

  @Test
  void garbageAnswered200IsABadAnswerAndGivesUpAfterTheAttempts() {
    for (int i = 0; i < 4; i++) {
      transport.then(200, "<<garbage>> not json", "Content-Type", "application/json");
    }
    PullException e = assertThrows(PullException.class, () -> http.call(bounded,
        in -> new com.fasterxml.jackson.databind.ObjectMapper().readTree(in)));
    assertEquals(PullException.Kind.UNAVAILABLE, e.kind());
    assertTrue(e.getMessage().contains("gave up after 4 attempts"), e::getMessage);
    assertEquals(4, stats.get("catchpoint.pull.bad_answers", "account", "acme"));
    assertEquals(Arrays.asList(1000L, 2000L, 4000L), clock.sleeps());
  }

  @Test
  void aTruncatedAnswerIsABadAnswerRetried() throws Exception {
    transport.then(200, "{\"a\":[1,2,", "Content-Type", "application/json").then(200, "{\"a\":[]}");
    assertEquals("{\"a\":[]}", http.call(bounded,
        in -> new com.fasterxml.jackson.databind.ObjectMapper().readTree(in)).toString());
    assertEquals(1, stats.get("catchpoint.pull.bad_answers", "account", "acme"));
    assertEquals(1, stats.get("catchpoint.pull.io_errors", "account", "acme"));
  }

  @Test
  void anEndlessAnswerIsCutAtItsSizeBoundAndNotRetried() {
    boolean[] aborted = {false};
    InputStream endless = new InputStream() {
      @Override
      public int read() {
        return ' ';
      }
    };
    transport.then(c -> new HttpAnswer(200, h -> null, endless, () -> aborted[0] = true));
    PullException e = assertThrows(PullException.class, () -> http.call(bounded, CatchpointHttpTest::drainAll));
    assertEquals(PullException.Kind.UNAVAILABLE, e.kind());
    assertTrue(e.getMessage().contains("cut at 1048576 bytes"), e::getMessage);
    assertEquals(1, stats.get("catchpoint.pull.answers_too_large", "account", "acme"));
    assertEquals(1, transport.calls.size(), "retried at once");
    assertTrue(aborted[0], "the connection of a cut answer is dropped, not drained");
  }

  @Test
  void aVerySlowAnswerIsCutAtItsDeadline() {
    // A byte a second (on the fake clock): the 10 s deadline cuts it after 10 bytes or so.
    InputStream trickle = new InputStream() {
      @Override
      public int read() {
        clock.advance(1000);
        return ' ';
      }
    };
    transport.then(c -> new HttpAnswer(200, h -> null, trickle));
    PullException e = assertThrows(PullException.class, () -> http.call(bounded, in -> {
      byte[] one = new byte[1];
      while (in.read(one, 0, 1) >= 0) {
        // reads a byte at a time, as a slow stream gives them
      }
      return null;
    }));
    assertTrue(e.getMessage().contains("answer_deadline 10 s"), e::getMessage);
    assertEquals(1, stats.get("catchpoint.pull.answers_too_slow", "account", "acme"));
    assertEquals(1, transport.calls.size());
  }

  @Test
  void aJsonContentTypeOrNoneIsRead() throws Exception {
    assertTrue(CatchpointHttp.isJson("application/json; charset=utf-8"));
    assertTrue(CatchpointHttp.isJson("text/plain"));
    assertTrue(!CatchpointHttp.isJson("text/html"));
    assertTrue(!CatchpointHttp.isJson("application/xhtml+xml"));
    transport.then(200, "ok");
    assertEquals("ok", http.call(bounded, CatchpointHttp::readSome));
  }

  private static Void drainAll(InputStream in) throws IOException {
    byte[] buf = new byte[8192];
    while (in.read(buf) >= 0) {
      // nothing kept
    }
    return null;
  }
}
