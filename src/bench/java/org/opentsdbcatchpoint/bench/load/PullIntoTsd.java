package org.opentsdbcatchpoint.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Scenario 5 on the real stack: one big v1 raw window (every node of the fake's node list, one run a
 * minute each, eight web columns: about 20,000 runs and 158,000 values) pulled into the TSD, new series
 * included. Each account of {@code --accounts} has one web test that was never pulled, so its first pull
 * asks the fake Catchpoint for one interval back; the plugin's {@code /pull/status} reports that window's
 * seconds from the request to the last acknowledgement by storage ({@code last_window}). The first
 * account is "cold": every tag value and the TSD's pull path are new; the others add new series only.
 *
 * <p>The stored datapoints are counted back through {@code /api/query} (every metric the plugin wrote for
 * the test), so a fast pull that lost points cannot pass for a result. Afterwards the fake's v1 API is
 * taken down, so that these accounts' scheduled pulls cost the later scenarios nothing.
 *
 * <p>Arguments {@code --key=value}: tsd (host:port), fake (its URL), admin-token, accounts (comma-separated),
 * out (JSON path).
 *
 * <p>Output: {@code {"pulls":[{account, test_id, trigger: "bench"|"scheduler", wall_seconds, window_seconds,
 * runs, datapoints, stored_datapoints, answer_bytes, values_per_second, tsd: {new_uids.metrics|tagk|tagv,
 * hbase_rpcs.get|increment|put: deltas of the TSD's /api/stats over the pull}}]}}.
 */
public final class PullIntoTsd {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String tsd;
  private final String fake;
  private final String adminToken;

  private PullIntoTsd(String tsd, String fake, String adminToken) {
    this.tsd = "http://" + tsd;
    this.fake = fake;
    this.adminToken = adminToken;
  }

  public static void main(String[] args) throws Exception {
    LoadBench.Options o = new LoadBench.Options(args);
    PullIntoTsd bench = new PullIntoTsd(o.string("tsd", "127.0.0.1:4242"), o.string("fake", "http://127.0.0.1:4280"),
        o.string("admin-token", ""));
    ObjectNode root = JSON.createObjectNode();
    ArrayNode pulls = root.putArray("pulls");
    for (String account : o.list("accounts", "benchpull1")) {
      pulls.add(bench.pull(account));
    }
    bench.post(bench.fake + "/__fake/down?seconds=86400&api=v1", null);
    Path out = o.path("out");
    Files.createDirectories(out.toAbsolutePath().getParent());
    JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), root);
    LoadBench.log("pull measurements written to %s", out);
  }

  private ObjectNode pull(String account) throws IOException, InterruptedException {
    JsonNode before = test(account);
    Map<String, Long> statsBefore = tsdStats();
    long charsBefore = get(fake + "/__fake/requests").path("raw_chars_v1").asLong();
    String trigger = "bench";
    double wall = Double.NaN;
    if (before.path("last_window").isObject() || before.path("running").asBoolean()) {
      // The scheduler's first pull of this account (at a random point of its interval) came first.
      trigger = "scheduler";
    } else {
      long started = System.nanoTime();
      JsonNode ran = post(tsd + "/plugin/catchpoint/pull/run?wait&account=" + enc(account), adminToken);
      wall = (System.nanoTime() - started) / 1e9;
      if (!ran.path("ran").asBoolean()) {
        trigger = "scheduler";
        wall = Double.NaN;
      }
    }
    JsonNode after = waitForWindow(account);
    Map<String, Long> statsAfter = tsdStats();
    JsonNode last = after.path("last_window");
    if (!last.isObject() || after.hasNonNull("last_error")) {
      throw new IllegalStateException("account " + account + " did not pull a window: " + after);
    }
    long test = after.path("test_id").asLong();
    long written = last.path("datapoints").asLong();
    long stored = storedDatapoints(test, last.path("start").asText(), last.path("end").asText());
    long answerBytes = get(fake + "/__fake/requests").path("raw_chars_v1").asLong() - charsBefore;
    double seconds = last.path("seconds").asDouble();
    if (written == 0 || !(seconds > 0)) {
      // An empty or untimed window would print a meaningless rate; the bench pulls are never empty.
      throw new IllegalStateException("account " + account + " reported a window of " + written
          + " datapoints in " + last.path("seconds") + " s, which gives no rate: " + after);
    }
    ObjectNode r = JSON.createObjectNode();
    r.put("account", account);
    r.put("test_id", test);
    r.put("trigger", trigger);
    r.put("wall_seconds", Double.isNaN(wall) ? null : Math.round(wall * 1000) / 1000.0);
    r.put("window_seconds", seconds);
    r.put("window_start", last.path("start").asText());
    r.put("window_end", last.path("end").asText());
    r.put("runs", last.path("rows").asLong());
    r.put("datapoints", written);
    r.put("stored_datapoints", stored);
    r.put("answer_bytes", "bench".equals(trigger) ? answerBytes : null);
    r.put("values_per_second", Math.round(written / seconds));
    // What the TSD did for it: UIDs it had to create (each one an atomic increment on HBase's one
    // max-id row per kind, so they are allocated one after another) and the HBase reads and writes.
    ObjectNode tsdWork = r.putObject("tsd");
    for (String key : TSD_STATS) {
      tsdWork.put(key, statsAfter.getOrDefault(key, 0L) - statsBefore.getOrDefault(key, 0L));
    }
    LoadBench.log("pull %-11s test %d (%s): %d runs, %d datapoints (%d read back), %.1f MB, in %.2f s "
        + "(%.0f values/s); the TSD created %d UIDs", account, test, trigger, r.path("runs").asLong(), written,
        stored, answerBytes / 1e6, seconds, written / seconds, tsdWork.path("new_uids.metrics").asLong()
            + tsdWork.path("new_uids.tagk").asLong() + tsdWork.path("new_uids.tagv").asLong());
    if (stored != written) {
      throw new IllegalStateException("account " + account + ": the plugin acknowledged " + written
          + " datapoints but the TSD answers " + stored);
    }
    return r;
  }

  /**
   * The TSD's own counters of {@code /api/stats} that tell a cold pull from a warm one, as
   * {@code metric.tag}: {@code uid.ids-used} per kind, {@code hbase.rpcs} per type.
   */
  private Map<String, Long> tsdStats() throws IOException, InterruptedException {
    Map<String, Long> m = new HashMap<>();
    for (JsonNode s : get(tsd + "/api/stats")) {
      String metric = s.path("metric").asText();
      JsonNode tags = s.path("tags");
      String key = null;
      if (metric.equals("tsd.uid.ids-used")) {
        key = "new_uids." + tags.path("kind").asText();
      } else if (metric.equals("tsd.hbase.rpcs")) {
        key = "hbase_rpcs." + tags.path("type").asText();
      }
      if (key != null) {
        m.put(key, s.path("value").asLong());
      }
    }
    return m;
  }

  static final String[] TSD_STATS = {"new_uids.metrics", "new_uids.tagk", "new_uids.tagv", "hbase_rpcs.get",
      "hbase_rpcs.increment", "hbase_rpcs.put"};

  /** The status of the account's only test, once no pull of it is running. */
  private JsonNode waitForWindow(String account) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + 600_000_000_000L;
    while (true) {
      JsonNode t = test(account);
      if (!t.path("running").asBoolean() && t.path("last_window").isObject() || System.nanoTime() > deadline) {
        return t;
      }
      Thread.sleep(200);
    }
  }

  private JsonNode test(String account) throws IOException, InterruptedException {
    for (JsonNode t : get(tsd + "/plugin/catchpoint/pull/status").path("tests")) {
      if (account.equals(t.path("account").asText())) {
        return t;
      }
    }
    throw new IllegalStateException("no pull account " + account + " on the TSD (is the bench's conf loaded?)");
  }

  /** Every datapoint the TSD holds for the test in [start, end): each metric the plugin writes, summed. */
  private long storedDatapoints(long test, String start, String end) throws IOException, InterruptedException {
    long from = Instant.parse(start).getEpochSecond();
    long to = Instant.parse(end).getEpochSecond() - 1; // the TSD's end is inclusive
    long count = 0;
    JsonNode metrics = get(tsd + "/api/suggest?type=metrics&max=10000&q=catchpoint.");
    for (JsonNode m : metrics) {
      String q = tsd + "/api/query?start=" + from + "&end=" + to + "&m="
          + enc("none:" + m.asText() + "{test_id=" + test + "}");
      HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(q)).GET());
      if (r.statusCode() == 400 && r.body().contains("No such name")) {
        continue; // a metric of another scenario with no test of this id
      }
      for (JsonNode series : JSON.readTree(check(r, q))) {
        count += series.path("dps").size();
      }
    }
    return count;
  }

  private JsonNode get(String url) throws IOException, InterruptedException {
    return JSON.readTree(check(send(HttpRequest.newBuilder(URI.create(url)).GET()), url));
  }

  private JsonNode post(String url, String token) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("X-Catchpoint-Admin-Token", token);
    }
    return JSON.readTree(check(send(b), url));
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
    return http.send(b.timeout(Duration.ofMinutes(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String check(HttpResponse<String> r, String url) {
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(url.replaceAll("token=[^&]*", "token=...") + " answered " + r.statusCode()
          + ": " + r.body());
    }
    return r.body();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
