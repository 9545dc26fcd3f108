package org.opentsdbcatchpoint.alert;

import java.io.IOException;

/**
 * Where the TSDs of one HBase keep what alerts need to agree on, whichever TSD an alert reaches: the
 * open alert of each test, node and alert type (which note an improved alert ends) and which alert holds
 * which second of a series (OpenTSDB keys a note by series and second: two alerts must not share one).
 * Small cells changed only by an atomic compare-and-set, as the pull leases are. Blocking calls, each
 * bounded; run them off the network threads.
 */
public interface AlertStore {
  /** The cell's value, or null when it does not exist. */
  byte[] read(String key) throws IOException;

  /**
   * Sets the cell to {@code value} only if it holds {@code expected} now ({@code null}: only if it does
   * not exist).
   *
   * @return false when the cell held something else: another TSD wrote first
   */
  boolean compareAndSet(String key, byte[] expected, byte[] value) throws IOException;
}
