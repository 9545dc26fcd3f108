package org.opentsdbcatchpoint.bench.load;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The runs of one measurement, in the same order for every path: pushes take them one run per
 * request, the native paths take their datapoints in batches or a run's at a time. Thread-safe.
 */
final class RunSequence {
  private final Workload workload;
  private final long firstSecond;
  private final AtomicLong nextRun = new AtomicLong();
  /** Where batching stands: the run being cut into batches and its next point. */
  private long batchRun;
  private int batchPoint;

  RunSequence(Workload workload, long firstSecond) {
    this.workload = workload;
    this.firstSecond = firstSecond;
  }

  /** A whole run in a request body (its push, or its datapoints), and how many datapoints it maps to. */
  static final class Run {
    final byte[] body;
    final int points;

    Run(byte[] body, int points) {
      this.body = body;
      this.points = points;
    }
  }

  Run nextPush() {
    long k = nextRun.getAndIncrement();
    RunTemplate run = workload.run(k);
    return new Run(run.push.render(workload.second(firstSecond, k)), run.points.size());
  }

  /** The next run's datapoints as an /api/put JSON array: what the push of that run carries. */
  Run nextRunPoints() {
    long k = nextRun.getAndIncrement();
    RunTemplate run = workload.run(k);
    ByteArrayOutputStream out = new ByteArrayOutputStream(run.points.size() * 260);
    out.write('[');
    for (TimedText point : run.points) {
      if (out.size() > 1) {
        out.write(',');
      }
      point.render(workload.second(firstSecond, k), out);
    }
    out.write(']');
    return new Run(out.toByteArray(), run.points.size());
  }

  /** The next {@code size} datapoints of the sequence as an /api/put JSON array. */
  synchronized byte[] nextBatch(int size) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(size * 260);
    out.write('[');
    for (int i = 0; i < size; i++) {
      RunTemplate run = workload.run(batchRun);
      if (i > 0) {
        out.write(',');
      }
      run.points.get(batchPoint).render(workload.second(firstSecond, batchRun), out);
      if (++batchPoint == run.points.size()) {
        batchPoint = 0;
        batchRun++;
      }
    }
    out.write(']');
    return out.toByteArray();
  }

  /** Runs begun so far (whole or in part): what this measurement used of the run-time axis. */
  synchronized long runsUsed() {
    return Math.max(nextRun.get(), batchRun + (batchPoint > 0 ? 1 : 0));
  }
}
