package org.opentsdbcatchpoint.pull;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.opentsdbcatchpoint.pipeline.Clock;
import org.opentsdbcatchpoint.pipeline.TestType;
import org.opentsdbcatchpoint.stats.Stats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls one stored import to its end: batch by batch, window by window from each batch's cursor,
 * every window through the same {@link WindowWriter} as the live pulls, and the record (cursors and
 * counters together) stored after storage acknowledged the window. Its requests go through the
 * account's quota behind the live pulls. A 429 waits as long as Catchpoint asks and retries the same
 * window, however often; other errors retry with backoff, and fail the import after
 * {@link #MAX_FAILURES} in a row (asking for it again resumes it). The job leaves the import to the
 * next holder when this TSD loses the account's lease, and stops between two windows when asked.
 */
final class ImportJob {
  private static final Logger LOG = LoggerFactory.getLogger(ImportJob.class);
  /** Failures of one window in a row (429s not counted) before the import is marked failed. */
  static final int MAX_FAILURES = 8;
  private static final String REQUESTS = "catchpoint.pull.import_requests";
  private static final String RATE_LIMITED = "catchpoint.pull.import_rate_limited";

  /** How a run of the job ended. */
  enum Outcome {
    DONE, FAILED, STOPPED, LEFT_TO_HOLDER
  }

  private final ImportRecord record;
  private final PullSource source;
  private final WindowWriter writer;
  private final ImportStore store;
  private final Clock clock;
  private final Stats stats;
  private final Backoff backoff;
  private final BooleanSupplier stopping;
  private final PullGate gate;
  private final String me;

  ImportJob(ImportRecord record, PullSource source, WindowWriter writer, ImportStore store, Clock clock, Stats stats,
      Backoff backoff, BooleanSupplier stopping, PullGate gate, String me) {
    this.record = record;
    this.source = source;
    this.writer = writer;
    this.store = store;
    this.clock = clock;
    this.stats = stats;
    this.backoff = backoff;
    this.stopping = stopping;
    this.gate = gate;
    this.me = me;
  }

  ImportRecord record() {
    return record;
  }

  Outcome run() throws InterruptedException {
    long sessionStartMillis = clock.nowMillis();
    long sessionStartWindows = record.windowsDone;
    long sessionStartPoints = record.points;
    record.state = ImportRecord.State.RUNNING;
    record.runner = me;
    record.lastError = null;
    if (record.startedMillis == 0) {
      record.startedMillis = sessionStartMillis;
    }
    save();
    LOG.info("catchpoint import {}: account {}, tests {}, {} to {}: {} of {} windows done, going on", record.id,
        record.account, record.tests.keySet(), RestTimes.iso(record.fromSeconds), RestTimes.iso(record.toSeconds),
        record.windowsDone, record.windowsTotal);
    for (List<Long> batch : record.batches()) {
      Integer typeId = typeId(record.tests.get(batch.get(0)));
      Map<Long, Long> positions = new LinkedHashMap<>();
      long start = Long.MAX_VALUE;
      for (Long test : batch) {
        positions.put(test, record.cursor(test));
        start = Math.min(start, record.cursor(test));
      }
      int failures = 0;
      while (start < record.toSeconds) {
        if (stopping.getAsBoolean()) {
          return Outcome.STOPPED;
        }
        long end = Math.min(record.toSeconds, windowEnd(start));
        long requestsBefore = stats.get(REQUESTS, "account", record.account);
        long limitedBefore = stats.get(RATE_LIMITED, "account", record.account);
        WindowWriter.Written written;
        try {
          written = writer.write(source, batch, typeId, positions, start, end);
          confirm();
        } catch (PullException e) {
          countRequests(requestsBefore, limitedBefore);
          if (e.kind() == PullException.Kind.LEASE_LOST) {
            LOG.info("catchpoint import {}: {}", record.id, e.getMessage());
            return Outcome.LEFT_TO_HOLDER;
          }
          if (e.kind() == PullException.Kind.RATE_LIMITED) {
            // Catchpoint's quota is the account's: wait as long as it says, and take the same window again.
            record.pausedUntilMillis = e.retryAtMillis();
            record.lastError = e.getMessage();
            save();
            clock.sleep(Math.max(0, e.retryAtMillis() - clock.nowMillis()));
            continue;
          }
          if (++failures >= MAX_FAILURES || e.kind() == PullException.Kind.REFUSED) {
            return failed(e);
          }
          retryLater(e, failures);
          continue;
        } catch (IOException | RuntimeException e) {
          countRequests(requestsBefore, limitedBefore);
          if (++failures >= MAX_FAILURES) {
            return failed(e);
          }
          retryLater(e, failures);
          continue;
        }
        failures = 0;
        long now = clock.nowMillis();
        synchronized (record.cursors) {
          for (Long test : batch) {
            if (positions.get(test) < end) {
              positions.put(test, end);
            }
            record.cursors.put(test, positions.get(test));
          }
        }
        record.windowsDone++;
        record.runs += written.runs;
        record.points += written.datapoints;
        countRequests(requestsBefore, limitedBefore);
        record.lastError = null;
        record.pausedUntilMillis = 0;
        double seconds = Math.max(0.001, (now - sessionStartMillis) / 1000.0);
        record.windowsPerSecond = (record.windowsDone - sessionStartWindows) / seconds;
        record.pointsPerSecond = (record.points - sessionStartPoints) / seconds;
        stats.increment("catchpoint.pull.import_windows", "account", record.account);
        save();
        start = end;
      }
    }
    record.state = ImportRecord.State.DONE;
    record.finishedMillis = clock.nowMillis();
    save();
    LOG.info("catchpoint import {}: done, {} runs, {} datapoints in {} windows ({} requests, {} rate limited)",
        record.id, record.runs, record.points, record.windowsDone, record.requests, record.rateLimited);
    return Outcome.DONE;
  }

  /**
   * The requests of the last attempt and the 429s among them. The counters are the account's imports'
   * (one import runs at a time on a TSD), so the difference is this import's.
   */
  private void countRequests(long requestsBefore, long limitedBefore) {
    record.requests += stats.get(REQUESTS, "account", record.account) - requestsBefore;
    record.rateLimited += stats.get(RATE_LIMITED, "account", record.account) - limitedBefore;
  }

  /** Windows are aligned on the import's start, so a resumed import asks for the same windows. */
  private long windowEnd(long start) {
    long w = record.windowSeconds;
    return record.fromSeconds + ((start - record.fromSeconds) / w + 1) * w;
  }

  private void confirm() throws PullException {
    if (!gate.confirm(record.account)) {
      String holder = gate.holder(record.account);
      throw new PullException(PullException.Kind.LEASE_LOST, 0, "this TSD no longer holds the lease of account "
          + record.account + (holder != null ? " (" + holder + " does)" : "") + "; the holder resumes the import "
          + "from its stored cursors", null);
    }
  }

  private void retryLater(Exception e, int failures) throws InterruptedException {
    record.lastError = e instanceof PullException ? e.getMessage() : e.toString();
    LOG.warn("catchpoint import {}: {} (attempt {} of {}; the window is asked again)", record.id, record.lastError,
        failures, MAX_FAILURES);
    saveQuietly();
    clock.sleep(backoff.delayMillis(failures));
  }

  private Outcome failed(Exception e) {
    record.state = ImportRecord.State.FAILED;
    record.lastError = e instanceof PullException ? e.getMessage() : e.toString();
    record.finishedMillis = clock.nowMillis();
    LOG.error("catchpoint import {}: failed: {}; ask for it again to resume it from its cursors", record.id,
        record.lastError);
    saveQuietly();
    stats.increment("catchpoint.pull.imports_failed", "account", record.account);
    return Outcome.FAILED;
  }

  /** After a window: when the progress cannot be stored, the window is asked again (the cells are the same). */
  private void save() throws InterruptedException {
    record.updatedMillis = clock.nowMillis();
    for (int attempt = 1; ; attempt++) {
      try {
        store.save(record.id, record.serialize());
        return;
      } catch (IOException e) {
        if (attempt >= backoff.maxAttempts()) {
          throw new IllegalStateException("could not store the progress of import " + record.id + ": " + e, e);
        }
        clock.sleep(backoff.delayMillis(attempt));
      }
    }
  }

  private void saveQuietly() {
    try {
      record.updatedMillis = clock.nowMillis();
      store.save(record.id, record.serialize());
    } catch (IOException e) {
      LOG.warn("catchpoint import {}: could not store its state: {}", record.id, e.toString());
    }
  }

  static Integer typeId(String type) {
    return PullAccountSettings.OTHER_TESTS.equals(type) ? null : TestType.idOf(type);
  }
}
