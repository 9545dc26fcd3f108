package org.opentsdbcatchpoint.tsd;

import org.opentsdbcatchpoint.pipeline.Clock;

/** The JVM's clocks: the one place the plugin reads them. */
public final class SystemClock implements Clock {
  public static final Clock INSTANCE = new SystemClock();

  private SystemClock() {}

  @Override
  public long nowMillis() {
    return System.currentTimeMillis();
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public void sleep(long millis) throws InterruptedException {
    if (millis > 0) {
      Thread.sleep(millis);
    }
  }
}
