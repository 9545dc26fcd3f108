package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Hostile HTTP against the real TSD, over raw sockets where an HTTP client would correct the request
 * (framing, lying lengths, slow bytes, header case). Each case is asserted on its answer: the plugin's
 * status and JSON error where the plugin answers, the TSD's own answer (or the connection it closes)
 * where the TSD answers before the plugin sees the request. After every case the TSD still answers its
 * own {@code /api/version}; at the end a good push is stored and read back. Each case prints one line,
 * {@code HOSTILE | case | answer | who}, the rows of docs/reliability.md's table. BadInputIT and
 * PushBoundsIT cover the plain bad bodies (10 MB, gzip without Content-Encoding, 50,000 fields, XXE on
 * the push): not repeated here.
 */
@Order(16)
class HostileHttpIT {
  private static final String PUSH = "/plugin/catchpoint/push?token=" + Tsd.TOKEN;
  private static final String ADMIN = Pulls.ADMIN_TOKEN;
  /** push.max_body_bytes and push.max_fields of the stack (defaults). */
  private static final int MAX_BODY = 1_048_576;
  private static final int MAX_FIELDS = 5000;
  /** tsd.http.request.max_chunk of the stack (integration-tests/tsd.sh). */
  private static final int MAX_CHUNK = 16_777_216;
  private static final int PORT = Integer.parseInt(Tsd.URL.substring(Tsd.URL.lastIndexOf(':') + 1));

  private static byte[] fixture;
  private static long started;

  @BeforeAll
  static void read() throws Exception {
    fixture = Tsd.fixtureBytes("push-dns-v3.json");
    started = System.nanoTime();
  }

  @AfterAll
  static void tookSeconds() {
    System.out.printf("HOSTILE | the class took %.1f s%n", (System.nanoTime() - started) / 1e9);
  }

  /** After every case: the TSD answers its own route, at once. */
  @AfterEach
  void theTsdStillAnswersItsOwnApi() throws Exception {
    assertVersionAnswered();
  }

  // ---- bodies at and beyond the limit ----

  @Test
  void bodiesAtTheLimitAreReadAndOneByteBeyondIs413() throws Exception {
    // Exactly push.max_body_bytes and exactly push.max_fields: read (the extra fields are ignored).
    byte[] atBoth = padded(withFields(MAX_FIELDS), MAX_BODY);
    Raw a = send(post(PUSH, "application/json", atBoth));
    assertPlugin("exactly 1 MiB and exactly 5,000 fields", a, 200, null);
    assertTrue(a.json.path("written").asInt() > 0, a::toString);
    // One field more, same size: the field bound.
    assertPlugin("exactly 1 MiB and 5,001 fields", send(post(PUSH, "application/json",
        padded(withFields(MAX_FIELDS + 1), MAX_BODY))), 413, "too_many_fields");
    // One byte more than the limit.
    assertPlugin("1 MiB + 1 byte", send(post(PUSH, "application/json", padded(fixture, MAX_BODY + 1))), 413,
        "body_too_large");
  }

  @Test
  void aLyingContentLengthIsTheTsdsToFrame() throws Exception {
    // Claims 2 GB, sends 17 MB: the TSD's chunk aggregator stops at tsd.http.request.max_chunk and closes.
    byte[] spaces = new byte[MAX_CHUNK + 1024 * 1024];
    Arrays.fill(spaces, (byte) ' ');
    Raw big = send(head("POST", PUSH, "Content-Type: application/json", "Content-Length: 2000000000"), spaces);
    assertClosedByTsd("Content-Length 2,000,000,000, 17 MB sent", big);
    // Claims 10 bytes, sends 2 MB: the first 10 bytes are the body (all spaces: empty), the rest is no request.
    Raw small = send(head("POST", PUSH, "Content-Type: application/json", "Content-Length: 10"),
        Arrays.copyOf(spaces, 2_000_000));
    assertPlugin("Content-Length 10, 2 MB sent", small, 400, "empty_body");
  }

  @Test
  void chunkedBodiesBeyondTheLimit() throws Exception {
    Raw two = send(head("POST", PUSH, "Content-Type: application/json", "transfer-encoding: Chunked"),
        chunked(padded(fixture, 2 * MAX_BODY), 65536));
    assertPlugin("chunked, 2 MiB in 64 KiB chunks", two, 413, "body_too_large");
    byte[] spaces = new byte[MAX_CHUNK + 1];
    Arrays.fill(spaces, (byte) ' ');
    Raw over = send(head("POST", PUSH, "Content-Type: application/json", "Transfer-Encoding: chunked"),
        chunked(spaces, 1 << 20));
    assertClosedByTsd("chunked, 16 MiB + 1 byte (over tsd.http.request.max_chunk)", over);
  }

  @Test
  void gzipBombsAreInflatedByTheTsdAndRefusedByThePlugin() throws Exception {
    long rssBefore = tsdRssKb();
    byte[] small = gzip(spaces(8 << 20), false);
    assertTrue(small.length < 10_000, "a few KB: " + small.length);
    assertPlugin("Content-Encoding: gzip, " + small.length + " bytes inflating to 8 MiB",
        send(post(PUSH, "application/json", small, "Content-Encoding: gzip")), 413, "body_too_large");
    // 32 MiB, not more: on the suite's TSD (-Xmx512m) a body inflating to 128 MiB ends in an OutOfMemoryError
    // in the TSD's inflater (docs/reliability.md), which could strike any thread of the TSD the later tests use.
    byte[] big = gzip(spaces(32 << 20), false);
    long t0 = System.nanoTime();
    Raw a = send(post(PUSH, "application/json", big, "Content-Encoding: gzip"));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertPlugin("Content-Encoding: gzip, " + big.length + " bytes inflating to 32 MiB", a, 413, "body_too_large");
    long rssAfter = tsdRssKb();
    System.out.printf("HOSTILE | figure | 32 MiB gzip bomb (%d bytes sent): answered in %d ms; TSD RSS %d -> %d MB"
        + " (peak %d MB)%n", big.length, ms, rssBefore / 1024, rssAfter / 1024, tsdHwmKb() / 1024);
    assertPlugin("Content-Encoding: deflate, inflating to 8 MiB",
        send(post(PUSH, "application/json", gzip(spaces(8 << 20), true), "Content-Encoding: deflate")), 413,
        "body_too_large");
    // Announced as gzip, but it is not: the TSD's inflater fails and closes the connection.
    assertClosedByTsd("Content-Encoding: gzip on a plain body",
        send(post(PUSH, "application/json", fixture, "Content-Encoding: gzip")));
  }

  // ---- slow and many ----

  @Test
  void aSlowSenderHoldsOnlyItsOwnConnection() throws Exception {
    try (Socket slow = connect()) {
      OutputStream out = slow.getOutputStream();
      out.write(head("POST", PUSH, "Content-Type: application/json", "Content-Length: " + fixture.length));
      out.flush();
      int slowBytes = 5;
      for (int i = 0; i < slowBytes; i++) {
        out.write(fixture[i]);
        out.flush();
        long deadline = System.nanoTime() + 1_000_000_000L;
        // Meanwhile, other clients: the TSD's API and a good push, answered promptly.
        assertVersionAnswered();
        Raw p = send(post(PUSH, "application/json", fixture));
        assertEquals(200, p.status, p::toString);
        long left = deadline - System.nanoTime();
        if (left > 0) {
          Thread.sleep(left / 1_000_000); // the sender's pace (one byte a second) is the case itself
        }
      }
      // Nothing sent for 3 s: the TSD does not close it (tsd.core.socket.timeout is 0, no idle timeout).
      slow.setSoTimeout(3000);
      String after;
      try {
        after = slow.getInputStream().read() == -1 ? "closed" : "answered before the body was complete";
      } catch (SocketTimeoutException stillOpen) {
        after = "open";
      }
      assertEquals("open", after, "the slow connection after 3 s of silence");
      out.write(fixture, slowBytes, fixture.length - slowBytes);
      out.flush();
      slow.setSoTimeout(10_000);
      Raw a = Raw.read(slow.getInputStream());
      assertPlugin("slow sender: 5 bytes at one a second, 3 s silent, then the rest", a, 200, null);
    }
  }

  @Test
  void hundredsOfIdleAndHalfSentConnections() throws Exception {
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 300; i++) {
        Socket s = connect();
        held.add(s);
        if (i % 2 == 1) {
          s.getOutputStream().write(head("POST", PUSH, "Content-Type: application/json", "Content-Length: 100000"));
          s.getOutputStream().write("{\"Summary\":".getBytes(StandardCharsets.US_ASCII));
          s.getOutputStream().flush();
        }
      }
      assertVersionAnswered();
      Raw p = send(post(PUSH, "application/json", fixture));
      assertPlugin("a push while 150 idle and 150 half-sent connections are open", p, 200, null);
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  // ---- nesting, fields, entities ----

  @Test
  void deepNestingOnEveryRouteThatReadsABody() throws Exception {
    byte[] brackets = "[".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
    assertPlugin("alert: 100,000 [", send(post("/plugin/catchpoint/alert?token=" + Tsd.TOKEN, "application/json",
        brackets)), 400, "too_deep");
    assertPlugin("grafana bridge: 100,000 [", send(post("/plugin/catchpoint/grafana/query", "application/json",
        brackets)), 400, "too_deep");
    assertPlugin("grafana bridge: 50,000 {\"a\":", send(post("/plugin/catchpoint/grafana/search", "application/json",
        "{\"a\":".repeat(50_000).getBytes(StandardCharsets.US_ASCII))), 400, "too_deep");
    assertPlugin("push: 100,000 nested XML elements", send(post(PUSH, "application/xml",
        "<a>".repeat(100_000).getBytes(StandardCharsets.US_ASCII))), 400, "too_deep");
    byte[] attributes = ("<Run " + String.join(" ", java.util.stream.IntStream.range(0, MAX_FIELDS)
        .mapToObj(i -> "a" + i + "=\"1\"").toArray(String[]::new)) + "/>").getBytes(StandardCharsets.US_ASCII);
    assertPlugin("push: one XML element with 5,000 attributes", send(post(PUSH, "application/xml", attributes)), 413,
        "too_many_fields");
    assertPlugin("grafana bridge: 2 MiB body", send(post("/plugin/catchpoint/grafana/query", "application/json",
        padded("{}".getBytes(StandardCharsets.US_ASCII), 2 * MAX_BODY))), 413, "body_too_large");
  }

  @Test
  void xmlEntitiesAreNeverExpandedNorFetched() throws Exception {
    String laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        + "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
        + "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
        + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
        + "<!ENTITY lol9 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">]>"
        + "<Run><TestId>&lol9;</TestId></Run>";
    assertPlugin("push: billion laughs", send(post(PUSH, "application/xml", bytes(laughs))), 400, "invalid_xml");
    assertPlugin("alert: billion laughs", send(post("/plugin/catchpoint/alert?token=" + Tsd.TOKEN, "application/xml",
        bytes(laughs))), 400, "invalid_xml");
    assertPlugin("alert: external entity file:///etc/passwd", send(post("/plugin/catchpoint/alert?token="
        + Tsd.TOKEN, "text/xml", bytes("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        + "<r><testId>&x;</testId></r>"))), 400, "invalid_xml");
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      AtomicInteger reached = new AtomicInteger();
      Thread accept = new Thread(() -> {
        while (!listener.isClosed()) {
          try (Socket s = listener.accept()) {
            reached.incrementAndGet();
          } catch (IOException closed) {
            return;
          }
        }
      });
      accept.setDaemon(true);
      accept.start();
      String url = "http://127.0.0.1:" + listener.getLocalPort() + "/x";
      assertPlugin("push: external entity " + url, send(post(PUSH, "application/xml", bytes("<?xml version=\"1.0\"?>"
          + "<!DOCTYPE r [<!ENTITY x SYSTEM \"" + url + "\">]><Run><TestId>&x;</TestId></Run>"))), 400, "invalid_xml");
      assertPlugin("push: external parameter entity " + url, send(post(PUSH, "application/xml", bytes(
          "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY % p SYSTEM \"" + url + "\"> %p;]><Run/>"))), 400,
          "invalid_xml");
      assertPlugin("push: external DTD " + url, send(post(PUSH, "application/xml", bytes(
          "<?xml version=\"1.0\"?><!DOCTYPE Run SYSTEM \"" + url + "\"><Run><TestId>1</TestId></Run>"))), 400,
          "invalid_xml");
      // The answers above are final: had the parser fetched the URL, it would have done so before answering.
      assertEquals(0, reached.get(), "no request reached the listener the entities name");
    }
  }

  // ---- the token ----

  @Test
  void thePushTokenIsWhereItIsAndNowhereElse() throws Exception {
    Map<String, Object[]> cases = new LinkedHashMap<>();
    String t = Tsd.TOKEN;
    cases.put("token in Authorization: Bearer", new Object[] {"/plugin/catchpoint/push", "Authorization: Bearer " + t,
        401, "missing_token"});
    cases.put("token in X-Catchpoint-Token", new Object[] {"/plugin/catchpoint/push", "X-Catchpoint-Token: " + t, 401,
        "missing_token"});
    cases.put("token in the admin header", new Object[] {"/plugin/catchpoint/push", "X-Catchpoint-Admin-Token: " + t,
        401, "missing_token"});
    cases.put("path and query, same token", new Object[] {"/plugin/catchpoint/push/" + t + "?token=" + t, null, 200,
        null});
    cases.put("path right, query wrong (the path decides)", new Object[] {"/plugin/catchpoint/push/" + t
        + "?token=wrong", null, 200, null});
    cases.put("path wrong, query right (the path decides)", new Object[] {"/plugin/catchpoint/push/wrong?token=" + t,
        null, 403, "wrong_token"});
    cases.put("?token= twice, right then wrong (the first decides)", new Object[] {PUSH + "&token=wrong", null, 200,
        null});
    cases.put("?token= twice, wrong then right (the first decides)", new Object[] {"/plugin/catchpoint/push?token=wrong"
        + "&token=" + t, null, 403, "wrong_token"});
    cases.put("query token percent-encoded (decoded: the token)", new Object[] {"/plugin/catchpoint/push?token="
        + percentEncoded(t), null, 200, null});
    cases.put("path token percent-encoded (not decoded: wrong)", new Object[] {"/plugin/catchpoint/push/"
        + percentEncoded(t), null, 403, "wrong_token"});
    cases.put("query token double-encoded", new Object[] {"/plugin/catchpoint/push?token="
        + percentEncoded(t).replace("%", "%25"), null, 403, "wrong_token"});
    cases.put("token in upper case", new Object[] {"/plugin/catchpoint/push?token=" + t.toUpperCase(Locale.ROOT), null,
        403, "wrong_token"});
    cases.put("parameter name in upper case (?TOKEN=)", new Object[] {"/plugin/catchpoint/push?TOKEN=" + t, null, 401,
        "missing_token"});
    cases.put("empty token", new Object[] {"/plugin/catchpoint/push?token=", null, 401, "missing_token"});
    cases.put("token with trailing spaces", new Object[] {PUSH + "%20%20", null, 403, "wrong_token"});
    cases.put("token with a trailing +", new Object[] {PUSH + "+", null, 403, "wrong_token"});
    cases.put("token with a trailing %00", new Object[] {PUSH + "%00", null, 403, "wrong_token"});
    cases.put("token after a # (fragment)", new Object[] {"/plugin/catchpoint/push?x=1#token=" + t, null, 401,
        "missing_token"});
    cases.put("trailing slash", new Object[] {"/plugin/catchpoint/push/?token=" + t, null, 200, null});
    cases.put("/plugin/catchpoint/%2e%2e/catchpoint/push", new Object[] {"/plugin/catchpoint/%2e%2e/catchpoint/push"
        + "?token=" + t, null, 404, "not_found"});
    cases.put("/plugin/catchpoint/../catchpoint/push", new Object[] {"/plugin/catchpoint/../catchpoint/push?token=" + t,
        null, 404, "not_found"});
    cases.put("/plugin/catchpoint/push;token=SECRET", new Object[] {"/plugin/catchpoint/push;token=" + t, null, 404,
        "not_found"});
    cases.put("/plugin/catchpoint/push%2FSECRET", new Object[] {"/plugin/catchpoint/push%2F" + t, null, 404,
        "not_found"});
    cases.put("/plugin/catchpoint/push%252FSECRET (double-encoded /)", new Object[] {"/plugin/catchpoint/push%252F" + t,
        null, 404, "not_found"});
    cases.put("/plugin/catchpoint/PUSH", new Object[] {"/plugin/catchpoint/PUSH?token=" + t, null, 404, "not_found"});
    for (Map.Entry<String, Object[]> c : cases.entrySet()) {
      Object[] v = c.getValue();
      String header = (String) v[1];
      Raw a = send(header == null ? post((String) v[0], "application/json", fixture)
          : post((String) v[0], "application/json", fixture, header));
      assertPlugin(c.getKey(), a, (Integer) v[2], (String) v[3]);
    }
    // Answered by the TSD before any plugin: its router finds no plugin route. No JSON, no token echoed.
    for (String path : new String[] {"//plugin/catchpoint/push?token=" + t, "/plugin//catchpoint/push?token=" + t}) {
      Raw a = send(post(path, "application/json", fixture));
      report(path, a, "TSD");
      assertEquals(404, a.status, a::toString);
      assertFalse(a.text().contains(t), a::toString);
    }
    Raw upper = send(post("/PLUGIN/catchpoint/push?token=" + t, "application/json", fixture));
    report("/PLUGIN/catchpoint/push", upper, "TSD");
    assertEquals(404, upper.status, upper::toString);
    assertFalse(upper.text().contains(t), upper::toString);
  }

  @Test
  void theAdminTokenHeaderIsCaseInsensitiveItsValueIsNot() throws Exception {
    String data = "/plugin/catchpoint/ui/data";
    assertPlugin("admin header in odd case (x-CATCHPOINT-admin-TOKEN)", send(get(data, "x-CATCHPOINT-admin-TOKEN: "
        + ADMIN)), 200, null);
    assertPlugin("admin token value in upper case", send(get(data, "X-Catchpoint-Admin-Token: "
        + ADMIN.toUpperCase(Locale.ROOT))), 403, "wrong_token");
    assertPlugin("admin header right, query wrong (the header decides)", send(get(data + "?token=wrong",
        "X-Catchpoint-Admin-Token: " + ADMIN)), 200, null);
    assertPlugin("admin header wrong, query right (the header decides)", send(get(data + "?token=" + ADMIN,
        "X-Catchpoint-Admin-Token: wrong")), 403, "wrong_token");
    assertPlugin("admin header empty, query right (the header decides)", send(get(data + "?token=" + ADMIN,
        "X-Catchpoint-Admin-Token: ")), 401, "missing_token");
    assertPlugin("admin header with trailing spaces (HTTP trims them)", send(get(data,
        "X-Catchpoint-Admin-Token: " + ADMIN + "   ")), 200, null);
    assertPlugin("push token as the admin token", send(get(data, "X-Catchpoint-Admin-Token: " + Tsd.TOKEN)), 403,
        "wrong_token");
  }

  @Test
  void aGoodPushIsStoredAndReadBackAfterAllOfIt() throws Exception {
    ObjectNode run = (ObjectNode) Tsd.JSON.readTree(fixture);
    long testId = 880_000_000L + (System.nanoTime() & 0xffff);
    run.put("TestId", testId);
    Raw a = send(post(PUSH, "application/json", Tsd.JSON.writeValueAsBytes(run)));
    assertPlugin("a good push at the end", a, 200, null);
    Tsd.Series s = Tsd.only("catchpoint.timing.total", Map.of("test_id", Long.toString(testId)), 1705320000L,
        1705323600L);
    assertEquals(Map.of(1705320289L, 48.0), s.dps);
  }

  // ---- helpers ----

  private static void assertVersionAnswered() throws Exception {
    long t0 = System.nanoTime();
    Raw v = send(get("/api/version"));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(200, v.status, () -> "/api/version: " + v);
    assertTrue(v.json != null && v.json.has("version"), v::toString);
    assertTrue(ms < 2000, "/api/version answered after " + ms + " ms");
  }

  /** The plugin's answer: the status, and for errors its JSON error of that kind; never the token. */
  private static void assertPlugin(String name, Raw a, int status, String kind) {
    report(name, a, "plugin");
    assertEquals(status, a.status, () -> name + ": " + a);
    assertNotNull(a.json, () -> name + ": the body must be JSON: " + a);
    assertTrue(a.header("content-type").startsWith("application/json"), () -> name + ": " + a);
    if (kind != null) {
      assertEquals(status, a.json.path("error").path("code").asInt(), () -> name + ": " + a);
      assertEquals(kind, a.json.path("error").path("kind").asText(), () -> name + ": " + a);
    }
    assertFalse(a.text().contains(Tsd.TOKEN) || a.text().contains(ADMIN), () -> name + ": a token echoed: " + a);
  }

  /** The TSD closed the connection without an answer (its pipeline refused the request). */
  private static void assertClosedByTsd(String name, Raw a) {
    report(name, a, "TSD");
    assertTrue(a.closedWithoutAnswer, () -> name + ": expected the TSD to close the connection, got " + a);
  }

  private static void report(String name, Raw a, String who) {
    String answer = a.closedWithoutAnswer ? "connection closed, no answer"
        : a.status + (a.json != null && a.json.has("error") ? " " + a.json.path("error").path("kind").asText() : "");
    System.out.println("HOSTILE | " + name.replace(Tsd.TOKEN, "SECRET") + " | " + answer + " | " + who);
  }

  private static long tsdRssKb() throws IOException {
    return procStatus("VmRSS:");
  }

  private static long tsdHwmKb() throws IOException {
    return procStatus("VmHWM:");
  }

  /** A field of the TSD's /proc/PID/status in kB (-1 when it cannot be read). */
  private static long procStatus(String field) throws IOException {
    Path pid = Paths.get(System.getProperty("it.stack.dir"), "tsd.pid");
    if (!Files.exists(pid)) {
      return -1;
    }
    Path status = Paths.get("/proc", Files.readAllLines(pid).get(0).trim(), "status");
    if (!Files.exists(status)) {
      return -1;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
      }
    }
    return -1;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] spaces(int n) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) ' ');
    b[0] = '{';
    b[n - 1] = '}';
    return b;
  }

  /** The body followed by spaces up to {@code size} bytes. */
  private static byte[] padded(byte[] body, int size) {
    byte[] b = Arrays.copyOf(body, size);
    Arrays.fill(b, body.length, size, (byte) ' ');
    return b;
  }

  /** The DNS fixture with an ignored object of extra fields, so that the body has {@code fields} in all. */
  private static byte[] withFields(int fields) throws IOException {
    ObjectNode run = (ObjectNode) Tsd.JSON.readTree(fixture);
    ObjectNode extra = run.putObject("Extra");
    int have = countFields(Tsd.JSON.writeValueAsBytes(run));
    for (int i = have; i < fields; i++) {
      extra.put("k" + i, "v");
    }
    byte[] b = Tsd.JSON.writeValueAsBytes(run);
    assertEquals(fields, countFields(b));
    return b;
  }

  /** Name/value pairs: colons outside strings (as push.max_fields counts them). */
  private static int countFields(byte[] json) {
    int n = 0;
    boolean inString = false;
    for (int i = 0; i < json.length; i++) {
      byte c = json[i];
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == ':') {
        n++;
      }
    }
    return n;
  }

  private static byte[] gzip(byte[] data, boolean zlib) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (OutputStream z = zlib ? new DeflaterOutputStream(buf, new Deflater(Deflater.BEST_COMPRESSION))
        : new GZIPOutputStream(buf)) {
      z.write(data);
    }
    return buf.toByteArray();
  }

  private static String percentEncoded(String s) {
    StringBuilder b = new StringBuilder();
    for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
      b.append(String.format("%%%02X", c & 0xff));
    }
    return b.toString();
  }

  private static byte[] chunked(byte[] body, int chunk) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + body.length / chunk * 12 + 16);
    for (int i = 0; i < body.length; i += chunk) {
      int n = Math.min(chunk, body.length - i);
      out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, i, n);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /** A request head: request line, Host, the headers given, and the blank line. */
  private static byte[] head(String method, String path, String... headers) {
    StringBuilder b = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    b.append("Host: 127.0.0.1:").append(PORT).append("\r\n");
    for (String h : headers) {
      b.append(h).append("\r\n");
    }
    return b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[][] post(String path, String contentType, byte[] body, String... headers) {
    List<String> h = new ArrayList<>(Arrays.asList(headers));
    h.add("Content-Type: " + contentType);
    h.add("Content-Length: " + body.length);
    return new byte[][] {head("POST", path, h.toArray(new String[0])), body};
  }

  private static byte[][] get(String path, String... headers) {
    return new byte[][] {head("GET", path, headers)};
  }

  private static Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), PORT), 5000);
    s.setSoTimeout(20_000);
    return s;
  }

  /** Writes the parts on a new connection and reads one answer (or the close). */
  private static Raw send(byte[]... parts) throws IOException {
    try (Socket s = connect()) {
      OutputStream out = s.getOutputStream();
      try {
        for (byte[] p : parts) {
          out.write(p);
        }
        out.flush();
      } catch (IOException closedWhileSending) {
        // The TSD closed the connection while the body was still being sent: read what it said, if anything.
      }
      return Raw.read(s.getInputStream());
    }
  }

  /** One HTTP answer as it came off the socket. */
  static final class Raw {
    final int status;
    final Map<String, String> headers;
    final byte[] body;
    final JsonNode json;
    final boolean closedWithoutAnswer;

    private Raw(int status, Map<String, String> headers, byte[] body, boolean closed) {
      this.status = status;
      this.headers = headers;
      this.body = body;
      this.closedWithoutAnswer = closed;
      JsonNode parsed = null;
      if (body.length > 0) {
        try {
          parsed = Tsd.JSON.readTree(body);
        } catch (IOException notJson) {
          parsed = null;
        }
      }
      this.json = parsed;
    }

    static Raw read(InputStream in) throws IOException {
      ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
      int last4 = 0;
      boolean ended = false;
      try {
        int c;
        while (!ended && (c = in.read()) != -1) {
          headBytes.write(c);
          last4 = (last4 << 8) | c;
          ended = last4 == 0x0d0a0d0a;
        }
      } catch (java.net.SocketException reset) {
        ended = false;
      }
      if (!ended) {
        return new Raw(-1, Map.of(), new byte[0], true);
      }
      String[] lines = headBytes.toString(StandardCharsets.ISO_8859_1).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
      }
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      byte[] body = in.readNBytes(length);
      return new Raw(status, headers, body, false);
    }

    String header(String name) {
      return headers.getOrDefault(name, "");
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return closedWithoutAnswer ? "(closed without an answer)" : status + " " + headers + " " + text();
    }
  }
}
