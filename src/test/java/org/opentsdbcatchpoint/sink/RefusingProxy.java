package org.opentsdbcatchpoint.sink;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP proxy in front of a real server that answers the first {@code refuse} requests itself
 * with a 400 and passes every other one through as it is: a target that refuses a batch, then takes the
 * next, with the taking done by the real server.
 */
final class RefusingProxy implements AutoCloseable {
  private final String target;
  private final String refusal;
  private final AtomicInteger refuse;
  final AtomicInteger requests = new AtomicInteger();
  private final HttpServer server;

  RefusingProxy(String targetBaseUrl, int refuse, String refusal) throws IOException {
    this.target = targetBaseUrl;
    this.refuse = new AtomicInteger(refuse);
    this.refusal = refusal;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange x) throws IOException {
    byte[] body = RealServers.readFully(x.getRequestBody());
    requests.incrementAndGet();
    int status;
    byte[] answer;
    if (refuse.getAndDecrement() > 0) {
      status = 400;
      answer = refusal.getBytes(StandardCharsets.UTF_8);
    } else {
      HttpURLConnection c = (HttpURLConnection) new URL(target + x.getRequestURI()).openConnection();
      c.setRequestMethod(x.getRequestMethod());
      for (Map.Entry<String, List<String>> h : x.getRequestHeaders().entrySet()) {
        String k = h.getKey();
        if (!k.equalsIgnoreCase("Host") && !k.equalsIgnoreCase("Content-Length") && !k.equalsIgnoreCase("Connection")) {
          c.setRequestProperty(k, String.join(",", h.getValue()));
        }
      }
      c.setDoOutput(body.length > 0);
      if (body.length > 0) {
        try (OutputStream o = c.getOutputStream()) {
          o.write(body);
        }
      }
      status = c.getResponseCode();
      try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
        answer = in == null ? new byte[0] : RealServers.readFully(in);
      }
    }
    if (answer.length > 0) {
      x.getResponseHeaders().add("Content-Type", "application/json");
    }
    x.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(answer);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
