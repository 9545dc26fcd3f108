package org.opentsdbcatchpoint.alert;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Alert cells in this process only: a TSD without the plugin's HBase table (alone, so nothing to
 * share), and the unit tests. Bounded by the alerts it is sent, as the table is.
 */
public final class InMemoryAlertStore implements AlertStore {
  private final ConcurrentMap<String, byte[]> cells = new ConcurrentHashMap<>();

  @Override
  public byte[] read(String key) {
    byte[] v = cells.get(key);
    return v == null ? null : v.clone();
  }

  @Override
  public synchronized boolean compareAndSet(String key, byte[] expected, byte[] value) {
    byte[] now = cells.get(key);
    if (expected == null ? now != null : now == null || !Arrays.equals(now, expected)) {
      return false;
    }
    cells.put(key, value.clone());
    return true;
  }

  /** How many cells it holds (tests). */
  public int size() {
    return cells.size();
  }
}
