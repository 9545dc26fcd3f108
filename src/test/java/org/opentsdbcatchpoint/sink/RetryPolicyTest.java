package org.opentsdbcatchpoint.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Collections;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Retry or drop, and when: backoff with jitter, Retry-After, a dead connection replaced at once. */
class RetryPolicyTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private final RetryPolicy retry = new RetryPolicy(new Random(3));

  private long delayMillis(Exception e, long now) {
    RetryPolicy.Decision d = retry.failed(e, 10, now);
    assertNull(d.dropReason, "retried");
    return (retry.retryAt() - now) / MS;
  }

  @Test
  void theBackoffDoublesFrom100MillisTo5SecondsEachWaitBetweenHalfAndAllOfIt() {
    retry.prime(0);
    long[] limits = {100, 200, 400, 800, 1600, 3200, 5000, 5000};
    for (long limit : limits) {
      long delay = delayMillis(new ConnectException("refused"), 0);
      assertTrue(delay >= limit / 2 && delay <= limit, delay + " ms for a limit of " + limit);
    }
    assertEquals(limits.length, retry.failuresInARow());
    assertEquals(limits.length, retry.delivered(), "the failed attempts it ends");
    assertEquals(0, retry.failuresInARow());
    long delay = delayMillis(new SocketTimeoutException(), 0);
    assertTrue(delay >= 50 && delay <= 100, "after a delivery the backoff starts over: " + delay);
  }

  @Test
  void retryAfterIsHonouredWhenLongerThanTheBackoffAndCappedAtAMinute() {
    assertEquals(3000, delayMillis(new HttpStatusException(503, "busy", 3000), 0));
    assertEquals(60_000, delayMillis(new HttpStatusException(429, "slow down", 3_600_000), 0));
    long delay = delayMillis(new HttpStatusException(503, "busy", 10), 0);
    assertTrue(delay >= 100 && delay <= 400, "the backoff when it is longer: " + delay);
  }

  @Test
  void notReadyBeforeTheRetryTime() {
    retry.prime(0);
    assertTrue(retry.ready(0));
    long delay = delayMillis(new ConnectException("refused"), 0);
    assertFalse(retry.ready(delay * MS - 1));
    assertTrue(retry.ready(delay * MS));
  }

  @Test
  void aConnectionFoundDeadBeforeWritingIsReplacedAtOnceUnlessTheTargetIsAlreadyFailing() {
    ConnectionLostException lost = new ConnectionLostException("closed by carbon", Collections.emptyList(), true,
        null);
    RetryPolicy.Decision d = retry.failed(lost, 10, 1000);
    assertTrue(d.atOnce);
    assertFalse(d.attempted, "the batch itself was not written");
    assertTrue(retry.ready(1000));
    assertEquals(0, retry.failuresInARow());
    assertTrue(retry.failed(lost, 0, 1000).atOnce, "noticed while idle: the same");
    delayMillis(new ConnectException("refused"), 1000);
    d = retry.failed(lost, 10, 1000);
    assertFalse(d.atOnce, "a target that fails anyway backs off");
    assertFalse(d.attempted);
    assertEquals(2, retry.failuresInARow());
  }

  @Test
  void aLossNoticedWhileWritingCountsTheBatchAsAttempted() {
    RetryPolicy.Decision d = retry.failed(new ConnectionLostException("lost", Collections.emptyList(), false,
        new java.io.IOException("Broken pipe")), 10, 0);
    assertTrue(d.attempted);
    assertFalse(d.atOnce);
    assertEquals(Failure.IO, d.kind);
  }

  @Test
  void whatRetryingCannotMendIsDroppedUnderItsReasonAndLeavesTheBackoffAlone() {
    retry.prime(0);
    RetryPolicy.Decision rejected = retry.failed(new HttpStatusException(400, "bad line", 0), 10, 0);
    assertEquals(Failure.REJECTED, rejected.kind);
    assertEquals(Forwarder.REJECTED, rejected.dropReason);
    RetryPolicy.Decision bug = retry.failed(new IllegalStateException("a bug"), 10, 0);
    assertEquals(Failure.INTERNAL, bug.kind);
    assertEquals(Forwarder.FAILED, bug.dropReason);
    assertEquals(0, retry.failuresInARow());
    assertTrue(retry.ready(0));
  }
}
