package org.opentsdbcatchpoint.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.pipeline.DataPoint;

/** The queue between offer and the sender: full, closed, and the sender's wait. */
class PointQueueTest {
  private final List<DataPoint> points = Points.series("catchpoint.timing.dns", 1, 10);

  @Test
  void aFullQueueRefusesTheNewestOrForgetsItsOldest() {
    PointQueue newest = new PointQueue(3, Forwarder.Drop.NEWEST);
    PointQueue oldest = new PointQueue(3, Forwarder.Drop.OLDEST);
    for (int i = 0; i < 3; i++) {
      assertEquals(PointQueue.Offered.TAKEN, newest.offer(points.get(i)));
      assertEquals(PointQueue.Offered.TAKEN, oldest.offer(points.get(i)));
    }
    assertEquals(PointQueue.Offered.FULL, newest.offer(points.get(3)));
    assertEquals(PointQueue.Offered.TAKEN_OLDEST_LOST, oldest.offer(points.get(3)));
    assertEquals(points.subList(0, 3), drain(newest));
    assertEquals(points.subList(1, 4), drain(oldest));
  }

  @Test
  void pointsLeaveOldestFirstAFewAtATime() {
    PointQueue q = new PointQueue(10, Forwarder.Drop.OLDEST);
    points.forEach(q::offer);
    PointRing to = new PointRing(10);
    assertEquals(4, q.moveTo(to, 4));
    assertEquals(2, q.removeOldest(2));
    assertEquals(4, q.size());
    assertEquals(4, q.moveTo(to, 99));
    assertEquals(points.subList(0, 4), Points.points(to).subList(0, 4));
    assertEquals(points.subList(6, 10), Points.points(to).subList(4, 8));
  }

  @Test
  void aClosedQueueHandsBackWhatItHeldAndRefusesTheRest() {
    PointQueue q = new PointQueue(10, Forwarder.Drop.OLDEST);
    q.offer(points.get(0));
    q.offer(points.get(1));
    assertEquals(2, q.close());
    assertEquals(PointQueue.Offered.CLOSED, q.offer(points.get(2)));
    assertEquals(0, q.size());
  }

  @Test
  void theSenderIsWokenWhenTheQueueHoldsWhatItWaitsFor() throws Exception {
    PointQueue q = new PointQueue(10, Forwarder.Drop.OLDEST);
    CountDownLatch waiting = new CountDownLatch(1);
    CountDownLatch woken = new CountDownLatch(1);
    Thread sender = new Thread(() -> {
      try {
        waiting.countDown();
        q.await(3, TimeUnit.MINUTES.toNanos(1));
        woken.countDown();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    sender.start();
    assertTrue(waiting.await(10, TimeUnit.SECONDS));
    // The sender may or may not be in its wait yet: offering 3 wakes it either way.
    for (int i = 0; i < 3; i++) {
      q.offer(points.get(i));
    }
    assertTrue(woken.await(10, TimeUnit.SECONDS), "woken by the third point, long before the minute");
    sender.join();
    q.await(1, TimeUnit.MINUTES.toNanos(1)); // holds enough already: returns at once
  }

  private static List<DataPoint> drain(PointQueue q) {
    PointRing to = new PointRing(100);
    q.moveTo(to, 100);
    return Points.points(to);
  }
}
