package org.opentsdbcatchpoint.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.stats.Stats;

/** The sender's buffer: its bound, the points handed back first, batches cut from the head, the flush timer. */
class BatcherTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private final Stats stats = new Stats();
  private final FakeTransport fake = new FakeTransport();

  private Batcher batcher(int batch, int retryBuffer, Forwarder.Drop drop) {
    Batcher b = new Batcher(new Forwarder.Options(1000, batch, 1000, retryBuffer, drop, 1000), new Random(5),
        new ForwardStats("t", stats, () -> 0L));
    b.prime(0);
    return b;
  }

  private static PointQueue queue(List<DataPoint> points) {
    PointQueue q = new PointQueue(1000, Forwarder.Drop.OLDEST);
    points.forEach(q::offer);
    return q;
  }

  private long droppedFull() {
    return stats.get("catchpoint.forward.dropped.retry_buffer_full", "target", "t");
  }

  @Test
  void withDropOldestTheNewestPointsStayAndTheOthersAreCounted() {
    Batcher b = batcher(10, 300, Forwarder.Drop.OLDEST);
    List<DataPoint> points = Points.series("m.a", 1, 1000);
    PointQueue q = queue(points);
    b.fill(q);
    assertEquals(300, b.depth());
    assertEquals(700, droppedFull());
    assertEquals(0, q.size());
    assertEquals(points.subList(700, 710), Points.points(b.batch()));
  }

  @Test
  void withDropNewestThePointsWaitInTheQueue() {
    Batcher b = batcher(10, 300, Forwarder.Drop.NEWEST);
    PointQueue q = queue(Points.series("m.a", 1, 1000));
    b.fill(q);
    assertEquals(300, b.depth());
    assertEquals(700, q.size());
    assertEquals(0, droppedFull());
  }

  @Test
  void batchesAreCutFromTheHeadAndLeaveWhenDone() {
    Batcher b = batcher(10, 100, Forwarder.Drop.OLDEST);
    List<DataPoint> points = Points.series("m.a", 1, 25);
    b.fill(queue(points));
    assertEquals(points.subList(0, 10), Points.points(b.batch()));
    assertEquals(points.subList(0, 10), Points.points(b.batch()), "a batch stays at the head until it leaves");
    b.removeHead(10);
    assertEquals(points.subList(10, 20), Points.points(b.batch()));
    b.removeHead(10);
    assertEquals(points.subList(20, 25), Points.points(b.batch()));
    assertEquals(5, b.depth());
  }

  @Test
  void pointsHandedBackGoFirstAsTheyWereAndTheBoundDropsTheOldestExactly() {
    Batcher b = batcher(10, 30, Forwarder.Drop.OLDEST);
    List<DataPoint> fresh = Points.series("m.fresh", 1, 20);
    List<DataPoint> lost = Points.series("m.lost", 1, 15);
    b.fill(queue(fresh));
    b.putBack(fake.replay(lost));
    assertEquals(30, b.depth());
    assertEquals(5, droppedFull(), "the oldest of the points handed back");
    List<DataPoint> sent = new ArrayList<>();
    while (b.depth() > 0) {
      EncodedPoints replay = b.replay();
      if (replay != null) {
        int before = fake.attempts.size();
        try {
          fake.resend(replay);
        } catch (IOException e) {
          throw new AssertionError(e);
        }
        sent.addAll(fake.attempts.get(before));
        b.removeHead(replay.points());
      } else {
        PointRing batch = b.batch();
        sent.addAll(Points.points(batch));
        b.removeHead(batch.size());
      }
    }
    List<DataPoint> expected = new ArrayList<>(lost.subList(5, 15));
    expected.addAll(fresh);
    assertEquals(expected, sent, "handed back first, then the rest, in order, batches of at most 10");
    assertTrue(fake.attempts.stream().allMatch(a -> a.size() <= 10));
  }

  @Test
  void aBatchIsDueWhenFullAtTheFlushOrWhenDraining() {
    Batcher b = batcher(10, 100, Forwarder.Drop.OLDEST);
    b.fill(queue(Points.series("m.a", 1, 5)));
    assertFalse(b.due(0, false));
    assertTrue(b.due(0, true), "draining at shutdown");
    assertTrue(b.due(1100 * MS, false), "the flush interval and its tenth are over");
    assertEquals(5, b.wanted(), "woken when the queue completes a batch");
    b.fill(queue(Points.series("m.b", 1, 5)));
    assertTrue(b.due(0, false), "a full batch");
    assertEquals(Integer.MAX_VALUE, b.wanted(), "not woken by more points: a batch is there already");
  }

  @Test
  void theFlushTimerStartsAgainAfterAPartialBatchOrWhenIdle() {
    Batcher b = batcher(10, 100, Forwarder.Drop.OLDEST);
    b.idle(2000 * MS);
    long next = b.wakeAt(0, false);
    assertTrue(next >= 3000 * MS && next <= 3100 * MS, "one interval, give or take a tenth: " + next / MS);
    b.fill(queue(Points.series("m.a", 1, 3)));
    b.removeHead(3);
    b.attempted(next, next + MS);
    long after = b.wakeAt(0, false);
    assertTrue(after >= next + 1001 * MS && after <= next + 1101 * MS, "from the end of the attempt");
    assertNull(b.replay());
    assertEquals(0, b.clear());
  }
}
