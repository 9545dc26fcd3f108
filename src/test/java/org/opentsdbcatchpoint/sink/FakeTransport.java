package org.opentsdbcatchpoint.sink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.opentsdbcatchpoint.pipeline.DataPoint;

/**
 * Records every batch it is given (points, or points handed back by a {@link #replay}); fails on demand
 * with scripted exceptions; can hang until released.
 */
class FakeTransport implements Transport {
  final List<List<DataPoint>> attempts = Collections.synchronizedList(new ArrayList<>());
  final List<DataPoint> delivered = Collections.synchronizedList(new ArrayList<>());
  /** Points this fake "encoded" for a replay: each is written as its index in this list. */
  private final List<DataPoint> replayable = Collections.synchronizedList(new ArrayList<>());
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

  /** Points as a dead connection of this fake would hand them back: encoded, to be resent as they are. */
  List<EncodedPoints> replay(List<DataPoint> points) {
    EncodedPoints.Builder b = new EncodedPoints.Builder(4 * points.size());
    for (DataPoint p : points) {
      int index = replayable.size();
      replayable.add(p);
      b.write(index >>> 24).write(index >>> 16).write(index >>> 8).write(index).endPoint();
    }
    return Collections.singletonList(b.build());
  }

  @Override
  public int send(PointRing batch) throws IOException {
    return send(Points.points(batch));
  }

  @Override
  public void resend(EncodedPoints points) throws IOException {
    List<DataPoint> batch = new ArrayList<>();
    ByteBuffer bytes = ByteBuffer.wrap(points.bytes());
    for (int k = 0; k < points.points(); k++) {
      batch.add(replayable.get(bytes.getInt(points.start(k))));
    }
    send(batch);
  }

  int send(List<DataPoint> batch) throws IOException {
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
