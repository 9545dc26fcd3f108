package org.opentsdbcatchpoint.sink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A carbon receiver on a loopback port that records what it reads: plaintext lines, or the raw bytes
 * (for pickle). It can drop every connection (as carbon does when it stops), stop listening and listen
 * again on the same port, or accept connections and never read from them.
 */
final class FakeCarbon implements AutoCloseable {
  final List<String> lines = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final List<Socket> clients = new CopyOnWriteArrayList<>();
  private final boolean neverRead;
  private volatile ServerSocket server;
  private volatile Thread acceptor;
  private volatile int accepted;
  private final int port;

  FakeCarbon(boolean neverRead) throws IOException {
    this.neverRead = neverRead;
    ServerSocket s = new ServerSocket();
    if (neverRead) {
      s.setReceiveBufferSize(8192); // fills up sooner
    }
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    this.server = s;
    this.port = server.getLocalPort();
    acceptLoop(server);
  }

  int port() {
    return port;
  }

  InetSocketAddress address() {
    return InetSocketAddress.createUnresolved("127.0.0.1", port);
  }

  int accepted() {
    return accepted;
  }

  synchronized byte[] bytes() {
    return bytes.toByteArray();
  }

  private void acceptLoop(ServerSocket s) {
    Thread t = new Thread(() -> {
      while (!s.isClosed()) {
        try {
          Socket c = s.accept();
          accepted++;
          clients.add(c);
          if (!neverRead) {
            read(c);
          }
        } catch (IOException e) {
          return;
        }
      }
    }, "fake-carbon-accept");
    t.setDaemon(true);
    acceptor = t;
    t.start();
  }

  private void read(Socket c) {
    Thread t = new Thread(() -> {
      StringBuilder line = new StringBuilder();
      byte[] buf = new byte[65536];
      try (InputStream in = c.getInputStream()) {
        int n;
        while ((n = in.read(buf)) > 0) {
          synchronized (this) {
            bytes.write(buf, 0, n);
          }
          String s = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
          for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\n') {
              lines.add(new String(line.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
              line.setLength(0);
            } else {
              line.append(ch);
            }
          }
        }
      } catch (IOException e) {
        // dropped
      }
    }, "fake-carbon-read");
    t.setDaemon(true);
    t.start();
  }

  /** Closes every connection, as a carbon that stops does; keeps listening. */
  void dropConnections() throws IOException {
    for (Socket c : clients) {
      c.close();
    }
    clients.clear();
  }

  /** Stops listening and drops every connection: connects are refused. */
  void stop() throws IOException {
    server.close();
    // The JDK closes a listening socket for good only once the thread blocked in accept() has left it:
    // until then the kernel still completes connections into the backlog.
    try {
      acceptor.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    dropConnections();
  }

  /** Listens again on the same port. */
  void restart() throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    server = s;
    acceptLoop(s);
  }

  static void await(BooleanSupplier condition, long millis, String what) throws InterruptedException {
    if (!within(millis, condition)) {
      throw new AssertionError("timed out waiting for " + what);
    }
  }

  /** Whether the condition holds within {@code millis} (polled every 5 ms). */
  static boolean within(long millis, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  List<String> linesSnapshot() {
    return Collections.unmodifiableList(new ArrayList<>(lines));
  }

  @Override
  public void close() throws IOException {
    try {
      stop();
    } catch (SocketException ignored) {
      // closed already
    }
  }
}
