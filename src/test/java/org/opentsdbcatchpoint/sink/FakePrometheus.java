package org.opentsdbcatchpoint.sink;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-process remote-write receiver: records every request's headers and raw body, answers 204 or what it is told. */
final class FakePrometheus implements AutoCloseable {
  static final class Seen {
    final String method;
    final String uri;
    final Map<String, String> headers;
    final byte[] body;

    Seen(String method, String uri, Map<String, String> headers, byte[] body) {
      this.method = method;
      this.uri = uri;
      this.headers = headers;
      this.body = body;
    }
  }

  final List<Seen> requests = new CopyOnWriteArrayList<>();
  private final Deque<int[]> statuses = new ArrayDeque<>();
  private final Deque<String> bodies = new ArrayDeque<>();
  private final HttpServer server;

  FakePrometheus() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.createContext("/", this::handle);
    server.start();
  }

  String writeUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write";
  }

  /** The next answer: a status and a plain-text body (Prometheus answers errors as text). */
  synchronized FakePrometheus answer(int status, String body) {
    statuses.add(new int[] {status});
    bodies.add(body);
    return this;
  }

  private void handle(HttpExchange x) throws IOException {
    byte[] raw = RealServers.readFully(x.getRequestBody());
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, List<String>> h : x.getRequestHeaders().entrySet()) {
      headers.put(h.getKey(), String.join(",", h.getValue()));
    }
    requests.add(new Seen(x.getRequestMethod(), x.getRequestURI().toString(), headers, raw));
    int status = 204;
    String body = "";
    synchronized (this) {
      if (!statuses.isEmpty()) {
        status = statuses.poll()[0];
        body = bodies.poll();
      }
    }
    byte[] out = body.getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(out);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
