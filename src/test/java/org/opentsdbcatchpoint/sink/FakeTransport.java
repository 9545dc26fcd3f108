package org.opentsdbcatchpoint.sink;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.opentsdbcatchpoint.pipeline.DataPoint;

/** Records every batch it is given; fails on demand with scripted exceptions; can hang until released. */
class FakeTransport implements Transport {
  final List<List<DataPoint>> attempts = Collections.synchronizedList(new ArrayList<>());
  final List<DataPoint> delivered = Collections.synchronizedList(new ArrayList<>());
  private final Deque<IOException> failures = new ArrayDeque<>();
  private final Deque<IOException> idleFailures = new ArrayDeque<>();
  private volatile CountDownLatch gate;
  volatile boolean connected;
  volatile boolean closed;

  synchronized FakeTransport failNext(IOException... es) {
    Collections.addAll(failures, es);
    return this;
  }

  synchronized FakeTransport failIdle(IOException e) {
    idleFailures.add(e);
    return this;
  }

  /** Every send waits until {@link #release()}. */
  FakeTransport hold() {
    gate = new CountDownLatch(1);
    return this;
  }

  void release() {
    CountDownLatch g = gate;
    gate = null;
    if (g != null) {
      g.countDown();
    }
  }

  @Override
  public int send(List<DataPoint> batch) throws IOException {
    attempts.add(new ArrayList<>(batch));
    CountDownLatch g = gate;
    if (g != null) {
      try {
        g.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted");
      }
    }
    IOException e;
    synchronized (this) {
      e = failures.poll();
    }
    if (e != null) {
      connected = false;
      throw e;
    }
    connected = true;
    delivered.addAll(batch);
    return 0;
  }

  @Override
  public void idle() throws IOException {
    IOException e;
    synchronized (this) {
      e = idleFailures.poll();
    }
    if (e != null) {
      throw e;
    }
  }

  @Override
  public boolean connected() {
    return connected;
  }

  @Override
  public String describe() {
    return "fake";
  }

  @Override
  public void close() {
    closed = true;
  }
}
