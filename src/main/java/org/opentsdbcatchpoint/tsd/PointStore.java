package org.opentsdbcatchpoint.tsd;

import com.stumbleupon.async.Deferred;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.opentsdbcatchpoint.pipeline.DataPoint;

/** The one thing the plugin needs from the final {@code TSDB} class, so tests can stand in for it. */
interface PointStore {
  /** {@code TSDB.addPoint} with a double value: for the metrics whose encoding is a float. */
  Deferred<Object> addPoint(String metric, long timestampSeconds, double value, Map<String, String> tags);

  /** {@code TSDB.addPoint} with a whole number: for the metrics whose encoding is an integer. */
  Deferred<Object> addPoint(String metric, long timestampSeconds, long value, Map<String, String> tags);

  /** True while the TSD must not be written ({@code tsd.mode=ro}). */
  boolean readOnly();

  /** Sends the edits the HBase client buffered, without waiting for its flush timer. */
  default void flush() {}

  /** Gives the points' names their UIDs ahead of the writes (see {@link UidPreparer}). */
  default CompletableFuture<Void> prepare(List<DataPoint> points) {
    return CompletableFuture.completedFuture(null);
  }
}
