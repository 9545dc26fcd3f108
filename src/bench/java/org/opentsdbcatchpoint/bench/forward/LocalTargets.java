package org.opentsdbcatchpoint.bench.forward;

import com.sun.net.httpserver.HttpServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Forwarding targets inside the bench's JVM, on loopback ports: a carbon that reads and discards, an
 * InfluxDB that reads the body and answers 204, and a target that accepts connections and never reads
 * (bench.sh's {@code BlackHole}: the sender's writes fill the socket buffers, then wait for their timeout).
 */
final class LocalTargets {
  private LocalTargets() {}

  /** A listening target; closing it stops it and drops its connections. */
  interface Target extends Closeable {
    int port();
  }

  static Target discardingCarbon() throws IOException {
    return new Sockets(true);
  }

  static Target neverReading() throws IOException {
    return new Sockets(false);
  }

  static Target answeringInflux() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        byte[] buf = new byte[65536];
        while (in.read(buf) > 0) {
          // discarded: only the answer matters to the forwarder
        }
      }
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
    return new Target() {
      @Override
      public int port() {
        return server.getAddress().getPort();
      }

      @Override
      public void close() {
        server.stop(0);
      }
    };
  }

  private static final class Sockets implements Target {
    private final ServerSocket server = new ServerSocket();
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    Sockets(boolean read) throws IOException {
      if (!read) {
        server.setReceiveBufferSize(4096); // stuck sooner, as the BlackHole of bench.sh
      }
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
      Thread t = new Thread(() -> accept(read), "bench-target-" + server.getLocalPort());
      t.setDaemon(true);
      t.start();
    }

    private void accept(boolean read) {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          held.add(s);
          if (read) {
            Thread r = new Thread(() -> discard(s), "bench-target-read");
            r.setDaemon(true);
            r.start();
          }
        } catch (IOException e) {
          return;
        }
      }
    }

    private static void discard(Socket s) {
      byte[] buf = new byte[65536];
      try (InputStream in = s.getInputStream()) {
        while (in.read(buf) >= 0) {
          // discarded
        }
      } catch (IOException e) {
        // closed
      }
    }

    @Override
    public int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket s : held) {
        s.close();
      }
    }
  }
}
