package org.opentsdbcatchpoint.lease;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** One HBase row of lease cells, shared by the TSDs of a test; it can be cut off or lose answers. */
final class MemoryLeaseStore implements LeaseStore {
  private final Map<String, byte[]> cells = new TreeMap<>();
  /** Every call fails, as when HBase is unreachable. */
  boolean down;
  /** The next compare-and-set is applied but its answer is lost (an I/O error after the write). */
  boolean loseNextAnswer;
  int writes;

  @Override
  public synchronized Map<String, byte[]> readAll() throws IOException {
    if (down) {
      throw new IOException("HBase unreachable");
    }
    return new LinkedHashMap<>(cells);
  }

  @Override
  public synchronized boolean compareAndSet(String name, byte[] expected, byte[] value) throws IOException {
    if (down) {
      throw new IOException("HBase unreachable");
    }
    byte[] current = cells.get(name);
    if (expected == null ? current != null : !Arrays.equals(expected, current)) {
      return false;
    }
    cells.put(name, value);
    writes++;
    if (loseNextAnswer) {
      loseNextAnswer = false;
      throw new IOException("timed out waiting for the answer");
    }
    return true;
  }

  synchronized LeaseRecord record(String name) {
    return LeaseRecord.parse(cells.get(name));
  }
}
