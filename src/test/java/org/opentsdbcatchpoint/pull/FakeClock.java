package org.opentsdbcatchpoint.pull;

import org.opentsdbcatchpoint.pipeline.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A clock that only moves when told to or when something sleeps on it: tests never sleep for real. */
final class FakeClock implements Clock {
  private long nowMillis;
  private final List<Long> sleeps = Collections.synchronizedList(new ArrayList<>());

  FakeClock(long nowMillis) {
    this.nowMillis = nowMillis;
  }

  static FakeClock atSeconds(long epochSeconds) {
    return new FakeClock(epochSeconds * 1000);
  }

  @Override
  public synchronized long nowMillis() {
    return nowMillis;
  }

  @Override
  public synchronized long nanoTime() {
    return nowMillis * 1_000_000L;
  }

  @Override
  public void sleep(long millis) throws InterruptedException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedException();
    }
    sleeps.add(millis);
    advance(millis);
  }

  synchronized void advance(long millis) {
    nowMillis += millis;
  }

  synchronized void setSeconds(long epochSeconds) {
    nowMillis = epochSeconds * 1000;
  }

  /** Every wait asked for, in order. */
  List<Long> sleeps() {
    synchronized (sleeps) {
      return new ArrayList<>(sleeps);
    }
  }
}
