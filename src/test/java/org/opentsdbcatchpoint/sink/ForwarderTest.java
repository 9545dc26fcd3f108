package org.opentsdbcatchpoint.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.stats.Stats;

/**
 * The forwarder's rules, driven one step at a time on a fake clock (or, for the threading, on its own
 * sender thread): bounded queue, exact drop counts, batching, retry order, classification, replay,
 * shutdown.
 */
class ForwarderTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  private final Stats stats = new Stats();
  private final long[] now = {0};
  private final FakeTransport transport = new FakeTransport();

  private Forwarder forwarder(int queue, int batch, int retryBuffer, Forwarder.Drop drop) {
    Forwarder f = new Forwarder("t", "graphite", transport, new Forwarder.Options(queue, batch, 1000, retryBuffer, drop,
        1000), stats, () -> now[0], () -> 1_700_000_000_000L, new Random(7));
    f.prime();
    return f;
  }

  private long count(String name) {
    return stats.get("catchpoint.forward." + name, "target", "t");
  }

  private long dropped(String reason) {
    return count("dropped." + reason);
  }

  private static void offerAll(Forwarder f, List<DataPoint> points) {
    for (DataPoint p : points) {
      f.offer(p);
    }
  }

  /** Steps until the transport saw {@code attempts} attempts (bounded). */
  private void stepUntilAttempts(Forwarder f, int attempts) throws InterruptedException {
    for (int i = 0; i < 200 && transport.attempts.size() < attempts; i++) {
      f.step();
    }
    assertEquals(attempts, transport.attempts.size(), "attempts");
  }

  @Test
  void aFullQueueWithDropNewestRefusesTheNewPointsAndCountsEachOne() throws Exception {
    Forwarder f = forwarder(10, 100, 100, Forwarder.Drop.NEWEST);
    List<DataPoint> points = Points.series("catchpoint.timing.dns", 1000, 25);
    int accepted = 0;
    for (DataPoint p : points) {
      accepted += f.offer(p) ? 1 : 0;
    }
    assertEquals(10, accepted);
    assertEquals(25, count("queued"));
    assertEquals(15, dropped(Forwarder.QUEUE_FULL));
    assertEquals(10, f.queueDepth());
    now[0] += 2000 * MS;
    stepUntilAttempts(f, 1);
    assertEquals(points.subList(0, 10), transport.delivered);
    assertEquals(10, count("sent"));
  }

  @Test
  void aFullQueueWithDropOldestKeepsTheLatestPoints() throws Exception {
    Forwarder f = forwarder(10, 100, 100, Forwarder.Drop.OLDEST);
    List<DataPoint> points = Points.series("catchpoint.timing.dns", 1000, 25);
    for (DataPoint p : points) {
      assertTrue(f.offer(p));
    }
    assertEquals(15, dropped(Forwarder.QUEUE_FULL));
    now[0] += 2000 * MS;
    stepUntilAttempts(f, 1);
    assertEquals(points.subList(15, 25), transport.delivered);
  }

  @Test
  void batchesBySizeAtOnceAndTheRestAtTheFlushInterval() throws Exception {
    Forwarder f = forwarder(100, 10, 100, Forwarder.Drop.OLDEST);
    offerAll(f, Points.series("m.a", 1, 25));
    stepUntilAttempts(f, 2);
    assertEquals(10, transport.attempts.get(0).size());
    assertEquals(10, transport.attempts.get(1).size());
    f.step(); // 5 left, interval not over: nothing is sent
    assertEquals(2, transport.attempts.size());
    now[0] += 1101 * MS; // the interval (1000 ms) plus its jitter (at most a tenth)
    stepUntilAttempts(f, 3);
    assertEquals(5, transport.attempts.get(2).size());
    assertEquals(25, count("sent"));
  }

  @Test
  void aRetryableFailureKeepsTheBatchFirstAndRetriesInOrderAfterABackoff() throws Exception {
    transport.failNext(new ConnectException("Connection refused"));
    Forwarder f = forwarder(100, 10, 100, Forwarder.Drop.OLDEST);
    List<DataPoint> points = Points.series("m.a", 1, 30);
    offerAll(f, points);
    stepUntilAttempts(f, 1);
    assertEquals(10, count("retried"));
    assertEquals(1, count("errors.connect"));
    f.step(); // within the backoff (50 to 100 ms): no attempt
    assertEquals(1, transport.attempts.size());
    now[0] += 101 * MS;
    stepUntilAttempts(f, 4);
    assertEquals(points, transport.delivered, "every point, in order");
    assertEquals(transport.attempts.get(0), transport.attempts.get(1), "the failed batch is retried first, whole");
    assertEquals(30, count("sent"));
    assertTrue(f.lastError().contains("connect: Connection refused"), f.lastError());
    assertNull(f.firstRejection());
  }

  @Test
  void retryAfterIsHonoured() throws Exception {
    transport.failNext(new HttpStatusException(503, "HTTP 503: busy", 3000));
    Forwarder f = forwarder(100, 10, 100, Forwarder.Drop.OLDEST);
    offerAll(f, Points.series("m.a", 1, 10));
    stepUntilAttempts(f, 1);
    now[0] += 2900 * MS;
    f.step();
    assertEquals(1, transport.attempts.size(), "not before Retry-After");
    now[0] += 101 * MS;
    stepUntilAttempts(f, 2);
    assertEquals(1, count("errors.server_error"));
  }

  @Test
  void aRejectedBatchIsDroppedAndCountedTheNextIsDeliveredAndTheFirstMessageIsKept() throws Exception {
    transport.failNext(new HttpStatusException(400, "HTTP 400: partial write: field type conflict", 0));
    Forwarder f = forwarder(100, 10, 100, Forwarder.Drop.OLDEST);
    List<DataPoint> points = Points.series("m.a", 1, 30);
    offerAll(f, points);
    stepUntilAttempts(f, 3);
    assertEquals(10, dropped(Forwarder.REJECTED));
    assertEquals(0, count("retried"));
    assertEquals(points.subList(10, 30), transport.delivered);
    assertTrue(f.firstRejection().endsWith("rejected: HTTP 400: partial write: field type conflict"),
        f.firstRejection());
    // A later rejection: counted, the last error moves on, the first rejection stays.
    transport.failNext(new HttpStatusException(404, "HTTP 404: database not found", 0));
    offerAll(f, Points.series("m.b", 1, 10));
    stepUntilAttempts(f, 4);
    assertEquals(20, dropped(Forwarder.REJECTED));
    assertTrue(f.firstRejection().contains("partial write"));
    assertTrue(f.lastError().contains("database not found"));
    @SuppressWarnings("unchecked")
    Map<String, Object> droppedByReason = (Map<String, Object>) f.status().get("dropped");
    assertEquals(20L, droppedByReason.get(Forwarder.REJECTED));
  }

  /**
   * A batch delivered but for points the target refused one by one (an OpenTSDB's per-point errors):
   * those are counted as rejected, the rest as sent, and the batch is not sent again.
   */
  @Test
  void pointsRefusedOneByOneAreCountedAsRejectedTheRestAsSentAndNothingIsSentAgain() throws Exception {
    transport.failNext(new PointsRefusedException(3, 1, "HTTP 400: 3 of 9 points refused: Unknown metric"));
    Forwarder f = forwarder(100, 10, 100, Forwarder.Drop.OLDEST);
    List<DataPoint> points = Points.series("m.a", 1, 20);
    offerAll(f, points);
    stepUntilAttempts(f, 2);
    assertEquals(3, dropped(Forwarder.REJECTED));
    assertEquals(1, dropped(Forwarder.INVALID));
    assertEquals(0, count("retried"));
    assertEquals(6 + 10, count("sent"));
    assertEquals(points.subList(10, 20), transport.delivered, "the next batch, and no second attempt of the first");
    assertEquals(0, f.bufferDepth());
    assertTrue(f.firstRejection().endsWith("rejected: HTTP 400: 3 of 9 points refused: Unknown metric"),
        f.firstRejection());
    assertEquals(count("queued"), count("sent") + dropped(Forwarder.REJECTED) + dropped(Forwarder.INVALID),
        "queued = sent + dropped");
  }

  @Test
  void theRetryBufferEvictsTheOldestWithACountWhenDropIsOldest() throws Exception {
    for (int i = 0; i < 10; i++) {
      transport.failNext(new SocketTimeoutException("timed out"));
    }
    Forwarder f = forwarder(100, 10, 20, Forwarder.Drop.OLDEST);
    List<DataPoint> points = Points.series("m.a", 1, 50);
    offerAll(f, points);
    f.step();
    assertEquals(30, dropped(Forwarder.RETRY_BUFFER_FULL));
    assertEquals(20, f.bufferDepth());
    for (int i = 0; i < 400 && transport.delivered.size() < 20; i++) {
      now[0] += 10_000 * MS;
      f.step();
    }
    assertEquals(points.subList(30, 50), transport.delivered, "the newest 20, in order");
    assertEquals(10, count("errors.timeout"));
    assertEquals(50, count("sent") + dropped(Forwarder.RETRY_BUFFER_FULL));
  }

  @Test
  void withDropNewestAFullRetryBufferLeavesPointsInTheQueueWhichRefusesTheNewest() throws Exception {
    for (int i = 0; i < 5; i++) {
      transport.failNext(new IOException("Connection reset"));
    }
    Forwarder f = forwarder(100, 10, 20, Forwarder.Drop.NEWEST);
    List<DataPoint> points = Points.series("m.a", 1, 130);
    offerAll(f, points.subList(0, 50));
    f.step();
    assertEquals(20, f.bufferDepth());
    assertEquals(30, f.queueDepth());
    offerAll(f, points.subList(50, 130));
    assertEquals(10, dropped(Forwarder.QUEUE_FULL));
    assertEquals(0, dropped(Forwarder.RETRY_BUFFER_FULL));
    for (int i = 0; i < 400 && transport.delivered.size() < 120; i++) {
      now[0] += 10_000 * MS;
      f.step();
    }
    assertEquals(points.subList(0, 120), transport.delivered, "the oldest 120, in order");
  }

  @Test
  void aConnectionFoundDeadSendsItsRecentPointsAgainFirstWithoutBackoff() throws Exception {
    Forwarder f = forwarder(100, 10, 100, Forwarder.Drop.OLDEST);
    List<DataPoint> a = Points.series("m.a", 1, 10);
    offerAll(f, a);
    stepUntilAttempts(f, 1);
    List<DataPoint> b = Points.series("m.b", 1, 4);
    offerAll(f, b);
    transport.failIdle(new ConnectionLostException("closed by carbon", transport.replay(a), true, null));
    now[0] += 150 * MS; // an idle check is due; the flush of b is not
    f.step();
    assertEquals(10, count("replayed"));
    assertEquals(0, count("retried"), "no batch failed");
    assertEquals(14, f.bufferDepth());
    stepUntilAttempts(f, 2);
    assertEquals(a, transport.attempts.get(1), "the replay goes first, at once");
    now[0] += 2000 * MS;
    stepUntilAttempts(f, 3);
    assertEquals(b, transport.attempts.get(2));
    assertEquals(1, count("errors.connection_lost"));
  }

  @Test
  void aConnectionLostWhileWritingBacksOffAndResendsBothTheRecentPointsAndTheBatch() throws Exception {
    Forwarder f = forwarder(100, 10, 100, Forwarder.Drop.OLDEST);
    List<DataPoint> a = Points.series("m.a", 1, 10);
    List<DataPoint> b = Points.series("m.b", 1, 10);
    offerAll(f, a);
    stepUntilAttempts(f, 1);
    transport.failNext(new ConnectionLostException("lost", transport.replay(a), false, new IOException("Broken pipe")));
    offerAll(f, b);
    stepUntilAttempts(f, 2);
    assertEquals(10, count("retried"), "b failed");
    assertEquals(10, count("replayed"), "a was written on the dead connection");
    assertEquals(1, count("errors.io"), "a loss noticed while writing counts as the write's failure");
    now[0] += 200 * MS;
    stepUntilAttempts(f, 4);
    assertEquals(a, transport.attempts.get(2));
    assertEquals(b, transport.attempts.get(3));
  }

  @Test
  void anUnexpectedExceptionDropsTheBatchAndTheSenderGoesOn() throws Exception {
    FakeTransport failing = new FakeTransport() {
      private boolean thrown;

      @Override
      public int send(List<DataPoint> batch) throws IOException {
        if (!thrown) {
          thrown = true;
          throw new IllegalStateException("a bug");
        }
        return super.send(batch);
      }
    };
    Forwarder f = new Forwarder("t", "graphite", failing, new Forwarder.Options(100, 10, 1000, 100,
        Forwarder.Drop.OLDEST, 1000), stats, () -> now[0], () -> 0L, new Random(1));
    f.prime();
    offerAll(f, Points.series("m.a", 1, 20));
    f.step();
    f.step();
    assertEquals(10, dropped(Forwarder.FAILED));
    assertEquals(1, count("errors.internal"));
    assertEquals(10, failing.delivered.size());
  }

  /**
   * While the sender is stuck in a send that never returns, offer still returns at once: the queue
   * takes exactly its capacity and refuses, counted, every other point. (How fast offer is: the
   * benchmark, ForwardBench's writer section.)
   */
  @Test
  void offerNeverWaitsForAHungTargetAndEveryPointIsAccountedFor() throws Exception {
    transport.hold();
    Forwarder f = new Forwarder("t", "graphite", transport, new Forwarder.Options(1000, 100, 10, 1000,
        Forwarder.Drop.NEWEST, 1000), stats);
    List<DataPoint> points = Points.series("m.a", 1, 200_100);
    offerAll(f, points.subList(0, 100)); // one batch, queued before the sender starts
    f.start();
    FakeCarbon.await(() -> transport.attempts.size() == 1, 10_000, "the sender stuck in its first send");
    offerAll(f, points.subList(100, points.size()));
    assertEquals(1000, f.queueDepth(), "the queue is full");
    assertEquals(200_000 - 1000, dropped(Forwarder.QUEUE_FULL), "and refused the rest");
    transport.release();
    Forwarder.Leftover left = f.shutdown(5000);
    assertEquals(0, left.points);
    long dropped = 0;
    for (String reason : Forwarder.DROP_REASONS) {
      dropped += dropped(reason);
    }
    assertEquals(200_100, count("queued"));
    assertEquals(count("queued"), count("sent") + dropped, "queued = sent + dropped");
    assertEquals(1100, count("sent"));
    assertEquals(points.subList(0, 1100), transport.delivered, "the first batch and the queue's, in order");
  }

  @Test
  void shutdownDrainsWhatIsQueued() throws Exception {
    Forwarder f = new Forwarder("t", "influx", transport, new Forwarder.Options(10_000, 100, 60_000, 10_000,
        Forwarder.Drop.OLDEST, 1000), stats);
    f.start();
    List<DataPoint> points = Points.series("m.a", 1, 5_050);
    offerAll(f, points);
    Forwarder.Leftover left = f.shutdown(5000);
    assertEquals(0, left.points);
    assertEquals(points, transport.delivered, "all of it, in order, without waiting for the 60 s flush");
    assertTrue(transport.closed);
    assertFalse(f.offer(points.get(0)), "closed");
    assertEquals(1, dropped(Forwarder.SHUTDOWN));
  }

  @Test
  void shutdownIsBoundedAndReportsWhatItLeft() throws Exception {
    for (int i = 0; i < 1000; i++) {
      transport.failNext(new ConnectException("Connection refused"));
    }
    Forwarder f = new Forwarder("t", "graphite", transport, new Forwarder.Options(10_000, 100, 10, 10_000,
        Forwarder.Drop.OLDEST, 1000), stats);
    f.start();
    offerAll(f, Points.series("m.a", 1, 1000));
    Forwarder.Leftover left = f.shutdown(300);
    assertEquals(1000, left.points);
    assertEquals(1000, dropped(Forwarder.SHUTDOWN));
    assertEquals(0, count("sent"));
  }

  /** The drain at shutdown ends at its deadline, on the clock, however long the target keeps failing. */
  @Test
  void theDrainSendsAtOnceUntilItsDeadlineThenTheRestIsCountedAsLeftAtShutdown() throws Exception {
    for (int i = 0; i < 100; i++) {
      transport.failNext(new ConnectException("Connection refused"));
    }
    Forwarder f = forwarder(1000, 100, 1000, Forwarder.Drop.OLDEST);
    offerAll(f, Points.series("m.a", 1, 50));
    f.beginDrain(300);
    assertEquals(0, f.step(), "a partial batch goes at once while draining");
    assertEquals(1, transport.attempts.size());
    for (long t = 10; t < 300; t += 10) {
      now[0] = t * MS;
      assertTrue(f.step() >= 0, "still draining at " + t + " ms");
    }
    assertTrue(transport.attempts.size() >= 2, "retried after its backoff (at most 100 ms) within the drain");
    now[0] = 300 * MS;
    assertEquals(-1, f.step(), "the deadline has come: the sender stops");
    assertEquals(50, f.shutdown(0).points);
    assertEquals(50, dropped(Forwarder.SHUTDOWN));
    assertEquals(0, count("sent"));
    assertTrue(transport.closed);
  }

  @Test
  void statusShowsCountersDepthsAndErrors() throws Exception {
    transport.failNext(new ConnectException("Connection refused"));
    Forwarder f = forwarder(100, 10, 100, Forwarder.Drop.OLDEST);
    offerAll(f, Points.series("m.a", 1, 10));
    stepUntilAttempts(f, 1);
    Map<String, Object> s = f.status();
    assertEquals("graphite", s.get("type"));
    assertEquals("fake", s.get("destination"));
    assertEquals(false, s.get("connected"));
    assertEquals(10L, s.get("queued"));
    assertEquals(0L, s.get("sent"));
    assertEquals(10L, s.get("retried"));
    assertEquals(10, s.get("retry_buffer_depth"));
    assertEquals(Collections.singletonMap("connect", 1L), s.get("errors"));
    String lastError = (String) s.get("last_error");
    assertTrue(lastError.startsWith("2023-11-14T22:13:20Z connect: "), lastError);
    assertEquals("(none)", s.get("first_rejection"));
    // The same figures in the counters of /api/stats and /health.
    boolean depth = false;
    for (Stats.Entry e : stats.snapshot()) {
      if (e.name.equals("catchpoint.forward.retry_buffer_depth")) {
        depth = true;
        assertEquals(10, e.value);
        assertEquals("t", e.tagValue);
      }
    }
    assertTrue(depth);
  }

  /**
   * A rate limit of 100 points/s: batches are cut to one second's worth, the first goes at once from the
   * full bucket, the next when the bucket has refilled; meanwhile offer keeps taking points (they wait in
   * the queue), and the time the due batches waited is counted.
   */
  @Test
  void aRateLimitHoldsBatchesBackInTheSenderAndCountsTheTimeHeldBack() throws Exception {
    Forwarder f = new Forwarder("t", "influx", transport, new Forwarder.Options(10_000, 1000, 1000, 10_000,
        Forwarder.Drop.OLDEST, 1000, 100), stats, () -> now[0], () -> 0L, new Random(3));
    f.prime();
    List<DataPoint> points = Points.series("m.a", 1, 250);
    for (DataPoint p : points) {
      assertTrue(f.offer(p), "never refused: the points wait in the queue");
    }
    assertEquals(0, f.step(), "the full bucket lets one second's worth go at once");
    assertEquals(1, transport.attempts.size());
    assertEquals(100, transport.attempts.get(0).size(), "a batch is cut to the limit's second");
    assertEquals(100 * MS, f.step(), "the next batch waits for the bucket (woken at least every 100 ms)");
    now[0] = 990 * MS;
    assertEquals(10 * MS, f.step(), "10 ms to go");
    assertEquals(1, transport.attempts.size());
    now[0] = 1000 * MS;
    assertEquals(0, f.step());
    assertEquals(2, transport.attempts.size());
    assertEquals(1000, count("rate_limited_ms"), "held back from 0 to 1000 ms");
    now[0] = 1500 * MS;
    f.step(); // 50 points of credit: the last 50 are a partial batch, due only at the flush interval
    now[0] = 2200 * MS; // past the flush interval and its jitter, however the first flush fell
    f.step();
    assertEquals(3, transport.attempts.size());
    assertEquals(points, transport.delivered, "every point, in order");
    assertEquals(250, count("sent"));
    assertEquals("100 points/s", f.status().get("rate_limit"));
  }

  /** A retry spends the bucket as a first attempt does: the target sees the points again. */
  @Test
  void aRetrySpendsTheRateLimitToo() throws Exception {
    transport.failNext(new java.net.ConnectException("Connection refused"));
    Forwarder f = new Forwarder("t", "influx", transport, new Forwarder.Options(10_000, 10, 1000, 10_000,
        Forwarder.Drop.OLDEST, 1000, 10), stats, () -> now[0], () -> 0L, new Random(3));
    f.prime();
    offerAll(f, Points.series("m.a", 1, 10));
    f.step();
    assertEquals(1, transport.attempts.size(), "the first attempt failed");
    now[0] = 200 * MS; // past the backoff (at most 100 ms), not past the bucket's second
    f.step();
    assertEquals(1, transport.attempts.size(), "the retry waits for the bucket");
    now[0] = 1000 * MS;
    f.step();
    assertEquals(2, transport.attempts.size());
    assertEquals(10, count("sent"));
    assertEquals(800, count("rate_limited_ms"), "held back from 200 ms, when the backoff was over");
  }
}
