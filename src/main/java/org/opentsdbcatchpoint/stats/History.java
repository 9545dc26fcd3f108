package org.opentsdbcatchpoint.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Rates of a few counters over the last hour, for the operator page's charts: a sample every
 * {@code stepSeconds} (taken by whoever calls {@link #sample}, on the plugin's timer), the rate
 * between two samples, at most {@code points} kept per series.
 */
public final class History {
  private final int points;
  private final Map<String, LongSupplier> sources = new LinkedHashMap<>();
  private final Map<String, long[]> last = new LinkedHashMap<>();
  private final Map<String, List<double[]>> series = new LinkedHashMap<>();
  private final long stepSeconds;

  public History(long stepSeconds, int points) {
    this.stepSeconds = stepSeconds;
    this.points = points;
  }

  /** A counter whose rate is kept, under {@code name}. */
  public synchronized History track(String name, LongSupplier counter) {
    sources.put(name, counter);
    series.put(name, new ArrayList<>());
    return this;
  }

  /** Reads every counter now; the rate since the last sample joins its series. */
  public synchronized void sample(long epochMillis) {
    for (Map.Entry<String, LongSupplier> e : sources.entrySet()) {
      long value = e.getValue().getAsLong();
      long[] before = last.put(e.getKey(), new long[] {epochMillis, value});
      if (before == null || epochMillis <= before[0]) {
        continue;
      }
      double rate = Math.max(0, value - before[1]) * 1000.0 / (epochMillis - before[0]);
      List<double[]> s = series.get(e.getKey());
      s.add(new double[] {epochMillis / 1000L, Math.round(rate * 100) / 100.0});
      if (s.size() > points) {
        s.remove(0);
      }
    }
  }

  public long stepSeconds() {
    return stepSeconds;
  }

  /** Per series, {@code [epoch seconds, rate per second]} pairs, oldest first. */
  public synchronized Map<String, List<double[]>> series() {
    Map<String, List<double[]>> copy = new LinkedHashMap<>();
    for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
      copy.put(e.getKey(), new ArrayList<>(e.getValue()));
    }
    return copy;
  }
}
