package org.opentsdbcatchpoint.pipeline;

import java.util.List;
import java.util.concurrent.CompletableFuture;


/** Where datapoints go. The TSD writer is one; forwarders wrap it. */
public interface Writer {
  /**
   * Starts writing one point.
   *
   * @return completes when the store acknowledged the point, exceptionally when storing failed (a
   *     retry may succeed)
   * @throws RejectedPointException when the store refuses this point for good (a retry never helps)
   */
  CompletableFuture<Void> write(DataPoint point) throws RejectedPointException;

  /**
   * Sends what the store buffered now instead of at its next timer: called once every point of a push
   * was handed over, because the sender waits for the acknowledgements. Never fails; a failed send
   * fails the points' futures.
   */
  default void flush() {}

  /**
   * Readies what the store needs for these points (the names' UIDs), all at once, before they are
   * written one by one; completes when that is done (at once when nothing is needed). Never fails: a
   * point whose preparation failed is written the store's own way.
   */
  default CompletableFuture<Void> prepare(List<DataPoint> points) {
    return CompletableFuture.completedFuture(null);
  }
}
