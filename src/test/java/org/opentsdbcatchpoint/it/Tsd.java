package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The real TSD of the end-to-end tests, started by Maven through integration-tests/tsd.sh with the
 * packaged plugin jar: HTTP helpers, {@code /api/query} read-back, and stack control.
 */
final class Tsd {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String URL = required("it.tsd.url");
  static final String TOKEN = required("it.push.token");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Tsd() {}

  private static String required(String key) {
    String v = System.getProperty(key);
    if (v == null || v.isEmpty()) {
      throw new IllegalStateException("system property " + key + " is not set: run the end-to-end tests "
          + "through 'mvn verify' (integration-tests/test.sh), which starts the stack");
    }
    return v;
  }

  static Path fixture(String name) {
    Path p = Paths.get("..", "shared", "catchpoint", "fixtures", name);
    if (!Files.exists(p)) {
      throw new IllegalStateException("fixture " + p.toAbsolutePath() + " is missing: ../shared must sit beside the project");
    }
    return p;
  }

  static byte[] fixtureBytes(String name) throws IOException {
    return Files.readAllBytes(fixture(name));
  }

  /** A response with its body parsed as JSON (null when the body is not JSON). */
  static final class Answer {
    final int status;
    final String body;
    final JsonNode json;
    final HttpResponse<String> raw;

    Answer(HttpResponse<String> raw) {
      this.raw = raw;
      this.status = raw.statusCode();
      this.body = raw.body();
      JsonNode parsed;
      try {
        parsed = JSON.readTree(body);
      } catch (IOException e) {
        parsed = null;
      }
      this.json = parsed;
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  static Answer send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> raw = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    record(raw);
    return new Answer(raw);
  }

  /**
   * Every answer the end-to-end tests get, headers and body, one line each, in the stack dir's
   * {@link #RESPONSES}: SecretsIT greps it for the stack's secrets. Not the request's query or a path
   * token (the test put the secret there, not the TSD).
   */
  static final String RESPONSES = "it-responses.log";
  private static final Object RECORDING = new Object();

  static void record(HttpResponse<String> raw) {
    String path = raw.request().uri().getPath();
    int token = Math.max(path.indexOf("/push/"), path.indexOf("/alert/"));
    if (token >= 0) {
      path = path.substring(0, path.indexOf('/', token + 1) + 1) + "(token)";
    }
    StringBuilder line = new StringBuilder().append(raw.request().method()).append(' ')
        .append(raw.request().uri().getHost()).append(':').append(raw.request().uri().getPort()).append(path)
        .append(" -> ").append(raw.statusCode());
    raw.headers().map().forEach((k, vs) -> vs.forEach(v -> line.append(" | ").append(k).append(": ").append(v)));
    line.append(" | body: ").append(raw.body() == null ? "" : raw.body().replace("\n", "\\n").replace("\r", "\\r"))
        .append('\n');
    Path file = Paths.get(required("it.stack.dir"), RESPONSES);
    synchronized (RECORDING) {
      try {
        Files.write(file, line.toString().getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException("could not record an answer in " + file, e);
      }
    }
  }

  static HttpRequest.Builder request(String pathAndQuery) {
    return request(URL, pathAndQuery);
  }

  /** A request to another TSD of the stack (an {@link #extraTsd}), by its base URL. */
  static HttpRequest.Builder request(String baseUrl, String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(Duration.ofSeconds(30));
  }

  static Answer push(byte[] body) throws IOException, InterruptedException {
    return push(URL, body);
  }

  /** Pushes with the stack's token to the TSD at a base URL. */
  static Answer push(String baseUrl, byte[] body) throws IOException, InterruptedException {
    return send(pushRequest(baseUrl, "application/json", "", body));
  }

  static Answer push(byte[] body, String contentType, String extraQuery) throws IOException, InterruptedException {
    return send(pushRequest(URL, contentType, extraQuery, body));
  }

  private static HttpRequest pushRequest(String baseUrl, String contentType, String extraQuery, byte[] body) {
    return request(baseUrl, "/plugin/catchpoint/push?token=" + TOKEN + extraQuery)
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
  }

  static Answer get(String pathAndQuery) throws IOException, InterruptedException {
    return get(URL, pathAndQuery);
  }

  static Answer get(String baseUrl, String pathAndQuery) throws IOException, InterruptedException {
    return send(request(baseUrl, pathAndQuery).GET().build());
  }

  /** Every series of a metric matching the tag filter, one entry per series: tags and datapoints. */
  static List<Series> query(String metric, Map<String, String> filter, long start, long end)
      throws IOException, InterruptedException {
    return query(URL, metric, filter, start, end);
  }

  /** As {@link #query(String, Map, long, long)}, asked of the TSD at a base URL. */
  static List<Series> query(String baseUrl, String metric, Map<String, String> filter, long start, long end)
      throws IOException, InterruptedException {
    StringBuilder m = new StringBuilder("none:").append(metric);
    if (!filter.isEmpty()) {
      m.append('{');
      boolean first = true;
      for (Map.Entry<String, String> e : filter.entrySet()) {
        if (!first) {
          m.append(',');
        }
        m.append(e.getKey()).append('=').append(e.getValue());
        first = false;
      }
      m.append('}');
    }
    Answer a = get(baseUrl, "/api/query?start=" + start + "&end=" + end + "&m="
        + URLEncoder.encode(m.toString(), StandardCharsets.UTF_8));
    assertEquals(200, a.status, () -> "query " + m + " failed: " + a);
    List<Series> out = new ArrayList<>();
    for (JsonNode s : a.json) {
      Map<String, String> tags = new TreeMap<>();
      s.path("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
      Map<Long, Double> dps = new TreeMap<>();
      s.path("dps").fields().forEachRemaining(e -> dps.put(Long.parseLong(e.getKey()), e.getValue().asDouble()));
      out.add(new Series(s.path("metric").asText(), tags, dps));
    }
    return out;
  }

  /** The single series of a metric for a test, asserting there is exactly one. */
  static Series only(String metric, Map<String, String> filter, long start, long end)
      throws IOException, InterruptedException {
    return only(URL, metric, filter, start, end);
  }

  static Series only(String baseUrl, String metric, Map<String, String> filter, long start, long end)
      throws IOException, InterruptedException {
    List<Series> all = query(baseUrl, metric, filter, start, end);
    assertEquals(1, all.size(), () -> "expected one series of " + metric + filter + ", got " + all);
    return all.get(0);
  }

  static final class Series {
    final String metric;
    final Map<String, String> tags;
    final Map<Long, Double> dps;

    Series(String metric, Map<String, String> tags, Map<Long, Double> dps) {
      this.metric = metric;
      this.tags = tags;
      this.dps = dps;
    }

    @Override
    public String toString() {
      return metric + tags + dps;
    }
  }

  /** Runs integration-tests/tsd.sh with a command on this test run's stack. */
  static void stack(String command) throws IOException, InterruptedException {
    stack(command, Map.of());
  }

  /** Runs integration-tests/tsd.sh with a command and extra environment (TSD_HEAP=256m, ...). */
  static void stack(String command, Map<String, String> env) throws IOException, InterruptedException {
    run(env, false, command);
  }

  /**
   * Starts (or restarts) an extra TSD of the stack on the same HBase, with its own port and the extra
   * opentsdb.conf lines of a file (null: none); its base URL, {@code http://127.0.0.1:PORT}.
   */
  static String extraTsd(String name, int port, Path confExtra) throws IOException, InterruptedException {
    Map<String, String> env = new HashMap<>();
    env.put("EXTRA_TSD_PORT", Integer.toString(port));
    if (confExtra != null) {
      env.put("TSD_CONF_EXTRA", confExtra.toAbsolutePath().toString());
    }
    run(env, false, "tsd-start", name);
    return "http://127.0.0.1:" + port;
  }

  static void extraTsdStop(String name) throws IOException, InterruptedException {
    run(Map.of(), false, "tsd-stop", name);
  }

  /** Sends KILL, STOP, CONT or TERM to an extra TSD's JVM. */
  static void extraTsdSignal(String name, String signal) throws IOException, InterruptedException {
    run(Map.of(), false, "tsd-signal", name, signal);
  }

  /** What {@code tsd.sh tsd-list} prints: one line per extra TSD, "NAME PORT PID STATE". */
  static List<String> extraTsdList() throws IOException, InterruptedException {
    String out = run(Map.of(), true, "tsd-list");
    return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
  }

  /** A loopback port free right now (bound to port 0, then released). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Runs tsd.sh with arguments on this test run's stack; its standard output if asked, else shown. */
  private static String run(Map<String, String> env, boolean capture, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", required("it.stack.script")));
    command.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
    if (capture) {
      pb.redirectOutput(ProcessBuilder.Redirect.PIPE);
    }
    pb.environment().putAll(env);
    pb.environment().put("STACK_DIR", required("it.stack.dir"));
    Process p = pb.start();
    String out = capture ? new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim() : "";
    String what = "tsd.sh " + String.join(" ", args);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), what + " did not finish in 300 s");
    assertEquals(0, p.exitValue(), what + " failed");
    return out;
  }
}
