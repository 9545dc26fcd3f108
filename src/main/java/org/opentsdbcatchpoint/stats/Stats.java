package org.opentsdbcatchpoint.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The plugin's counters, per instance (no statics, so tests need no reset). Each counter has a name
 * and at most one tag; {@link #snapshot()} feeds both {@code /api/stats} and {@code /health}.
 */
public final class Stats {
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final Latency ackLatency = new Latency();
  private final RecentErrors pushErrors = new RecentErrors(20);
  private final ConcurrentMap<String, Gauge> gauges = new ConcurrentHashMap<>();

  public void increment(String name) {
    add(name, null, null, 1);
  }

  public void increment(String name, String tagKey, String tagValue) {
    add(name, tagKey, tagValue, 1);
  }

  public void add(String name, long delta) {
    add(name, null, null, delta);
  }

  public void add(String name, String tagKey, String tagValue, long delta) {
    String id = tagKey == null ? name : name + "|" + tagKey + "=" + tagValue;
    Counter c = counters.get(id);
    if (c == null) {
      c = counters.computeIfAbsent(id, k -> new Counter(name, tagKey, tagValue));
    }
    c.value.add(delta);
  }

  /**
   * The counter itself, for a hot path that would otherwise build its key for every increment
   * (created at 0 when new).
   */
  public LongAdder counter(String name, String tagKey, String tagValue) {
    String id = tagKey == null ? name : name + "|" + tagKey + "=" + tagValue;
    Counter c = counters.get(id);
    if (c == null) {
      c = counters.computeIfAbsent(id, k -> new Counter(name, tagKey, tagValue));
    }
    return c.value;
  }

  /** Current value of a counter (tests and health). */
  public long get(String name, String tagKey, String tagValue) {
    Counter c = counters.get(tagKey == null ? name : name + "|" + tagKey + "=" + tagValue);
    return c == null ? 0 : c.value.sum();
  }

  public long get(String name) {
    return get(name, null, null);
  }

  /** A counter over all its tag values ({@code catchpoint.pull.datapoints} of every account). */
  public long sum(String name) {
    long total = 0;
    for (Counter c : counters.values()) {
      if (c.name.equals(name)) {
        total += c.value.sum();
      }
    }
    return total;
  }

  /** A counter's value per tag value ({@code status} of {@code catchpoint.push.requests}). */
  public Map<String, Long> byTag(String name) {
    Map<String, Long> out = new java.util.TreeMap<>();
    for (Counter c : counters.values()) {
      if (c.name.equals(name) && c.tagValue != null) {
        out.put(c.tagValue, c.value.sum());
      }
    }
    return out;
  }

  /**
   * A value read when a snapshot is taken (a queue depth, a connection state), shown beside the
   * counters. Registering the same name and tag again replaces the supplier.
   */
  public void gauge(String name, String tagKey, String tagValue, LongSupplier value) {
    String id = tagKey == null ? name : name + "|" + tagKey + "=" + tagValue;
    gauges.put(id, new Gauge(name, tagKey, tagValue, value));
  }

  /** The last pushes refused, with what was wrong. */
  public RecentErrors pushErrors() {
    return pushErrors;
  }

  /** Time from receiving a push to storage acknowledging all its points. */
  public Latency ackLatency() {
    return ackLatency;
  }

  public List<Entry> snapshot() {
    List<Entry> out = new ArrayList<>();
    for (Map.Entry<String, Counter> e : new java.util.TreeMap<>(counters).entrySet()) {
      Counter c = e.getValue();
      out.add(new Entry(c.name, c.tagKey, c.tagValue, c.value.sum()));
    }
    for (Map.Entry<String, Gauge> e : new java.util.TreeMap<>(gauges).entrySet()) {
      Gauge g = e.getValue();
      out.add(new Entry(g.name, g.tagKey, g.tagValue, g.value.getAsLong()));
    }
    return out;
  }

  /** One counter's value at snapshot time. */
  public static final class Entry {
    public final String name;
    public final String tagKey;
    public final String tagValue;
    public final long value;

    Entry(String name, String tagKey, String tagValue, long value) {
      this.name = name;
      this.tagKey = tagKey;
      this.tagValue = tagValue;
      this.value = value;
    }
  }

  private static final class Gauge {
    final String name;
    final String tagKey;
    final String tagValue;
    final LongSupplier value;

    Gauge(String name, String tagKey, String tagValue, LongSupplier value) {
      this.name = name;
      this.tagKey = tagKey;
      this.tagValue = tagValue;
      this.value = value;
    }
  }

  private static final class Counter {
    final String name;
    final String tagKey;
    final String tagValue;
    final LongAdder value = new LongAdder();

    Counter(String name, String tagKey, String tagValue) {
      this.name = name;
      this.tagKey = tagKey;
      this.tagValue = tagValue;
    }
  }
}
