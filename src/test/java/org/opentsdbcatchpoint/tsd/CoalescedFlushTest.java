package org.opentsdbcatchpoint.tsd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.stumbleupon.async.Deferred;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoalescedFlushTest {
  /** The flushes started, each answered when the test says so. */
  private final List<Deferred<Object>> flushes = new ArrayList<>();
  private final CoalescedFlush flush = new CoalescedFlush(() -> {
    Deferred<Object> d = new Deferred<>();
    flushes.add(d);
    return d;
  });

  @Test
  void flushesAtOnceWhenNoneIsOut() {
    flush.request();

    assertEquals(1, flushes.size());
    flushes.get(0).callback(null);
    flush.request();
    assertEquals(2, flushes.size());
  }

  @Test
  void requestsWhileOneIsOutBecomeOneFlushWhenItReturns() {
    flush.request();
    flush.request();
    flush.request();
    flush.request();
    assertEquals(1, flushes.size(), "one flush out at a time");

    flushes.get(0).callback(null);
    assertEquals(2, flushes.size(), "the three waiting requests go out together");

    flushes.get(1).callback(null);
    assertEquals(2, flushes.size(), "nothing was asked meanwhile");
  }

  @Test
  void aFailedFlushAlsoLetsTheNextOneGo() {
    flush.request();
    flush.request();

    flushes.get(0).callback(new RuntimeException("region server gone"));

    assertEquals(2, flushes.size());
  }

  @Test
  void aFlushThatThrowsDoesNotBlockLaterOnes() {
    int[] calls = {0};
    CoalescedFlush throwing = new CoalescedFlush(() -> {
      calls[0]++;
      throw new IllegalStateException("client shut down");
    });

    throwing.request();
    throwing.request();

    assertEquals(2, calls[0]);
  }

  @Test
  void aFlushThatNeverReturnsLeavesTheRestToTheClientsTimer() {
    flush.request();
    flush.request();
    flush.request();

    assertEquals(1, flushes.size());
  }
}
