package org.opentsdbcatchpoint.pull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.opentsdbcatchpoint.catalog.NodeLookup;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pipeline.Run;
import org.opentsdbcatchpoint.pipeline.SkipReason;
import org.opentsdbcatchpoint.pipeline.WriteBatch;
import org.opentsdbcatchpoint.pipeline.WriteOutcome;
import org.opentsdbcatchpoint.pipeline.WriteStage;
import org.opentsdbcatchpoint.stats.Stats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One window of one account's tests, fetched and written through the shared mapper and write stage
 * until storage acknowledged every point: what a live pull ({@link PullJob}) and an import
 * ({@link ImportJob}) both do, the same way. Memory stays bounded whatever the window holds: points go
 * to storage in chunks as the answer is read.
 */
final class WindowWriter {
  private static final Logger LOG = LoggerFactory.getLogger(WindowWriter.class);
  /** Runs of one window held back while the catalog looks for their nodes, at most. */
  static final int MAX_HELD_RUNS = 20_000;
  /**
   * Points of a window written together: the new names of a chunk get their UIDs at once (a first
   * pull of new nodes brings hundreds), and memory stays bounded whatever the window's size.
   */
  static final int CHUNK_POINTS = 2000;
  /** How long a window waits for the catalog to look for its unknown nodes. */
  static final long CATALOG_WAIT_MILLIS = 120_000;

  /** Asked before every write: throws when this TSD may no longer write the account (its lease went). */
  interface Confirm {
    void confirm() throws PullException;
  }

  /** What a window brought: the rows read, the runs and points stored, and the summary the status shows. */
  static final class Written {
    final RowCounts counts;
    final long runs;
    final long datapoints;
    final Map<String, Object> summary;

    Written(RowCounts counts, long runs, long datapoints, Map<String, Object> summary) {
      this.counts = counts;
      this.runs = runs;
      this.datapoints = datapoints;
      this.summary = summary;
    }
  }

  private final String account;
  private final Function<Run, List<DataPoint>> mapper;
  private final WriteStage stage;
  private final NodeLookup nodes;
  private final Stats stats;
  private final int maxInFlight;
  private final long ackTimeoutMillis;
  private final Confirm confirm;

  WindowWriter(String account, Function<Run, List<DataPoint>> mapper, WriteStage stage, NodeLookup nodes,
      Stats stats, int maxInFlight, long ackTimeoutMillis, Confirm confirm) {
    this.account = account;
    this.mapper = mapper;
    this.stage = stage;
    this.nodes = nodes;
    this.stats = stats;
    this.maxInFlight = maxInFlight;
    this.ackTimeoutMillis = ackTimeoutMillis;
    this.confirm = confirm;
  }

  /**
   * Pulls [start, end) (start {@link Long#MIN_VALUE}: LastRaw, unbounded) and writes the runs of each
   * test from its position on; returns once storage acknowledged them all. Moves no cursor.
   */
  Written write(PullSource source, List<Long> tests, Integer typeId, Map<Long, Long> positions, long start, long end)
      throws IOException, InterruptedException {
    long startedNanos = System.nanoTime();
    WriteBatch write = stage.openStream(ackTimeoutMillis, maxInFlight);
    Map<Long, CompletableFuture<Boolean>> learning = new HashMap<>();
    List<Run> held = new ArrayList<>();
    List<DataPoint> chunk = new ArrayList<>(CHUNK_POINTS + 64);
    long[] runs = {0};
    RunSink sink = run -> {
      Long from = positions.get(run.testId());
      long t = run.timestampSeconds();
      if (from == null) {
        stats.increment("catchpoint.pull.runs_unexpected_test", "account", account);
        return;
      }
      if (t < from || t < start || t >= end) {
        return;
      }
      runs[0]++;
      if (!nodes.knows(run.nodeId())) {
        // Written now, it would start a series of the node without its enrichment tags.
        CompletableFuture<Boolean> learned = learning.computeIfAbsent(run.nodeId(), nodes::learn);
        if (!learned.isDone()) {
          if (held.size() >= MAX_HELD_RUNS) {
            throw new PullException(PullException.Kind.CATALOG, 0, "more than " + MAX_HELD_RUNS + " runs of nodes "
                + "the catalog is still looking for: " + learning.keySet() + " (retried next interval)", null);
          }
          held.add(run);
          return;
        }
      }
      writeRun(write, chunk, run);
    };
    RowCounts counts = source.fetch(tests, typeId, start == Long.MIN_VALUE ? end - source.reachSeconds()
        : start, end, sink);
    if (!held.isEmpty()) {
      awaitCatalog(learning);
      for (Run run : held) {
        writeRun(write, chunk, run);
      }
    }
    writeChunk(write, chunk);
    WriteOutcome outcome = awaitOutcome(write);
    if (outcome.status() != WriteOutcome.Status.STORED) {
      throw storageFailed(outcome);
    }

    stats.add("catchpoint.pull.rows", "account", account, counts.rows());
    stats.add("catchpoint.pull.values_null", "account", account, counts.nullValues());
    stats.add("catchpoint.pull.rows_invalid", "account", account, counts.invalidRows());
    stats.add("catchpoint.pull.datapoints", "account", account, outcome.written());
    long overBudget = outcome.skippedByReason().getOrDefault(SkipReason.METRIC_BUDGET, 0L);
    stats.add("catchpoint.pull.points_rejected", "account", account, outcome.skippedCount() - overBudget);
    if (overBudget > 0) {
      stats.add("catchpoint.pull.points_over_metric_budget", "account", account, overBudget);
      LOG.warn("catchpoint pull, account {}: {} datapoints of new metric names were not written (metrics.max_new_per_"
          + "request / metrics.max_derived): {}", account, overBudget, outcome.skipped());
    }
    stats.increment("catchpoint.pull.windows_ok", "account", account);
    if (!counts.derivedColumns().isEmpty()) {
      LOG.debug("catchpoint pull, account {}: columns not in the vocabulary table, written as {}", account,
          counts.derivedColumns());
    }
    // What an operator (and the benchmark) reads to see how long a window took, fetch to acknowledgement.
    Map<String, Object> last = new LinkedHashMap<>();
    last.put("start", start == Long.MIN_VALUE ? null : RestTimes.iso(start));
    last.put("end", RestTimes.iso(end));
    last.put("tests", tests.size());
    last.put("rows", counts.rows());
    last.put("datapoints", outcome.written());
    last.put("seconds", Math.round((System.nanoTime() - startedNanos) / 1e6) / 1e3);
    return new Written(counts, runs[0], outcome.written(), Collections.unmodifiableMap(last));
  }

  /**
   * Maps one run into the window's chunk; a full chunk is written (its new names readied at once). A
   * run of a node the catalog looked for and does not know is counted.
   */
  private void writeRun(WriteBatch write, List<DataPoint> chunk, Run run) throws InterruptedException, PullException {
    if (!nodes.knows(run.nodeId())) {
      stats.increment("catchpoint.pull.runs_unenriched", "account", account);
    }
    chunk.addAll(mapper.apply(run));
    if (chunk.size() >= CHUNK_POINTS) {
      writeChunk(write, chunk);
    }
  }

  private void writeChunk(WriteBatch write, List<DataPoint> chunk) throws InterruptedException, PullException {
    if (chunk.isEmpty()) {
      return;
    }
    confirm.confirm();
    boolean taken = write.writeAll(chunk);
    chunk.clear();
    if (!taken) {
      throw storageFailed(write.outcome().join());
    }
  }

  /** Waits for the catalog to look for the nodes the window's held runs name. */
  private void awaitCatalog(Map<Long, CompletableFuture<Boolean>> learning) throws InterruptedException, PullException {
    try {
      CompletableFuture.allOf(learning.values().toArray(new CompletableFuture<?>[0]))
          .get(CATALOG_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new PullException(PullException.Kind.CATALOG, 0, "the node catalog did not finish looking for nodes "
          + learning.keySet() + " within " + CATALOG_WAIT_MILLIS + " ms (retried next interval)", null);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("learning a node never fails", e);
    }
  }

  private static WriteOutcome awaitOutcome(WriteBatch write) throws InterruptedException {
    try {
      return write.finish().get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("a write outcome never fails", e);
    }
  }

  private PullException storageFailed(WriteOutcome o) {
    if (o.status() == WriteOutcome.Status.FAILED) {
      return new PullException(PullException.Kind.STORAGE, 0, "storage failed to write a point: " + o.failure(),
          o.failure());
    }
    return new PullException(PullException.Kind.STORAGE, 0, "storage did not acknowledge the window's points within "
        + ackTimeoutMillis + " ms", null);
  }
}
