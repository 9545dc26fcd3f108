package org.opentsdbcatchpoint.pipeline;

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
}
