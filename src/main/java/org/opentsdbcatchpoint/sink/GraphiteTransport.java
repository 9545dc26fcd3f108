package org.opentsdbcatchpoint.sink;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * TCP to one or more carbon receivers, one chosen per batch: round robin, passing over hosts that
 * failed in the last {@value #HOST_DOWN_MILLIS} ms while another is up. Connections are kept open and
 * opened again when needed; nothing is contacted before the first batch.
 *
 * <p>Carbon never answers, so a write that succeeded proves little: the bytes may sit in a socket of a
 * carbon that is stopping, or in carbon's memory cache, which carbon-cache 1.1 does not write out when
 * it stops. Before every write (and every 100 ms when idle) the connection is checked for a close from
 * the other side (a non-blocking read: end of stream or a reset means dead, the half-closed socket
 * check); when it is dead, the points written on it during the last {@code replay_window_ms} come back
 * to the forwarder in a {@link ConnectionLostException} and are sent again, as the bytes that were
 * written (nothing is encoded twice). Graphite keeps one value per series and second, so a replay
 * overwrites, never doubles. Writes are non-blocking with a deadline: a
 * carbon that accepts and never reads costs a timeout, not a hung sender.
 */
public final class GraphiteTransport implements Transport {
  static final long HOST_DOWN_MILLIS = 2_000;

  private final List<InetSocketAddress> hosts;
  private final GraphiteFormat format;
  private final int timeoutMillis;
  private final long replayWindowNanos;
  private final int replayMaxPoints;
  private final LongSupplier nanoClock;
  private final Connection[] connections;
  private final long[] downUntil;
  private final boolean[] everDown;
  private int next;
  private volatile boolean connected;

  /**
   * @param hosts carbon receivers, unresolved (resolved at each connect, so a name that does not
   *     resolve yet is a retryable failure, not a failed start)
   * @param replayWindowMillis how long written points are kept to be sent again if the connection dies
   * @param replayMaxPoints the most points kept for that per connection
   */
  public GraphiteTransport(List<InetSocketAddress> hosts, GraphiteFormat format, int timeoutMillis,
      long replayWindowMillis, int replayMaxPoints) {
    this(hosts, format, timeoutMillis, replayWindowMillis, replayMaxPoints, System::nanoTime);
  }

  GraphiteTransport(List<InetSocketAddress> hosts, GraphiteFormat format, int timeoutMillis,
      long replayWindowMillis, int replayMaxPoints, LongSupplier nanoClock) {
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("no carbon host");
    }
    this.hosts = Collections.unmodifiableList(new ArrayList<>(hosts));
    this.format = format;
    this.timeoutMillis = timeoutMillis;
    this.replayWindowNanos = TimeUnit.MILLISECONDS.toNanos(replayWindowMillis);
    this.replayMaxPoints = replayMaxPoints;
    this.nanoClock = nanoClock;
    this.connections = new Connection[hosts.size()];
    this.downUntil = new long[hosts.size()];
    this.everDown = new boolean[hosts.size()];
  }

  @Override
  public int send(PointRing batch) throws IOException {
    EncodedPoints encoded = format.encode(batch);
    if (encoded.points() > 0) {
      write(encoded);
    }
    return batch.size() - encoded.points();
  }

  @Override
  public void resend(EncodedPoints points) throws IOException {
    write(points);
  }

  private void write(EncodedPoints encoded) throws IOException {
    int i = choose();
    Connection c = connections[i];
    long now = nanoClock.getAsLong();
    if (c != null && !c.alive()) {
      throw lost(i, now, true, null);
    }
    if (c == null) {
      try {
        c = Connection.open(hosts.get(i), timeoutMillis);
      } catch (IOException e) {
        down(i, now);
        throw e;
      }
      connections[i] = c;
      connected = true;
    }
    try {
      c.write(format.wire(encoded), timeoutMillis);
    } catch (IOException e) {
      ConnectionLostException lost = lost(i, now, false, e);
      if (lost.points() == 0) {
        throw e;
      }
      throw lost;
    }
    c.written(now, encoded, replayWindowNanos, replayMaxPoints);
    next = (i + 1) % hosts.size();
  }

  @Override
  public void idle() throws IOException {
    long now = nanoClock.getAsLong();
    for (int i = 0; i < connections.length; i++) {
      Connection c = connections[i];
      if (c == null) {
        continue;
      }
      c.prune(now, replayWindowNanos);
      if (!c.alive()) {
        throw lost(i, now, true, null);
      }
    }
  }

  /** Closes connection {@code i} and hands back what was written on it lately. */
  private ConnectionLostException lost(int i, long now, boolean beforeWrite, IOException cause) {
    Connection c = connections[i];
    connections[i] = null;
    down(i, now);
    List<EncodedPoints> resend = c.unconfirmed(now, replayWindowNanos);
    c.close();
    String why = cause == null ? "closed by carbon"
        : cause.getMessage() == null ? cause.toString() : cause.getMessage();
    return new ConnectionLostException("connection to " + address(hosts.get(i)) + " lost (" + why + "); "
        + EncodedPoints.total(resend) + " points written on it lately are sent again", resend, beforeWrite, cause);
  }

  private void down(int i, long now) {
    downUntil[i] = now + TimeUnit.MILLISECONDS.toNanos(HOST_DOWN_MILLIS);
    everDown[i] = true;
    boolean any = false;
    for (Connection c : connections) {
      any |= c != null;
    }
    connected = any;
  }

  /** The next host in turn that is not known to be down; when all are, the one down longest ago. */
  private int choose() {
    long now = nanoClock.getAsLong();
    int n = hosts.size();
    for (int k = 0; k < n; k++) {
      int i = (next + k) % n;
      if (connections[i] != null || !everDown[i] || now - downUntil[i] >= 0) {
        return i;
      }
    }
    int best = next;
    for (int i = 0; i < n; i++) {
      if (downUntil[i] - downUntil[best] < 0) {
        best = i;
      }
    }
    return best;
  }

  @Override
  public boolean connected() {
    return connected;
  }

  @Override
  public String describe() {
    StringBuilder b = new StringBuilder("carbon ");
    for (int i = 0; i < hosts.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(address(hosts.get(i)));
    }
    return b.append(" (").append(format.protocol()).append(')').toString();
  }

  /** Whether a connection to host {@code i} is open and carbon has not closed it (for tests). */
  boolean open(int i) {
    Connection c = connections[i];
    return c != null && c.alive();
  }

  static String address(InetSocketAddress a) {
    return a.getHostString() + ":" + a.getPort();
  }

  @Override
  public void close() {
    for (int i = 0; i < connections.length; i++) {
      if (connections[i] != null) {
        connections[i].close();
        connections[i] = null;
      }
    }
    connected = false;
  }

  /** One open connection to one carbon, and what was written on it lately. */
  private static final class Connection {
    private final SocketChannel channel;
    private final Selector selector;
    private final ByteBuffer scratch = ByteBuffer.allocate(256);
    private final ArrayDeque<Written> written = new ArrayDeque<>();
    private int writtenPoints;

    private Connection(SocketChannel channel, Selector selector) {
      this.channel = channel;
      this.selector = selector;
    }

    static Connection open(InetSocketAddress unresolved, int timeoutMillis) throws IOException {
      InetSocketAddress address = new InetSocketAddress(unresolved.getHostString(), unresolved.getPort());
      if (address.isUnresolved()) {
        throw new UnknownHostException(unresolved.getHostString());
      }
      SocketChannel ch = SocketChannel.open();
      try {
        ch.socket().connect(address, timeoutMillis);
        ch.configureBlocking(false);
        ch.socket().setTcpNoDelay(true);
        ch.socket().setKeepAlive(true);
        Selector selector = Selector.open();
        ch.register(selector, SelectionKey.OP_WRITE);
        return new Connection(ch, selector);
      } catch (IOException | UnresolvedAddressException e) {
        ch.close();
        if (e instanceof UnresolvedAddressException) {
          throw new UnknownHostException(unresolved.getHostString());
        }
        throw e;
      }
    }

    /** The half-closed socket check: carbon never sends, so end of stream or an error means it is gone. */
    boolean alive() {
      try {
        while (true) {
          scratch.clear();
          int n = channel.read(scratch);
          if (n < 0) {
            return false;
          }
          if (n == 0) {
            return true;
          }
        }
      } catch (IOException e) {
        return false;
      }
    }

    /** Writes every buffer whole, gathering, within the timeout. */
    void write(ByteBuffer[] buffers, int timeoutMillis) throws IOException {
      long total = remaining(buffers);
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      while (remaining(buffers) > 0) {
        if (channel.write(buffers) > 0) {
          continue;
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          throw new SocketTimeoutException("carbon took " + (total - remaining(buffers)) + " of " + total
              + " bytes in " + timeoutMillis + " ms and no more");
        }
        selector.select(left);
        selector.selectedKeys().clear();
      }
    }

    private static long remaining(ByteBuffer[] buffers) {
      long n = 0;
      for (ByteBuffer b : buffers) {
        n += b.remaining();
      }
      return n;
    }

    void written(long now, EncodedPoints points, long windowNanos, int maxPoints) {
      if (windowNanos == 0) {
        return; // replay turned off
      }
      written.addLast(new Written(now, points));
      writtenPoints += points.points();
      prune(now, windowNanos);
      while (writtenPoints > maxPoints && written.size() > 1) {
        writtenPoints -= written.pollFirst().points.points();
      }
    }

    void prune(long now, long windowNanos) {
      while (!written.isEmpty() && now - written.peekFirst().at > windowNanos) {
        writtenPoints -= written.pollFirst().points.points();
      }
    }

    List<EncodedPoints> unconfirmed(long now, long windowNanos) {
      prune(now, windowNanos);
      List<EncodedPoints> out = new ArrayList<>(written.size());
      for (Written w : written) {
        out.add(w.points);
      }
      written.clear();
      writtenPoints = 0;
      return out;
    }

    void close() {
      try {
        selector.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  private static final class Written {
    final long at;
    final EncodedPoints points;

    Written(long at, EncodedPoints points) {
      this.at = at;
      this.points = points;
    }
  }
}
