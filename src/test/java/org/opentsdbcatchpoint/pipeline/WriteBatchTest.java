package org.opentsdbcatchpoint.pipeline;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.ManualScheduler;
import org.opentsdbcatchpoint.mapping.Vocabulary;

class WriteBatchTest {
  private final AtomicLong millis = new AtomicLong(1_000_000);
  private final ManualScheduler timer = new ManualScheduler(millis);
  private final PendingWriter writer = new PendingWriter();
  private final MetricBudget budget = new MetricBudget(Vocabulary::inTable, 2, 10);
  private ExecutorService thread;

  @AfterEach
  void stop() {
    if (thread != null) {
      thread.shutdownNow();
    }
  }

  private WriteStage stage(int maxInFlight) {
    return new WriteStage(writer, budget, maxInFlight, timer, () -> millis.get() * 1_000_000L);
  }

  private long deadlineIn(long ms) {
    return (millis.get() + ms) * 1_000_000L;
  }

  private static DataPoint point(String metric) {
    return new DataPoint(metric, 1_705_320_000L, 1, Collections.singletonMap("test_id", "1"));
  }

  @Test
  void storedOnceEveryPointIsAcknowledged() throws Exception {
    WriteBatch b = stage(100).open(deadlineIn(1000), 1000);
    assertTrue(b.write(point(Vocabulary.RUN)));
    assertTrue(b.write(point("catchpoint.timing.dns")));
    CompletableFuture<WriteOutcome> outcome = b.finish();
    assertEquals(1, writer.flushes);
    assertFalse(outcome.isDone());
    writer.acks.get(0).complete(null);
    assertFalse(outcome.isDone());
    writer.acks.get(1).complete(null);
    WriteOutcome o = outcome.getNow(null);
    assertEquals(WriteOutcome.Status.STORED, o.status());
    assertEquals(2, o.written());
    assertEquals(0, o.skippedCount());
  }

  @Test
  void newDerivedNamesBeyondTheBudgetAreSkippedAndCounted() throws Exception {
    WriteBatch b = stage(100).open(deadlineIn(1000), 1000);
    for (int i = 0; i < 5; i++) {
      assertTrue(b.write(point("catchpoint.timing.k" + i)));
      assertTrue(b.write(point("catchpoint.timing.k" + i)), "the same name twice");
    }
    writer.acks.forEach(f -> f.complete(null));
    WriteOutcome o = b.finish().getNow(null);
    assertEquals(4, o.written(), "two new names, two points each");
    assertEquals(Collections.singletonMap(SkipReason.METRIC_BUDGET, 6L), o.skippedByReason());
    List<String> fields = new ArrayList<>();
    for (SkippedField f : o.skipped()) {
      fields.add(f.field());
      assertEquals(SkipReason.METRIC_BUDGET, f.reason());
    }
    assertEquals(List.of("catchpoint.timing.k2", "catchpoint.timing.k3", "catchpoint.timing.k4"), fields,
        "each field listed once");
  }

  @Test
  void aPointTheStoreRefusesIsSkippedAndANameItDidNotCreateFreesItsBudget() throws Exception {
    writer.refuse = "catchpoint.timing.nope";
    WriteBatch b = stage(100).open(deadlineIn(1000), 1000);
    assertTrue(b.write(point("catchpoint.timing.nope")));
    assertEquals(0, budget.derivedNames());
    WriteOutcome o = b.finish().getNow(null);
    assertEquals(WriteOutcome.Status.STORED, o.status());
    assertEquals(Map.of(SkipReason.UNKNOWN_METRIC, 1L), o.skippedByReason());
  }

  @Test
  void aFailedPointEndsTheBatchAtOnce() throws Exception {
    WriteBatch b = stage(100).open(deadlineIn(1000), 1000);
    b.write(point(Vocabulary.RUN));
    b.write(point("catchpoint.timing.dns"));
    writer.acks.get(0).completeExceptionally(new IOException("region server gone"));
    WriteOutcome o = b.outcome().getNow(null);
    assertEquals(WriteOutcome.Status.FAILED, o.status());
    assertEquals(1, o.failures());
    assertEquals(2, o.handedOver());
    assertFalse(b.write(point("catchpoint.timing.ssl")), "a batch with its outcome takes nothing more");
    assertEquals(2, writer.acks.size());
  }

  @Test
  void theDeadlineEndsTheBatchWhileItsWriterIsStuck() throws Exception {
    writer.block = new CountDownLatch(1);
    WriteStage stage = stage(100);
    WriteBatch b = stage.open(deadlineIn(3000), 3000);
    thread = Executors.newSingleThreadExecutor();
    Future<Boolean> second = thread.submit(() -> {
      b.write(point(Vocabulary.RUN)); // stuck in the store, as in a UID assignment
      return b.write(point("catchpoint.timing.dns"));
    });
    writer.entered.await(5, SECONDS);
    timer.advance(2999);
    assertFalse(b.outcome().isDone());
    timer.advance(1);
    WriteOutcome o = b.outcome().getNow(null);
    assertEquals(WriteOutcome.Status.TIMED_OUT, o.status());
    writer.block.countDown();
    assertFalse(second.get(5, SECONDS), "after the deadline the batch takes no more points");
    assertEquals(1, writer.acks.size());
    writer.acks.get(0).complete(null);
    assertSame(o, b.outcome().getNow(null), "a late acknowledgement changes nothing");
    assertEquals(0, stage.pointsInFlight(), "its room is given back");
  }

  @Test
  void pointsInFlightAreBoundedForTheWholeStage() throws Exception {
    WriteStage stage = stage(2);
    WriteBatch first = stage.open(deadlineIn(5000), 5000);
    first.write(point(Vocabulary.RUN));
    first.write(point("catchpoint.timing.dns"));
    assertEquals(2, stage.pointsInFlight());
    WriteBatch other = stage.open(deadlineIn(50), 50);
    assertFalse(other.write(point(Vocabulary.RUN)), "no room within its deadline");
    assertEquals(WriteOutcome.Status.TIMED_OUT, other.outcome().getNow(null).status());
    assertTrue(writer.flushes > 0, "waiting for room flushes the store first");
    writer.acks.get(0).complete(null);
    WriteBatch third = stage.open(deadlineIn(50), 50);
    assertTrue(third.write(point(Vocabulary.RUN)));
    assertEquals(3, writer.acks.size());
  }

  @Test
  void aStreamWaitsForItsLastAcknowledgementsAtMostItsWait() throws Exception {
    WriteBatch b = stage(100).openStream(60_000, 10);
    b.write(point(Vocabulary.RUN));
    CompletableFuture<WriteOutcome> outcome = b.finish();
    timer.advance(59_999);
    assertFalse(outcome.isDone(), "a stream has no deadline of its own");
    timer.advance(1);
    assertEquals(WriteOutcome.Status.TIMED_OUT, outcome.getNow(null).status());
    assertEquals(1, outcome.getNow(null).unacknowledged());
  }

  @Test
  void aStreamKeepsAtMostItsOwnBoundUnacknowledged() throws Exception {
    WriteBatch b = stage(100).openStream(10, 2);
    assertTrue(b.write(point(Vocabulary.RUN)));
    assertTrue(b.write(point("catchpoint.timing.dns")));
    assertFalse(b.write(point("catchpoint.timing.ssl")), "storage took nothing within the wait");
    assertEquals(WriteOutcome.Status.TIMED_OUT, b.outcome().getNow(null).status());
  }

  @Test
  void aGroupOfPointsHasItsNamesReadiedOnceBeforeItsWritesAndOnlyWithinTheBudget() throws Exception {
    WriteBatch b = stage(100).open(deadlineIn(1000), 1000);
    writer.preparation = new CompletableFuture<>();
    List<DataPoint> group = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      group.add(point("catchpoint.timing.new" + i));
    }
    group.add(point(Vocabulary.RUN));
    thread = Executors.newSingleThreadExecutor();
    Future<Boolean> taken = thread.submit(() -> b.writeAll(group));
    long deadline = System.nanoTime() + SECONDS.toNanos(5);
    while (writer.prepared.isEmpty() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(1, writer.prepared.size(), "one preparation for the group");
    assertEquals(List.of("catchpoint.timing.new0", "catchpoint.timing.new1", Vocabulary.RUN),
        metrics(writer.prepared.get(0)), "the names over the budget are never readied");
    assertTrue(writer.acks.isEmpty(), "nothing is written before the names are ready");
    writer.preparation.complete(null);
    assertTrue(taken.get(5, SECONDS));
    assertEquals(3, writer.acks.size());
    writer.acks.forEach(f -> f.complete(null));
    WriteOutcome o = b.finish().getNow(null);
    assertEquals(WriteOutcome.Status.STORED, o.status());
    assertEquals(Map.of(SkipReason.METRIC_BUDGET, 2L), o.skippedByReason());
  }

  @Test
  void aPreparationThatOutlastsTheDeadlineEndsTheBatch() throws Exception {
    writer.preparation = new CompletableFuture<>();
    WriteBatch b = stage(100).open(deadlineIn(20), 20);
    assertFalse(b.writeAll(Collections.singletonList(point(Vocabulary.RUN))));
    assertEquals(WriteOutcome.Status.TIMED_OUT, b.outcome().getNow(null).status());
    assertTrue(writer.acks.isEmpty());
  }

  private static List<String> metrics(List<DataPoint> points) {
    List<String> out = new ArrayList<>();
    for (DataPoint p : points) {
      out.add(p.metric());
    }
    return out;
  }

  /** Hands out acknowledgements the test completes; can refuse one metric or block in write. */
  private static final class PendingWriter implements Writer {
    final List<CompletableFuture<Void>> acks = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch entered = new CountDownLatch(1);
    volatile CountDownLatch block;
    volatile String refuse;
    volatile CompletableFuture<Void> preparation = CompletableFuture.completedFuture(null);
    final List<List<DataPoint>> prepared = Collections.synchronizedList(new ArrayList<>());
    int flushes;

    @Override
    public CompletableFuture<Void> prepare(List<DataPoint> points) {
      prepared.add(new ArrayList<>(points));
      return preparation;
    }

    @Override
    public CompletableFuture<Void> write(DataPoint point) throws RejectedPointException {
      if (point.metric().equals(refuse)) {
        throw new RejectedPointException(SkipReason.UNKNOWN_METRIC, "no such metric");
      }
      entered.countDown();
      CountDownLatch b = block;
      if (b != null) {
        try {
          b.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      CompletableFuture<Void> f = new CompletableFuture<>();
      acks.add(f);
      return f;
    }

    @Override
    public void flush() {
      flushes++;
    }
  }
}
