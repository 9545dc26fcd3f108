package org.opentsdbcatchpoint;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.opentsdbcatchpoint.pipeline.Writer;
import org.opentsdbcatchpoint.pull.UrlConnectionTransport;
import org.opentsdbcatchpoint.tsd.SystemClock;

/** A platform for tests of the whole service: the given store, real time, real HTTP, daemon threads. */
public final class TestPlatform {
  private TestPlatform() {}

  public static Platform of(Writer writer, BooleanSupplier readOnly) {
    return new Platform(writer, readOnly, 8, SystemClock.INSTANCE, new UrlConnectionTransport(), THREADS, "test:4242");
  }

  public static Platform of(Writer writer) {
    return of(writer, () -> false);
  }

  /** Daemon threads named for the test, so a failed test leaves no thread that keeps the JVM up. */
  public static final Threads THREADS = new Threads() {
    @Override
    public ExecutorService bounded(String name, int threads, int queue) {
      return new ThreadPoolExecutor(threads, threads, 1, TimeUnit.SECONDS, new ArrayBlockingQueue<Runnable>(queue),
          r -> daemon(r, name));
    }

    @Override
    public ScheduledExecutorService scheduled(String name, int threads) {
      ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(threads, r -> daemon(r, name));
      e.setRemoveOnCancelPolicy(true);
      e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
      return e;
    }
  };

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, "test-" + name);
    t.setDaemon(true);
    return t;
  }
}
