package org.opentsdbcatchpoint.pipeline;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.LongSupplier;
import org.opentsdbcatchpoint.mapping.Vocabulary;

/** Write stages for tests: over a given writer, with the default metric budget and room for any test. */
public final class TestStages {
  private static final ScheduledExecutorService TIMER = new ScheduledThreadPoolExecutor(1, r -> {
    Thread t = new Thread(r, "test-write-stage-timer");
    t.setDaemon(true);
    return t;
  });

  private TestStages() {}

  public static MetricBudget defaultBudget() {
    return new MetricBudget(Vocabulary::inTable, 16, 500);
  }

  public static WriteStage of(Writer writer) {
    return of(writer, defaultBudget(), TIMER, System::nanoTime);
  }

  public static WriteStage of(Writer writer, MetricBudget budget, ScheduledExecutorService timer, LongSupplier nanos) {
    return new WriteStage(writer, budget, 1_000_000, timer, nanos);
  }
}
