package org.opentsdbcatchpoint.tsd;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.opentsdbcatchpoint.pipeline.MetricBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeds the {@link MetricBudget} with the plugin's metric names the TSD's UID table already holds, so
 * that the bound on derived names survives a restart. OpenTSDB's suggest scan blocks without a time
 * limit, so it runs on a thread of its own and the TSD's start waits for it a bounded time.
 */
final class ExistingMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(ExistingMetrics.class);
  static final long WAIT_MILLIS = 10_000;

  private ExistingMetrics() {}

  /**
   * @param suggest the TSD's {@code suggestMetrics(prefix, max)} for the plugin's prefix
   */
  static void seed(MetricBudget budget, IntFunction<List<String>> suggest) {
    // Enough to see every table name and one more than the bound: beyond that the budget is full anyway.
    int max = Vocabulary.table().size() + budget.maxDerived() + 1;
    CompletableFuture<List<String>> names = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        names.complete(suggest.apply(max));
      } catch (RuntimeException e) {
        names.completeExceptionally(e);
      }
    }, "catchpoint-metric-names");
    t.setDaemon(true);
    t.start();
    List<String> found;
    try {
      found = names.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      found = Collections.emptyList();
    } catch (Exception e) {
      LOG.error("metric names: could not count the catchpoint.* names the TSD holds ({}); the bound of "
          + "metrics.max_derived counts only the names this TSD creates from now on", e.toString());
      found = Collections.emptyList();
    }
    budget.seed(found);
    LOG.info("metric names: the TSD holds {} catchpoint.* names, {} of them derived (at most {} allowed, {} new per "
        + "request)", found.size(), budget.derivedNames(), budget.maxDerived(), budget.maxNewPerRequest());
  }
}
