package org.opentsdbcatchpoint.tsd;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.stumbleupon.async.Deferred;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import net.opentsdb.uid.NoSuchUniqueName;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pipeline.SkipReason;
import org.opentsdbcatchpoint.pipeline.RejectedPointException;

class TsdbWriterTest {

  /** Records every call and answers with whatever the test chose. */
  private static final class FakeStore implements PointStore {
    final List<Object[]> calls = new ArrayList<>();
    Supplier<Deferred<Object>> answer = () -> Deferred.fromResult(null);
    int flushes;

    @Override
    public Deferred<Object> addPoint(String metric, long timestampSeconds, double value, Map<String, String> tags) {
      calls.add(new Object[] {metric, timestampSeconds, value, tags});
      return answer.get();
    }

    @Override
    public Deferred<Object> addPoint(String metric, long timestampSeconds, long value, Map<String, String> tags) {
      calls.add(new Object[] {metric, timestampSeconds, value, tags});
      return answer.get();
    }

    @Override
    public boolean readOnly() {
      return false;
    }

    @Override
    public void flush() {
      flushes++;
    }
  }

  private final FakeStore store = new FakeStore();
  private final TsdbWriter writer = new TsdbWriter(store);

  @Test
  void passesMetricTimeDoubleValueAndTags() throws Exception {
    Map<String, String> tags = new HashMap<>();
    tags.put("test_id", "100001");
    tags.put("node_id", "540");
    tags.put("test_type", "web");
    DataPoint p = new DataPoint("catchpoint.timing.dns", 1_705_320_873L, 12.5, tags);

    CompletableFuture<Void> ack = writer.write(p);

    assertNull(ack.get(5, SECONDS));
    assertEquals(1, store.calls.size());
    Object[] call = store.calls.get(0);
    assertEquals("catchpoint.timing.dns", call[0]);
    assertEquals(1_705_320_873L, call[1]);
    assertEquals(Double.class, call[2].getClass());
    assertEquals(12.5, (Double) call[2], 0.0);
    assertEquals(tags, call[3]);
  }

  @Test
  void theEncodingComesFromTheMetricNeverFromTheValue() throws Exception {
    writer.write(new DataPoint("catchpoint.run", 1_705_320_873L, 1, tags())).get(5, SECONDS);
    writer.write(new DataPoint("catchpoint.bytes.response_content", 1_705_320_873L, 1_800_000_000_000d, tags()))
        .get(5, SECONDS);
    writer.write(new DataPoint("catchpoint.error.code", 1_705_320_873L, 12007, tags())).get(5, SECONDS);
    writer.write(new DataPoint("catchpoint.timing.dns", 1_705_320_873L, 12, tags())).get(5, SECONDS);
    assertEquals(1L, store.calls.get(0)[2], "catchpoint.run is an integer");
    assertEquals(1_800_000_000_000L, store.calls.get(1)[2]);
    assertEquals(12007L, store.calls.get(2)[2]);
    assertEquals(12.0, store.calls.get(3)[2], "a timing stays a double, whole or not");
  }

  @Test
  void aFractionOfAWholeNumberMetricIsRefusedForGood() {
    RejectedPointException e = assertThrows(RejectedPointException.class,
        () -> writer.write(new DataPoint("catchpoint.count.requests", 1L, 1.5, tags())));
    assertEquals(SkipReason.NOT_WHOLE, e.reason());
    assertThrows(RejectedPointException.class,
        () -> writer.write(new DataPoint("catchpoint.bytes.response_content", 1L, 1e17, tags())));
    assertTrue(store.calls.isEmpty());
  }

  @Test
  void flushGoesToTheStore() {
    writer.flush();

    assertEquals(1, store.flushes);
  }

  @Test
  void storeGetsItsOwnMutableCopyOfTheTags() throws Exception {
    DataPoint p = new DataPoint("catchpoint.run", 1L, 1, tags());
    writer.write(p).get(5, SECONDS);
    @SuppressWarnings("unchecked")
    Map<String, String> given = (Map<String, String>) store.calls.get(0)[3];
    given.put("extra", "x"); // the TSD may touch the map; the point must not change
    assertFalse(p.tags().containsKey("extra"));
  }

  @Test
  void failedDeferredFailsTheFuture() {
    RuntimeException boom = new RuntimeException("hbase down");
    store.answer = () -> Deferred.fromError(boom);

    CompletableFuture<Void> ack = assertDoesNotReject(new DataPoint("catchpoint.run", 1L, 1, tags()));

    ExecutionException e = assertThrows(ExecutionException.class, () -> ack.get(5, SECONDS));
    assertSame(boom, e.getCause());
  }

  @Test
  void futureCompletesOnlyWhenTheDeferredIsCalledBack() throws Exception {
    Deferred<Object> later = new Deferred<>();
    store.answer = () -> later;

    CompletableFuture<Void> ack = assertDoesNotReject(new DataPoint("catchpoint.run", 1L, 1, tags()));
    assertFalse(ack.isDone());

    later.callback("row written");
    assertNull(ack.get(5, SECONDS));
    assertFalse(ack.isCompletedExceptionally());
  }

  @Test
  void deferredFailingLaterFailsTheFuture() {
    Deferred<Object> later = new Deferred<>();
    store.answer = () -> later;

    CompletableFuture<Void> ack = assertDoesNotReject(new DataPoint("catchpoint.run", 1L, 1, tags()));
    assertFalse(ack.isDone());

    IOException storage = new IOException("timed out");
    later.callback(storage);
    ExecutionException e = assertThrows(ExecutionException.class, () -> ack.get(5, SECONDS));
    assertSame(storage, e.getCause());
  }

  @Test
  void illegalArgumentIsARejectionOfThePoint() {
    store.answer = () -> {
      throw new IllegalArgumentException("Invalid tag value (\"a b\"): illegal character: ' '");
    };
    RejectedPointException e = assertThrows(RejectedPointException.class,
        () -> writer.write(new DataPoint("catchpoint.run", 1L, 1, tags())));
    assertEquals(SkipReason.REJECTED, e.reason());
    assertTrue(e.getMessage().contains("illegal character"), e.getMessage());
  }

  @Test
  void unknownMetricIsARejectionWithAHint() {
    store.answer = () -> {
      throw new NoSuchUniqueName("metrics", "catchpoint.x");
    };
    RejectedPointException e = assertThrows(RejectedPointException.class,
        () -> writer.write(new DataPoint("catchpoint.x", 1L, 1, tags())));
    assertEquals(SkipReason.UNKNOWN_METRIC, e.reason());
    assertTrue(e.getMessage().contains("catchpoint.x"), e.getMessage());
    assertTrue(e.getMessage().contains("tsd.core.auto_create_metrics"), e.getMessage());
  }

  @Test
  void otherSynchronousFailuresAreNotRejections() {
    // Not the point's fault (e.g. a UID lookup that failed against HBase): the push must get a 503 and be retried.
    IllegalStateException storage = new IllegalStateException("uid lookup failed");
    store.answer = () -> {
      throw storage;
    };
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> writer.write(new DataPoint("catchpoint.run", 1L, 1, tags())));
    assertSame(storage, e);
  }

  private CompletableFuture<Void> assertDoesNotReject(DataPoint p) {
    try {
      return writer.write(p);
    } catch (RejectedPointException e) {
      throw new AssertionError("unexpected rejection: " + e.reason(), e);
    }
  }

  private static Map<String, String> tags() {
    Map<String, String> tags = new HashMap<>();
    tags.put("test_id", "1");
    tags.put("node_id", "2");
    return tags;
  }
}
