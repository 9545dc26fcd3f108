package org.opentsdbcatchpoint.tsd;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.opentsdbcatchpoint.Threads;

/** Daemon threads named {@code catchpoint-<name>-N}: they never keep a stopping TSD alive. */
final class DaemonThreads implements Threads {
  @Override
  public ExecutorService bounded(String name, int threads, int queue) {
    ThreadPoolExecutor e = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<Runnable>(queue), named(name));
    e.allowCoreThreadTimeOut(true);
    return e;
  }

  @Override
  public ScheduledExecutorService scheduled(String name, int threads) {
    ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(threads, named(name));
    e.setRemoveOnCancelPolicy(true);
    e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return e;
  }

  static ThreadFactory named(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "catchpoint-" + name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
