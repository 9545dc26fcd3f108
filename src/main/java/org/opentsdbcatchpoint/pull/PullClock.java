package org.opentsdbcatchpoint.pull;

/**
 * Time as the pull side sees it: the wall clock and a way to wait. Injected so that token expiry,
 * cursors and backoff are tested without sleeping.
 */
public interface PullClock {
  long nowMillis();

  /** Waits; interrupted when the plugin shuts down. */
  void sleep(long millis) throws InterruptedException;

  default long nowSeconds() {
    return Math.floorDiv(nowMillis(), 1000L);
  }

  PullClock SYSTEM = new PullClock() {
    @Override
    public long nowMillis() {
      return System.currentTimeMillis();
    }

    @Override
    public void sleep(long millis) throws InterruptedException {
      if (millis > 0) {
        Thread.sleep(millis);
      }
    }
  };
}
