package org.opentsdbcatchpoint.sink;

import java.util.SortedMap;
import org.opentsdbcatchpoint.pipeline.DataPoint;

/**
 * Points oldest first, in parallel arrays used as a ring: each point is its metric (the name the
 * mapper keeps in its cache), where its tags are in a {@link TagText}, its second and its value. The
 * points of a run share one tags map, so consecutive points with the same map share one record. A point
 * held here is no object of its own, and keeps none alive: a full ring is a few arrays that the garbage
 * collector need not trace. The arrays grow as needed up to the capacity (a healthy target never fills
 * them). Not thread-safe.
 */
final class PointRing {
  private static final int INITIAL = 64;

  private final int capacity;
  private final TagText text = new TagText();
  private String[] metrics;
  private int[] tagAt;
  /** Per point, the oldest record of the tag text that it or a newer point may use. */
  private int[] tagFloor;
  private long[] seconds;
  private double[] values;
  private int head;
  private int size;
  /** The record read last (null: none), so that the points of a run are read once. */
  private SortedMap<String, String> lastRead;
  private int lastReadAt;

  PointRing(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity " + capacity);
    }
    this.capacity = capacity;
    allocate(Math.min(capacity, INITIAL));
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  int room() {
    return capacity - size;
  }

  /** Appends a point (the newest). */
  void add(DataPoint p) {
    makeSpace();
    put(p.metric(), text.record(p.tags()), p.timestampSeconds(), p.value());
  }

  /** Makes space for one more point, or says there is none. */
  private void makeSpace() {
    if (size == capacity) {
      throw new IllegalStateException("full: " + capacity + " points");
    }
    if (size == metrics.length) {
      grow();
    }
  }

  private void put(String metric, int tags, long second, double value) {
    int i = slot(size);
    metrics[i] = metric;
    tagAt[i] = tags;
    tagFloor[i] = text.floor();
    seconds[i] = second;
    values[i] = value;
    size++;
  }

  /** The metric of point {@code i}, 0 being the oldest. */
  String metric(int i) {
    return metrics[at(i)];
  }

  /** The tags of point {@code i}: read back from their record, once for the points of a run. */
  SortedMap<String, String> tags(int i) {
    int record = tagAt[at(i)];
    if (lastRead == null || record != lastReadAt) {
      lastRead = text.read(record);
      lastReadAt = record;
    }
    return lastRead;
  }

  long seconds(int i) {
    return seconds[at(i)];
  }

  double value(int i) {
    return values[at(i)];
  }

  /** Point {@code i} as a datapoint again (a new object: for tests and logs, not the send path). */
  DataPoint point(int i) {
    return new DataPoint(metric(i), seconds(i), value(i), tags(i));
  }

  /** Forgets the {@code n} oldest points (all when there are fewer). */
  void removeOldest(int n) {
    int k = Math.min(n, size);
    for (int j = 0; j < k; j++) {
      metrics[slot(j)] = null;
    }
    head = slot(k);
    size -= k;
    lastRead = null;
    if (size == 0) {
      text.clear();
    } else {
      text.releaseBefore(tagFloor[head]);
    }
  }

  /** Appends copies of this ring's {@code n} oldest points to {@code to}, which must have room for them. */
  void copyOldest(int n, PointRing to) {
    for (int j = 0; j < n; j++) {
      int i = at(j);
      to.putCopy(metrics[i], text, tagAt[i], seconds[i], values[i]);
    }
  }

  private void putCopy(String metric, TagText from, int record, long second, double value) {
    makeSpace();
    put(metric, text.record(from, record), second, value);
  }

  void clear() {
    removeOldest(size);
    head = 0;
  }

  private int at(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException(i + " of " + size);
    }
    return slot(i);
  }

  private int slot(int i) {
    int s = head + i;
    return s >= metrics.length ? s - metrics.length : s;
  }

  private void grow() {
    int length = (int) Math.min(capacity, 2L * metrics.length);
    String[] m = metrics;
    int[] t = tagAt;
    int[] f = tagFloor;
    long[] s = seconds;
    double[] v = values;
    int h = head;
    allocate(length);
    for (int j = 0; j < size; j++) {
      int i = (h + j) % m.length;
      metrics[j] = m[i];
      tagAt[j] = t[i];
      tagFloor[j] = f[i];
      seconds[j] = s[i];
      values[j] = v[i];
    }
    head = 0;
  }

  private void allocate(int length) {
    metrics = new String[length];
    tagAt = new int[length];
    tagFloor = new int[length];
    seconds = new long[length];
    values = new double[length];
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("[");
    for (int j = 0; j < size; j++) {
      b.append(j == 0 ? "" : ", ").append(point(j));
    }
    return b.append(']').toString();
  }
}
