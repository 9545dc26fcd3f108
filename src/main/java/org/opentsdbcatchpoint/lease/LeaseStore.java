package org.opentsdbcatchpoint.lease;

import java.io.IOException;
import java.util.Map;

/**
 * Where the TSDs of one HBase keep their leases: one small cell per lease, changed only by an atomic
 * compare-and-set (asynchbase's {@code compareAndSet}, the mechanism OpenTSDB assigns UIDs with), so
 * two TSDs can never both believe they took the same lease.
 */
public interface LeaseStore {
  /** Every lease cell, name to value. */
  Map<String, byte[]> readAll() throws IOException;

  /**
   * Sets the cell to {@code value} only if it holds {@code expected} now ({@code null}: only if it does
   * not exist).
   *
   * @return false when the cell held something else: another TSD wrote first
   */
  boolean compareAndSet(String name, byte[] expected, byte[] value) throws IOException;
}
