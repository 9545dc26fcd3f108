package org.opentsdbcatchpoint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A scheduler on a clock the test moves: nothing runs until {@link #advance} (or {@link #runDue})
 * reaches its time, and then it runs on the test's thread. So a test says "a minute later, the
 * refresh has run" and "before that, it has not" without sleeping.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
  private final AtomicLong nowMillis;
  private final List<Task<?>> tasks = new ArrayList<>();
  private final AtomicLong sequence = new AtomicLong();
  private boolean shutdown;

  /** @param nowMillis the clock the scheduler and the code under test share */
  public ManualScheduler(AtomicLong nowMillis) {
    this.nowMillis = nowMillis;
  }

  public long now() {
    return nowMillis.get();
  }

  /** Moves the clock forward, running every task that falls due on the way, in time order. */
  public void advance(long millis) {
    long target = nowMillis.get() + millis;
    while (true) {
      Task<?> next = nextDue(target);
      if (next == null) {
        break;
      }
      nowMillis.set(Math.max(nowMillis.get(), next.dueMillis));
      next.runNow();
    }
    nowMillis.set(target);
  }

  /** Runs what is due now (tasks given to {@link #execute} are due at once). */
  public void runDue() {
    advance(0);
  }

  /** Tasks waiting to run (not cancelled). */
  public synchronized int pending() {
    int n = 0;
    for (Task<?> t : tasks) {
      if (!t.isCancelled()) {
        n++;
      }
    }
    return n;
  }

  private synchronized Task<?> nextDue(long target) {
    Task<?> best = null;
    for (Task<?> t : tasks) {
      if (!t.isCancelled() && t.dueMillis <= target && (best == null || t.compareTo(best) < 0)) {
        best = t;
      }
    }
    if (best != null) {
      tasks.remove(best);
    }
    return best;
  }

  private synchronized <V> Task<V> add(Task<V> t) {
    if (shutdown) {
      throw new RejectedExecutionException("shut down");
    }
    tasks.add(t);
    return t;
  }

  @Override
  public void execute(Runnable command) {
    add(new Task<Void>(command, null, now(), 0));
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(new Task<Void>(command, null, now() + unit.toMillis(delay), 0));
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return add(new Task<>(callable, now() + unit.toMillis(delay)));
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
    return add(new Task<Void>(command, null, now() + unit.toMillis(initialDelay), unit.toMillis(period)));
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return scheduleAtFixedRate(command, initialDelay, delay, unit);
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> left = new ArrayList<>(tasks);
    tasks.clear();
    return Collections.unmodifiableList(left);
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public synchronized boolean isTerminated() {
    return shutdown && tasks.isEmpty();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isTerminated();
  }

  private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
    final long order;
    final long periodMillis;
    long dueMillis;

    Task(Runnable r, V result, long dueMillis, long periodMillis) {
      super(r, result);
      this.dueMillis = dueMillis;
      this.periodMillis = periodMillis;
      this.order = sequence.getAndIncrement();
    }

    Task(Callable<V> c, long dueMillis) {
      super(c);
      this.dueMillis = dueMillis;
      this.periodMillis = 0;
      this.order = sequence.getAndIncrement();
    }

    void runNow() {
      if (periodMillis > 0) {
        if (runAndReset()) {
          dueMillis = now() + periodMillis;
          synchronized (ManualScheduler.this) {
            if (!shutdown) {
              tasks.add(this);
            }
          }
        }
      } else {
        run();
      }
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(dueMillis - now(), TimeUnit.MILLISECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      Task<?> other = (Task<?>) o;
      int c = Long.compare(dueMillis, other.dueMillis);
      return c != 0 ? c : Long.compare(order, other.order);
    }
  }
}
