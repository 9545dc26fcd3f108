package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
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
    return new Answer(HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
  }

  static HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(URL + pathAndQuery)).timeout(Duration.ofSeconds(30));
  }

  static Answer push(byte[] body) throws IOException, InterruptedException {
    return push(body, "application/json", "");
  }

  static Answer push(byte[] body, String contentType, String extraQuery) throws IOException, InterruptedException {
    return send(request("/plugin/catchpoint/push?token=" + TOKEN + extraQuery)
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  static Answer get(String pathAndQuery) throws IOException, InterruptedException {
    return send(request(pathAndQuery).GET().build());
  }

  /** Every series of a metric matching the tag filter, one entry per series: tags and datapoints. */
  static List<Series> query(String metric, Map<String, String> filter, long start, long end)
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
    Answer a = get("/api/query?start=" + start + "&end=" + end + "&m="
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
    List<Series> all = query(metric, filter, start, end);
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
    ProcessBuilder pb = new ProcessBuilder("bash", required("it.stack.script"), command).inheritIO();
    pb.environment().putAll(env);
    pb.environment().put("STACK_DIR", required("it.stack.dir"));
    Process p = pb.start();
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "tsd.sh " + command + " did not finish in 300 s");
    assertEquals(0, p.exitValue(), "tsd.sh " + command + " failed");
  }
}
