package org.opentsdbcatchpoint.tsd;

import com.stumbleupon.async.Deferred;
import java.util.Map;

/** The one thing the plugin needs from the final {@code TSDB} class, so tests can stand in for it. */
interface PointStore {
  /** {@code TSDB.addPoint} with a double value: one encoding for every point the plugin writes. */
  Deferred<Object> addPoint(String metric, long timestampSeconds, double value, Map<String, String> tags);

  /** True while the TSD must not be written ({@code tsd.mode=ro}). */
  boolean readOnly();

  /** Sends the edits the HBase client buffered, without waiting for its flush timer. */
  default void flush() {}
}
