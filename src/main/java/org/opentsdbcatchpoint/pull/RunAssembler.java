package org.opentsdbcatchpoint.pull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.opentsdbcatchpoint.pipeline.Measurement;
import org.opentsdbcatchpoint.pipeline.Run;

/**
 * Turns REST rows into the same {@link Run}s push produces: one run per row (test, node, run time,
 * step), values named by their column through {@link Vocabulary#columnMetric}, nulls skipped.
 *
 * <p>Traceroute answers have one row per hop ({@code hop_number}): the rows of one run are gathered
 * into one run whose values are tagged {@code hop} (the ping round trip and loss of a hop become
 * {@code catchpoint.traceroute.hop_rtt_avg} / {@code hop_loss_pct}), plus the values push derives
 * from the hops: the hop count and the last hop's round trip and loss. No {@code catchpoint.run} point
 * is written: raw rows do not say whether a run succeeded.
 */
final class RunAssembler {
  /** Traceroute runs held back until the answer ends, at most this many (the oldest go first). */
  static final int MAX_PENDING_HOP_RUNS = 10_000;

  private final Integer typeId;
  private final RunSink sink;
  private final RowCounts counts = new RowCounts();
  private final Map<RunKey, TreeMap<Integer, List<Measurement>>> hopRuns = new LinkedHashMap<>();

  /** @param typeId the test type of every test in the request (from configuration), or null */
  RunAssembler(Integer typeId, RunSink sink) {
    this.typeId = typeId;
    this.sink = sink;
  }

  /** Each column's metric to the column's name as the answer wrote it (the old scripts' names need it). */
  private final Map<String, String> columnOf = new HashMap<>();
  /** Columns remembered at most: an answer has tens; a hostile one must not grow the map without end. */
  static final int MAX_COLUMNS = 1000;

  RowCounts counts() {
    return counts;
  }

  /** The metric of every column position (null for a position no column names). */
  String[] columns(List<String> names) {
    String[] metrics = new String[names.size()];
    for (int i = 0; i < metrics.length; i++) {
      metrics[i] = column(names.get(i));
    }
    return metrics;
  }

  /** The metric of one column name (null for a missing name); notes names the table did not know. */
  String column(String name) {
    if (name == null || name.trim().isEmpty()) {
      return null;
    }
    String metric = Vocabulary.columnMetric(name);
    if (!Vocabulary.isKnownColumn(name)) {
      counts.derived(name, metric);
    }
    if (columnOf.size() < MAX_COLUMNS) {
      columnOf.put(metric, name.trim());
    }
    return metric;
  }

  /**
   * One row: identity, then values by position (null entries are skipped values).
   *
   * @param time the run time as the answer gives it (ISO-8601, UTC)
   */
  void row(Long testId, Long nodeId, String testName, String nodeName, String time, Integer step, Integer hop,
      String[] columns, List<Double> values) throws IOException, InterruptedException {
    counts.rows++;
    Long seconds = RestTimes.seconds(time);
    if (testId == null || nodeId == null || seconds == null) {
      counts.invalidRows++;
      return;
    }
    List<Measurement> measurements = new ArrayList<>();
    int n = Math.min(columns.length, values.size());
    for (int i = 0; i < n; i++) {
      String metric = columns[i];
      if (metric == null) {
        continue;
      }
      Double v = values.get(i);
      if (v == null || !Double.isFinite(v)) {
        counts.nullValues++;
        continue;
      }
      counts.values++;
      Measurement m = hop == null ? new Measurement(metric, v)
          : new Measurement(Vocabulary.hopMetric(metric), v, Vocabulary.TAG_HOP, Integer.toString(hop));
      measurements.add(m.fromColumn(columnOf.get(metric)));
    }
    if (hop != null) {
      RunKey key = new RunKey(testId, nodeId, seconds, step, testName, nodeName);
      TreeMap<Integer, List<Measurement>> hops = hopRuns.get(key);
      if (hops == null) {
        if (hopRuns.size() >= MAX_PENDING_HOP_RUNS) {
          Iterator<Map.Entry<RunKey, TreeMap<Integer, List<Measurement>>>> eldest = hopRuns.entrySet().iterator();
          Map.Entry<RunKey, TreeMap<Integer, List<Measurement>>> e = eldest.next();
          eldest.remove();
          emitHops(e.getKey(), e.getValue());
        }
        hops = new TreeMap<>();
        hopRuns.put(key, hops);
      }
      List<Measurement> previous = hops.get(hop);
      if (previous == null) {
        hops.put(hop, measurements);
      } else {
        previous.addAll(measurements);
      }
      return;
    }
    if (measurements.isEmpty()) {
      return;
    }
    Run.Builder run = Run.builder(testId, nodeId, seconds).typeId(typeId).step(step).names(testName, nodeName);
    for (Measurement m : measurements) {
      run.add(m);
    }
    emit(run.build());
  }

  /** Hands on the traceroute runs held back; call once the answer has been read. */
  void finish() throws IOException, InterruptedException {
    for (Map.Entry<RunKey, TreeMap<Integer, List<Measurement>>> e : hopRuns.entrySet()) {
      emitHops(e.getKey(), e.getValue());
    }
    hopRuns.clear();
  }

  private void emitHops(RunKey key, TreeMap<Integer, List<Measurement>> hops)
      throws IOException, InterruptedException {
    Run.Builder run = Run.builder(key.testId, key.nodeId, key.seconds).typeId(typeId).step(key.step)
        .names(key.testName, key.nodeName);
    for (List<Measurement> hop : hops.values()) {
      for (Measurement m : hop) {
        run.add(m);
      }
    }
    Map.Entry<Integer, List<Measurement>> last = hops.lastEntry();
    run.add(Vocabulary.TRACEROUTE_HOP_COUNT, last.getKey());
    for (Measurement m : last.getValue()) {
      if (m.metric().equals(Vocabulary.TRACEROUTE_HOP_RTT)) {
        run.add(Vocabulary.TRACEROUTE_LAST_HOP_RTT, m.value());
      } else if (m.metric().equals(Vocabulary.TRACEROUTE_HOP_LOSS)) {
        run.add(Vocabulary.TRACEROUTE_LAST_HOP_LOSS, m.value());
      }
    }
    emit(run.build());
  }

  private void emit(Run run) throws IOException, InterruptedException {
    counts.runs++;
    sink.accept(run);
  }

  /** One run's identity (with the names of its first row, which are not part of it). */
  private static final class RunKey {
    final long testId;
    final long nodeId;
    final long seconds;
    final Integer step;
    final String testName;
    final String nodeName;

    RunKey(long testId, long nodeId, long seconds, Integer step, String testName, String nodeName) {
      this.testId = testId;
      this.nodeId = nodeId;
      this.seconds = seconds;
      this.step = step;
      this.testName = testName;
      this.nodeName = nodeName;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof RunKey)) {
        return false;
      }
      RunKey k = (RunKey) o;
      return testId == k.testId && nodeId == k.nodeId && seconds == k.seconds && Objects.equals(step, k.step);
    }

    @Override
    public int hashCode() {
      return Objects.hash(testId, nodeId, seconds, step);
    }
  }
}
