package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Imports of history (POST /plugin/catchpoint/pull/import, and the jar's import command) from the fake
 * Catchpoint's v2 API: a week of one ping test (900402, on the fake's 6 nodes, a run a minute each: 60,480
 * runs) in 28 windows of 6 h (itv2's import_window), compared with what the fake serves, run by run.
 * First through the command line, with a 429 storm in the middle: the import slows down and finishes.
 * Then the TSD is killed (SIGKILL) in the middle of an import of the three days before, and started again:
 * the import goes on by itself from the cursor it stored, with no run missing and none counted twice.
 */
@Order(15)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImportIT {
  static final String ACCOUNT = Pulls.V2;
  static final long TEST = 900402;
  static final long DAY = 86400;
  static final long WEEK = 7 * DAY;
  static final String RTT = "catchpoint.ping.round_trip_time_avg";
  static final String LOSS = "catchpoint.ping.packet_loss_pct";
  /** Midnight (UTC) eight days ago: the week imported first ends yesterday. */
  static final long WEEK_START = (Pulls.now() / DAY - 8) * DAY;

  @AfterEach
  void fakeUpAgain() throws Exception {
    Pulls.fake("POST", "/__fake/reset");
  }

  @Test
  @Order(1)
  void aWeekImportedByTheCommandLineExactlyThroughA429Storm() throws Exception {
    long from = WEEK_START;
    long to = from + WEEK;
    String fromDay = LocalDate.ofEpochDay(from / DAY).toString();
    String lastDay = LocalDate.ofEpochDay(to / DAY - 1).toString(); // --to names the last day, included
    Path output = Paths.get("target", "import-command-output.txt");
    ProcessBuilder pb = new ProcessBuilder(javaBin(), "-jar", pluginJar().toString(), "import", "--account", ACCOUNT,
        "--tests", Long.toString(TEST), "--type", "ping", "--from", fromDay, "--to", lastDay, "--tsd", Tsd.URL,
        "--again") // the stack's HBase may hold this import from an earlier run: import it once more
        .redirectErrorStream(true).redirectOutput(output.toFile());
    pb.environment().put("CATCHPOINT_ADMIN_TOKEN", Pulls.ADMIN_TOKEN);
    long started = System.nanoTime();
    Process command = pb.start();
    try {
      String id = awaitImportId(output);
      // A few windows in: every v2 request of the account gets 429 for a while (Retry-After 1 s).
      Pulls.await("the first windows of the import", () -> progress(id).path("windows_done").asLong(), n -> n >= 4,
          Duration.ofSeconds(60));
      Pulls.fake("POST", "/__fake/throttle?count=10&retry_after=1&api=v2");
      assertTrue(command.waitFor(120, TimeUnit.SECONDS), () -> "the import command did not end: " + read(output));
      assertEquals(0, command.exitValue(), () -> read(output));
      JsonNode p = progress(id);
      assertEquals("done", p.path("state").asText(), p::toString);
      assertEquals(28, p.path("windows_total").asLong(), p::toString);
      assertEquals(28, p.path("windows_done").asLong(), p::toString);
      assertTrue(p.path("rate_limited").asLong() >= 1, () -> "the storm did not reach the import: " + p);
      assertTrue(p.path("requests").asLong() >= 28 + p.path("rate_limited").asLong(), p::toString);

      String text = read(output);
      assertTrue(text.contains("plan: 28 windows of 6 h, 28 requests"), text);
      assertTrue(text.contains("windows") && text.contains("points/s"), text);
      assertTrue(text.contains("import " + id + " done: "), text);
      assertTrue(!text.contains(Pulls.ADMIN_TOKEN), "the token must never be printed");

      long runs = fakeCount(from, to);
      assertEquals(runs, p.path("runs").asLong(), p::toString);
      assertEquals(2 * runs, p.path("points").asLong(), p::toString);
      assertStoredExactly(from, to, runs);
      assertWindowsServedOnce(from, to, 0);
      System.out.println("ImportIT: a week (" + runs + " runs) through a 429 storm in "
          + (System.nanoTime() - started) / 1_000_000 + " ms; the command printed:\n" + text);
    } finally {
      command.destroyForcibly();
    }
  }

  @Test
  @Order(2)
  void aTsdKilledMidImportResumesWithNothingLostOrDoubled() throws Exception {
    long from = WEEK_START - 3 * DAY;
    long to = WEEK_START;
    // Slow answers, so that the kill lands in the middle of the week.
    Pulls.fake("POST", "/__fake/slow?ms=600&api=v2");
    Tsd.Answer asked = importNow(from, to, "&again");
    assertTrue(asked.status == 202 || asked.status == 200, asked::toString); // 200: again, from an earlier run
    assertEquals("queued", asked.json.path("import").path("state").asText(), asked::toString);
    String id = asked.json.path("import").path("id").asText();
    long done = Pulls.await("a few windows stored", () -> progress(id).path("windows_done").asLong(), n -> n >= 4,
        Duration.ofSeconds(60));
    PullRestartIT.kill9Tsd();
    Pulls.fake("POST", "/__fake/slow?ms=0&api=v2");
    Tsd.stack("restart-tsd");
    // Asking again attaches to the stored import (200, not a new one), once the restarted TSD's pulls started.
    Pulls.await("the restarted TSD taking imports", () -> importNow(from, to, "").status, s -> s != 503,
        Duration.ofSeconds(30));
    Tsd.Answer again = importNow(from, to, "");
    assertEquals(200, again.status, again::toString);
    assertEquals(id, again.json.path("import").path("id").asText());
    Pulls.await("the resumed import to finish", () -> "done".equals(progress(id).path("state").asText()) ? 1 : 0,
        n -> n == 1, Duration.ofSeconds(120));
    JsonNode p = progress(id);
    assertTrue(p.path("windows_done").asLong() == 12 && done < 12, p::toString);
    long runs = fakeCount(from, to);
    assertEquals(runs, p.path("runs").asLong(), () -> "runs counted once each: " + p);
    assertStoredExactly(from, to, runs);
    // The restarted TSD went on from the stored cursor: at most the window in flight at the kill twice.
    assertWindowsServedOnce(from, to, 1);
  }

  private static Tsd.Answer importNow(long from, long to, String extra)
      throws java.io.IOException, InterruptedException {
    return Tsd.send(Tsd.request("/plugin/catchpoint/pull/import?account=" + ACCOUNT + "&tests=" + TEST + "&type=ping"
        + "&from=" + from + "&to=" + to + extra).header("X-Catchpoint-Admin-Token", Pulls.ADMIN_TOKEN)
        .POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  static JsonNode progress(String id) throws java.io.IOException, InterruptedException {
    Tsd.Answer a = Tsd.get("/plugin/catchpoint/pull/import?id=" + id);
    assertEquals(200, a.status, a::toString);
    return a.json.path("import");
  }

  /** The runs the fake serves in [from, to). */
  private static long fakeCount(long from, long to) throws Exception {
    return Pulls.fake("GET", "/__fake/runs?test=" + TEST + "&from=" + from + "&to=" + (to - 1) + "&count").json
        .path("count").asLong();
  }

  /** Every run of the range in OpenTSDB, once per node and second, with the fake's values at spots. */
  private static void assertStoredExactly(long from, long to, long runs) throws Exception {
    Map<String, String> filter = Map.of("test_id", Long.toString(TEST));
    List<Tsd.Series> rtt = Tsd.query(RTT, filter, from, to - 1);
    long stored = 0;
    Map<String, Map<Long, Double>> byNode = new HashMap<>();
    for (Tsd.Series s : rtt) {
      stored += s.dps.size();
      byNode.put(s.tags.get("node_id"), s.dps);
    }
    assertEquals(runs, stored, () -> "points of " + RTT + " in the range, one per run");
    assertEquals(Pulls.NODES.length, byNode.size(), () -> "nodes: " + byNode.keySet());
    // Spots: the first, a middle and the last hour of the range, run by run and value by value.
    for (long spot : new long[] {from, from + (to - from) / 2, to - 3600}) {
      Pulls.assertExactly(TEST, "Ping Round Trip (ms)", RTT, spot, spot + 3600);
      Pulls.assertExactly(TEST, "% Ping Packet Loss", LOSS, spot, spot + 3600);
    }
    List<Tsd.Series> loss = Tsd.query(LOSS, filter, from, to - 1);
    long lossStored = 0;
    for (Tsd.Series s : loss) {
      lossStored += s.dps.size();
    }
    assertEquals(runs, lossStored, "points of " + LOSS);
  }

  /**
   * The windows the fake served for the test in the range tile it, each once, but for at most
   * {@code repeats} served twice.
   */
  private static void assertWindowsServedOnce(long from, long to, int repeats) throws Exception {
    List<long[]> in = new ArrayList<>();
    for (JsonNode w : Pulls.fake("GET", "/__fake/windows?test=" + TEST).json.path("windows")) {
      if (w.get(0).asLong() >= from && w.get(0).asLong() < to) {
        in.add(new long[] {w.get(0).asLong(), w.get(1).asLong()});
      }
    }
    Map<Long, Integer> byStart = new HashMap<>();
    for (long[] w : in) {
      assertEquals(0, (w[0] - from) % (6 * 3600), () -> "a window off the 6 h grid: " + Instant.ofEpochSecond(w[0]));
      assertEquals(Math.min(to, w[0] + 6 * 3600), w[1], "window end");
      byStart.merge(w[0], 1, Integer::sum);
    }
    long windows = (to - from + 6 * 3600 - 1) / (6 * 3600);
    assertEquals(windows, byStart.size(), () -> "every window of the range: " + byStart.keySet());
    long twice = byStart.values().stream().filter(n -> n > 1).count();
    assertTrue(twice <= repeats && byStart.values().stream().allMatch(n -> n <= 2),
        () -> "windows served more than once: " + byStart);
  }

  private static String awaitImportId(Path output) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      String text = read(output);
      int at = text.indexOf("import " + ACCOUNT + "-");
      if (at >= 0 && text.indexOf(':', at) > 0) {
        return text.substring(at + "import ".length(), text.indexOf(':', at));
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the import command printed no plan: " + read(output));
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? new String(Files.readAllBytes(p), StandardCharsets.UTF_8) : "";
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  private static String javaBin() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The packaged jar, as an operator runs it (the same one the stack's TSD loads). */
  private static Path pluginJar() {
    File[] jars = new File("target").listFiles((d, n) -> n.startsWith("opentsdb-catchpoint-") && n.endsWith(".jar")
        && !n.contains("sources") && !n.contains("tests"));
    assertTrue(jars != null && jars.length == 1, "one plugin jar in target/");
    return jars[0].toPath();
  }
}
