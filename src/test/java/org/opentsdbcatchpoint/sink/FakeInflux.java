package org.opentsdbcatchpoint.sink;

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
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/** An in-process HTTP server standing in for InfluxDB: records every request, answers 204 or what it is told. */
final class FakeInflux implements AutoCloseable {
  /** One request as the server saw it; the body un-gzipped. */
  static final class Seen {
    final String method;
    final String uri;
    final Map<String, String> headers;
    final String body;

    Seen(String method, String uri, Map<String, String> headers, String body) {
      this.method = method;
      this.uri = uri;
      this.headers = headers;
      this.body = body;
    }
  }

  /** A scripted answer. */
  static final class Answer {
    final int status;
    final String body;
    final String retryAfter;
    final long delayMillis;

    Answer(int status, String body, String retryAfter, long delayMillis) {
      this.status = status;
      this.body = body;
      this.retryAfter = retryAfter;
      this.delayMillis = delayMillis;
    }
  }

  final List<Seen> requests = new CopyOnWriteArrayList<>();
  private final Deque<Answer> script = new ArrayDeque<>();
  private final HttpServer server;

  FakeInflux() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  synchronized FakeInflux answer(int status, String body, String retryAfter, long delayMillis) {
    script.add(new Answer(status, body, retryAfter, delayMillis));
    return this;
  }

  private void handle(HttpExchange x) throws IOException {
    byte[] raw = readAll(x.getRequestBody());
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, List<String>> h : x.getRequestHeaders().entrySet()) {
      headers.put(h.getKey(), String.join(",", h.getValue()));
    }
    String body = "gzip".equals(headers.get("Content-Encoding"))
        ? new String(readAll(new GZIPInputStream(new java.io.ByteArrayInputStream(raw))), StandardCharsets.UTF_8)
        : new String(raw, StandardCharsets.UTF_8);
    requests.add(new Seen(x.getRequestMethod(), x.getRequestURI().toString(), headers, body));
    Answer a;
    synchronized (this) {
      a = script.poll();
    }
    if (a == null) {
      a = new Answer(204, "", null, 0);
    }
    if (a.delayMillis > 0) {
      try {
        Thread.sleep(a.delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (a.retryAfter != null) {
      x.getResponseHeaders().add("Retry-After", a.retryAfter);
    }
    byte[] out = a.body.getBytes(StandardCharsets.UTF_8);
    if (out.length > 0) {
      x.getResponseHeaders().add("Content-Type", "application/json");
    }
    x.sendResponseHeaders(a.status, out.length == 0 ? -1 : out.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(out);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) > 0) {
      b.write(buf, 0, n);
    }
    return b.toByteArray();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
