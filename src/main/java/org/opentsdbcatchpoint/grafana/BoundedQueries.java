package org.opentsdbcatchpoint.grafana;

import static org.opentsdbcatchpoint.grafana.Requests.badRequest;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The TSD's query engine within the bridge's bounds: too many series or points is a 400, never a huge answer. */
final class BoundedQueries {
  private final SeriesSource source;
  private final BridgeSettings bounds;

  BoundedQueries(SeriesSource source, BridgeSettings bounds) {
    this.source = source;
    this.bounds = bounds;
  }

  /** Runs a query within the bounds: too many series or points is a 400, never a slow or huge answer. */
  CompletableFuture<List<Series>> run(SeriesQuery q, String where) {
    return source.query(q).handle((found, error) -> {
      if (error != null) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof IllegalArgumentException) {
          throw badRequest("invalid_query", "OpenTSDB refused the query: " + cause.getMessage(), where);
        }
        throw new CompletionException(cause);
      }
      if (found.size() > bounds.maxSeries) {
        throw badRequest("too_many_series", "the query answers " + found.size() + " series, more than "
            + "grafana.max_series (" + bounds.maxSeries + "): filter more, or group by less", where);
      }
      long points = 0;
      for (Series s : found) {
        points += s.size();
      }
      if (points > bounds.maxDatapoints) {
        throw badRequest("too_many_datapoints", "the query answers " + points + " datapoints, more than "
            + "grafana.max_datapoints (" + bounds.maxDatapoints + "): a larger interval or a shorter range helps",
            where);
      }
      return found;
    });
  }

}
