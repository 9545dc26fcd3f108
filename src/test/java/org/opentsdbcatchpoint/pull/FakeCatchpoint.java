package org.opentsdbcatchpoint.pull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.opentsdbcatchpoint.Fixtures;

/**
 * An in-process Catchpoint on 127.0.0.1 (a free port) that serves the shared fixtures: per path a
 * queue of scripted answers, then a default answer. Records every request.
 */
final class FakeCatchpoint implements AutoCloseable {
  /** One answer: status, body, headers, and how long to wait before answering. */
  static final class Reply {
    final int status;
    final byte[] body;
    final Map<String, String> headers = new HashMap<>();
    long delayMillis;

    Reply(int status, byte[] body) {
      this.status = status;
      this.body = body;
    }

    static Reply fixture(String name) {
      return new Reply(200, Fixtures.bytes(name));
    }

    static Reply json(int status, String body) {
      return new Reply(status, body.getBytes(StandardCharsets.UTF_8));
    }

    Reply header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    Reply delay(long millis) {
      delayMillis = millis;
      return this;
    }
  }

  /** A request as the server saw it. */
  static final class Seen {
    final String method;
    final String path;
    final String query;
    final String authorization;
    final String body;

    Seen(String method, String path, String query, String authorization, String body) {
      this.method = method;
      this.path = path;
      this.query = query;
      this.authorization = authorization;
      this.body = body;
    }

    @Override
    public String toString() {
      return method + " " + path + (query == null ? "" : "?" + query);
    }
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(4);
  private final Map<String, Deque<Reply>> scripts = new HashMap<>();
  private final Map<String, Reply> defaults = new HashMap<>();
  final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());

  FakeCatchpoint() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Answers of a path ({@code /ui/api/token}, or with a query: {@code /api/v2/nodes/all?pageNumber=2...}). */
  synchronized FakeCatchpoint then(String path, Reply reply) {
    scripts.computeIfAbsent(path, p -> new ArrayDeque<>()).add(reply);
    return this;
  }

  synchronized FakeCatchpoint always(String path, Reply reply) {
    defaults.put(path, reply);
    return this;
  }

  List<Seen> seen(String path) {
    List<Seen> out = new ArrayList<>();
    synchronized (seen) {
      for (Seen s : seen) {
        if (s.path.equals(path)) {
          out.add(s);
        }
      }
    }
    return out;
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      String path = ex.getRequestURI().getPath();
      String query = ex.getRequestURI().getRawQuery();
      seen.add(new Seen(ex.getRequestMethod(), path, query, ex.getRequestHeaders().getFirst("Authorization"),
          new String(readAll(ex.getRequestBody()), StandardCharsets.UTF_8)));
      Reply reply = next(query == null ? path : path + "?" + query);
      if (reply == null) {
        reply = next(path);
      }
      if (reply == null) {
        reply = Reply.json(404, "{\"Message\":\"the fake has nothing at " + path + "\"}");
      }
      if (reply.delayMillis > 0) {
        Thread.sleep(reply.delayMillis);
      }
      for (Map.Entry<String, String> h : reply.headers.entrySet()) {
        ex.getResponseHeaders().add(h.getKey(), h.getValue());
      }
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(reply.status, reply.body.length == 0 ? -1 : reply.body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(reply.body);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the client gave up (a timeout scenario)
    } finally {
      ex.close();
    }
  }

  private synchronized Reply next(String key) {
    Deque<Reply> q = scripts.get(key);
    if (q != null && !q.isEmpty()) {
      return q.poll();
    }
    return defaults.get(key);
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    int n;
    while ((n = in.read(buf)) > 0) {
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  @Override
  public void close() throws InterruptedException {
    server.stop(0);
    threads.shutdownNow();
    threads.awaitTermination(5, TimeUnit.SECONDS);
  }
}
