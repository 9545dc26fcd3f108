package org.opentsdbcatchpoint.sink;

import org.opentsdbcatchpoint.pipeline.RejectedPointException;
import org.opentsdbcatchpoint.pipeline.Writer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.stats.Stats;

/** The TSD's writer with forwarders beside it. */
class ForwardingWriterTest {
  private final Stats stats = new Stats();

  private Forwarder forwarder(String name) {
    return new Forwarder(name, "graphite", new FakeTransport(), new Forwarder.Options(100, 10, 1000, 100,
        Forwarder.Drop.OLDEST, 1000), stats);
  }

  @Test
  void everyPointGoesToTheStoreAndToEachForwarderAtOnce() throws Exception {
    List<DataPoint> stored = new ArrayList<>();
    CompletableFuture<Void> ack = new CompletableFuture<>();
    AtomicInteger flushes = new AtomicInteger();
    Writer store = new Writer() {
      @Override
      public CompletableFuture<Void> write(DataPoint p) {
        stored.add(p);
        return ack;
      }

      @Override
      public void flush() {
        flushes.incrementAndGet();
      }
    };
    Forwarder a = forwarder("a");
    Forwarder b = forwarder("b");
    Writer w = new ForwardingWriter(store, Arrays.asList(a, b));
    DataPoint p = Points.point("catchpoint.timing.dns", 1, 12, "test_id", "1");
    assertSame(ack, w.write(p), "the store's acknowledgement, untouched");
    assertEquals(Arrays.asList(p), stored);
    assertEquals(1, a.queueDepth(), "forwarded before the store acknowledged");
    assertEquals(1, b.queueDepth());
    w.flush();
    assertEquals(1, flushes.get(), "flush reaches the store");
  }

  @Test
  void aPointTheStoreRefusesIsStillForwarded() throws Exception {
    Writer store = p -> {
      throw new RejectedPointException("unknown_metric", "no such metric");
    };
    Forwarder a = forwarder("a");
    Writer w = new ForwardingWriter(store, Arrays.asList(a));
    assertThrows(RejectedPointException.class, () -> w.write(Points.point("catchpoint.new.metric", 1, 1)));
    assertEquals(1, a.queueDepth());
    assertEquals(1, stats.get("catchpoint.forward.queued", "target", "a"));
  }
}
