package org.opentsdbcatchpoint.grafana;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The bridge's one seam to the TSD: its own query engine, in process (the {@code tsd} package runs it;
 * no HTTP call back to the TSD itself). Completes exceptionally with {@link IllegalArgumentException}
 * for a query OpenTSDB refuses; a metric or tag value the TSD has never seen is no series, not an error.
 */
public interface SeriesSource {
  CompletableFuture<List<Series>> query(SeriesQuery query);
}
