package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.text.NumberFormat;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The operator page in a real headless Chromium (integration-tests/browser.sh, Debian's Chromium
 * driven by playwright-core), against the real TSD: after a good push and a refused one, the page
 * opened with the admin token in its address draws the push counters and the refused push, with
 * nothing wrong in the console; without the token the TSD refuses it. The screenshots stay in target/.
 */
@Order(6)
class OperatorPageIT {
  private static final Path SCRIPT = Paths.get("integration-tests", "browser.sh");
  private static final Path SHOT = Paths.get("target", "operator-page.png");
  private static final Path REFUSED_SHOT = Paths.get("target", "operator-page-refused.png");
  private static final String PAGE = Tsd.URL + "/plugin/catchpoint/";
  /** Chromium's start, the page's load and its first draw take a few seconds; this bounds all of it. */
  private static final long CHECK_DEADLINE_SECONDS = 90;

  @BeforeAll
  static void browserIsInstalled() {
    // Installing is setup.sh's job (CI runs it first); a test that apt-gets would surprise a developer.
    assertTrue(Files.isExecutable(Paths.get("/usr/bin/chromium"))
        && Files.exists(Paths.get("integration-tests", "browser", "node_modules", "playwright-core")),
        "no Chromium or playwright-core: run integration-tests/setup.sh (it calls integration-tests/browser.sh install)");
  }

  /** Opens url in headless Chromium through browser.sh; its JSON report (see browser/check-page.mjs). */
  private static JsonNode check(String url, Path screenshot) throws IOException, InterruptedException {
    Files.createDirectories(screenshot.toAbsolutePath().getParent());
    Files.deleteIfExists(screenshot);
    // Both streams to files, so that the deadline below holds even if the browser hangs.
    Path out = Files.createTempFile("check-page", ".json");
    Path err = Files.createTempFile("check-page", ".log");
    Process p = new ProcessBuilder("bash", SCRIPT.toString(), "check", url, screenshot.toString())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(CHECK_DEADLINE_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("browser.sh check did not finish in " + CHECK_DEADLINE_SECONDS + " s");
    }
    String report = new String(Files.readAllBytes(out), StandardCharsets.UTF_8);
    String log = new String(Files.readAllBytes(err), StandardCharsets.UTF_8);
    Files.delete(out);
    Files.delete(err);
    JsonNode r;
    try {
      r = Tsd.JSON.readTree(report);
    } catch (IOException e) {
      throw new AssertionError("browser.sh check (exit " + p.exitValue() + ") printed no JSON: " + report + log, e);
    }
    // Exit 3: the page never drew; 1: the browser could not be driven. The report says why.
    assertTrue(p.exitValue() == 0, () -> "browser.sh check exited " + p.exitValue() + ": " + r.toString() + log);
    return r;
  }

  private static JsonNode data() throws IOException, InterruptedException {
    Tsd.Answer a = Tsd.send(Tsd.request("/plugin/catchpoint/ui/data")
        .header("X-Catchpoint-Admin-Token", Pulls.ADMIN_TOKEN).GET().build());
    assertEquals(200, a.status, a::toString);
    return a.json;
  }

  /** A count as the page writes it (toLocaleString('en-US'): 1,234). */
  private static String shown(long n) {
    return NumberFormat.getIntegerInstance(Locale.US).format(n);
  }

  @Test
  void thePageShowsThePushesAndTheRefusedOneWithNothingWrongInTheConsole() throws Exception {
    Tsd.Answer good = Tsd.push(Tsd.fixtureBytes("push-dns-v3.json"));
    assertEquals(200, good.status, good::toString);
    // A post cut off mid-object: a 400 whose message and position the page must show.
    Tsd.Answer bad = Tsd.push("{\"TestId\": 100002, \"NodeId\": 312, \"Summary\": {\"Timing\"".getBytes(
        StandardCharsets.UTF_8));
    assertEquals(400, bad.status, bad::toString);
    JsonNode refused = bad.json.path("error");

    // Nothing else pushes meanwhile (the end-to-end classes run one at a time), so these are the page's figures.
    JsonNode push = data().path("push");
    long ok = push.path("requests").path("200").asLong();
    long badRequests = push.path("requests").path("400").asLong();
    assertTrue(ok >= 1 && badRequests >= 1, push::toString);
    assertEquals(refused.path("message").asText(), push.path("recent_errors").get(0).path("message").asText());

    // The rate charts draw once the plugin has two samples of its counters (one every 30 s from the start).
    Pulls.await("a sample of the push rates", () -> data().path("history").path("series").path("push_requests").size(),
        n -> n >= 1, Duration.ofSeconds(90));

    JsonNode r = check(PAGE + "?token=" + Pulls.ADMIN_TOKEN, SHOT);
    String report = r.toString();
    assertEquals(200, r.path("status").asInt(), report);
    assertTrue(r.path("drawn").asBoolean(), report);
    // "ok": the script fetched ui/data with the token it took from the address, as the header.
    assertEquals("ok", r.path("state").asText(), report);
    assertEquals(0, r.path("console_errors").size(), report);
    assertEquals(0, r.path("page_errors").size(), report);
    assertEquals(0, r.path("failed_requests").size(), report);

    String text = r.path("text").asText();
    assertTrue(text.contains("200 " + shown(ok)), () -> "push requests answered 200 (" + ok + ") not shown:\n" + text);
    assertTrue(text.contains("400 " + shown(badRequests)), () -> "400s (" + badRequests + ") not shown:\n" + text);
    assertTrue(text.contains(shown(push.path("datapoints_written").asLong())), () -> "datapoints written:\n" + text);
    assertTrue(text.contains(refused.path("kind").asText()), () -> "the refused push's kind:\n" + text);
    assertTrue(text.contains(refused.path("message").asText()), () -> "what was wrong with it:\n" + text);
    assertTrue(text.contains(refused.path("where").asText()), () -> "where it was wrong:\n" + text);
    assertFalse(text.contains("no samples yet"), () -> "a rate chart was not drawn:\n" + text);
    // The pull accounts of opentsdb-extra.conf, each test on a row.
    assertTrue(text.contains("itv1") && text.contains("900201"), () -> "the pull accounts:\n" + text);
    assertFalse(text.contains(Pulls.ADMIN_TOKEN) || text.contains(Tsd.TOKEN), "a token is shown on the page");
    assertTrue(Files.size(SHOT) > 10_000, "no screenshot at " + SHOT.toAbsolutePath());
  }

  @Test
  void withoutTheTokenThePageAndItsDataAreRefused() throws Exception {
    JsonNode r = check(PAGE, REFUSED_SHOT);
    assertEquals(401, r.path("status").asInt(), r.toString());
    assertFalse(r.path("drawn").asBoolean(), r.toString());
    assertTrue(r.path("text").asText().contains("missing_token"), r.toString());

    assertEquals(401, Tsd.get("/plugin/catchpoint/ui/data").status);
    assertEquals(403, Tsd.send(Tsd.request("/plugin/catchpoint/ui/data")
        .header("X-Catchpoint-Admin-Token", Pulls.ADMIN_TOKEN + "x").GET().build()).status);
    // The script and stylesheet hold no data: served to anyone, so the refusal is about the data alone.
    assertEquals(200, Tsd.get("/plugin/catchpoint/ui.js").status);
  }
}
