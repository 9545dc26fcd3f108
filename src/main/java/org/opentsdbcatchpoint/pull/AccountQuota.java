package org.opentsdbcatchpoint.pull;

import java.util.function.BooleanSupplier;
import org.opentsdbcatchpoint.pipeline.Clock;

/**
 * One account's request quota at Catchpoint, shared by its live pulls and its imports. The live pulls
 * come first: an import request waits while a live pull of the account runs, while Catchpoint asked
 * anyone of the account to wait (a 429, its {@code Retry-After} or {@code usageLimits}), and until
 * the import's own pace allows the next request ({@code import_rate} per minute). A live pull never
 * waits here: it keeps its freshness, and handles its own 429s as before.
 */
public final class AccountQuota {
  /** How often a waiting import looks again whether the live pull has ended. */
  static final long POLL_MILLIS = 250;

  private final Clock clock;
  private final long importGapMillis;
  private volatile BooleanSupplier liveRunning = () -> false;
  private volatile long pausedUntilMillis;
  private long nextImportMillis;

  /** @param importRequestsPerMinute the most import requests a minute (the live pulls' are on top) */
  public AccountQuota(Clock clock, int importRequestsPerMinute) {
    this.clock = clock;
    this.importGapMillis = 60_000L / Math.max(1, importRequestsPerMinute);
  }

  /** Whether a live pull of the account runs now: imports wait for its end. */
  void liveRunning(BooleanSupplier running) {
    liveRunning = running;
  }

  /** The time between two import requests. */
  public long importGapMillis() {
    return importGapMillis;
  }

  /** Catchpoint answered 429 to any request of the account: no import request before this time. */
  void rateLimitedUntil(long millis) {
    synchronized (this) {
      if (millis > pausedUntilMillis) {
        pausedUntilMillis = millis;
      }
    }
  }

  /** When a 429 lets the imports go on again (0 or past: now). */
  public long pausedUntilMillis() {
    return pausedUntilMillis;
  }

  /** Waits until an import request may be sent, and takes its turn. */
  void awaitImportTurn() throws InterruptedException {
    while (true) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("import stopped");
      }
      long now = clock.nowMillis();
      long wait;
      synchronized (this) {
        if (liveRunning.getAsBoolean()) {
          wait = POLL_MILLIS;
        } else {
          long at = Math.max(pausedUntilMillis, nextImportMillis);
          if (at <= now) {
            nextImportMillis = now + importGapMillis;
            return;
          }
          wait = at - now;
        }
      }
      clock.sleep(Math.min(wait, 5000));
    }
  }
}
