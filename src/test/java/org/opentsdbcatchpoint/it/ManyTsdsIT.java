package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Three TSDs on the stack's one HBase sharing two pull accounts through leases (pull.mode=lease, a
 * 10 s lease renewed every 3 s so that takeovers fit in a test): each window pulled once, one account
 * each on two TSDs; the holder killed, then paused past its lease, then HBase restarted under them,
 * with no gap and no duplicate; pushes spread over the three and retried on another, stored once.
 * Its own accounts (ml1: v2, two web tests; ml2: v1 windowed) and test ids, so the main TSD's pulls
 * and series are not touched. Late in the run: it restarts HBase.
 */
@Order(97)
class ManyTsdsIT {
  static final String ML1 = "ml1";
  static final String ML2 = "ml2";
  static final long ML1_A = 900601;
  static final long ML1_B = 900602;
  static final long ML2_A = 900701;
  static final long LEASE_SECONDS = 10;
  /** A lease is taken within two lease periods (the last renewal seen, then a whole period), plus a tick. */
  static final Duration TAKEOVER = Duration.ofSeconds(2 * LEASE_SECONDS + 10);
  static final List<String> NAMES = List.of("b", "c", "d");

  /** The extra TSDs' base URLs, by name. */
  static final Map<String, String> urls = new LinkedHashMap<>();
  static final Map<String, Integer> ports = new LinkedHashMap<>();
  static Path conf;
  /** Every raw request of the test accounts the fake received, by serial, collected as the test goes. */
  static final TreeMap<Long, String> raw = new TreeMap<>();

  static void startAll() throws Exception {
    conf = Files.createTempFile("many-tsds", ".conf");
    String fake = Pulls.FAKE;
    StringBuilder c = new StringBuilder();
    c.append("tsd.plugin.catchpoint.pull.accounts = ml1,ml2\n");
    c.append("tsd.plugin.catchpoint.pull.admin_token = ").append(Pulls.ADMIN_TOKEN).append('\n');
    c.append("tsd.plugin.catchpoint.pull.lease = ").append(LEASE_SECONDS).append("s\n");
    c.append("tsd.plugin.catchpoint.pull.lease_renew = 3s\n");
    c.append("tsd.plugin.catchpoint.pull.ml1.api = v2\n");
    c.append("tsd.plugin.catchpoint.pull.ml1.api_key = ").append(Pulls.API_KEY).append("\n");
    c.append("tsd.plugin.catchpoint.pull.ml1.base_url = ").append(fake).append("/api/v2\n");
    c.append("tsd.plugin.catchpoint.pull.ml1.tests.web = ").append(ML1_A).append(',').append(ML1_B).append('\n');
    c.append("tsd.plugin.catchpoint.pull.ml2.api = v1\n");
    c.append("tsd.plugin.catchpoint.pull.ml2.client_id = fake-client\n");
    c.append("tsd.plugin.catchpoint.pull.ml2.client_secret = ").append(Pulls.CLIENT_SECRET).append("\n");
    c.append("tsd.plugin.catchpoint.pull.ml2.base_url = ").append(fake).append("/ui/api\n");
    c.append("tsd.plugin.catchpoint.pull.ml2.windowed = true\n");
    c.append("tsd.plugin.catchpoint.pull.ml2.tests.web = ").append(ML2_A).append('\n');
    for (String a : List.of(ML1, ML2)) {
      c.append("tsd.plugin.catchpoint.pull.").append(a).append(".interval = 30s\n");
      c.append("tsd.plugin.catchpoint.pull.").append(a).append(".lag = 5s\n");
      c.append("tsd.plugin.catchpoint.pull.").append(a).append(".window = 1m\n");
    }
    Files.writeString(conf, c.toString());
    for (String name : NAMES) {
      int port = Tsd.freePort();
      ports.put(name, port);
      urls.put(name, Tsd.extraTsd(name, port, conf));
    }
  }

  @AfterAll
  static void stopAll() throws Exception {
    for (String name : urls.keySet()) {
      Tsd.extraTsdSignal(name, "CONT"); // a test that failed mid-pause must not leave a frozen JVM
      Tsd.extraTsdStop(name);
    }
    if (conf != null) {
      Files.deleteIfExists(conf);
    }
  }

  static JsonNode status(String name) throws Exception {
    Tsd.Answer a = Tsd.get(urls.get(name), "/plugin/catchpoint/pull/status");
    assertEquals(200, a.status, a::toString);
    return a.json;
  }

  /** The name of the TSD holding an account's lease, as {@code from} sees it; null when none. */
  static String holder(String from, String account) throws Exception {
    JsonNode h = status(from).path("sharing").path("leases").path("account/" + account).path("holder");
    return h.isTextual() ? nameOf(h.asText()) : null;
  }

  /** b, c or d, from a lease owner id {@code host:port/start}. */
  static String nameOf(String owner) {
    String address = owner.substring(0, owner.lastIndexOf('/'));
    int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    for (Map.Entry<String, Integer> e : ports.entrySet()) {
      if (e.getValue() == port) {
        return e.getKey();
      }
    }
    return "other TSD " + owner;
  }

  static List<String> pullsHere(String name) throws Exception {
    List<String> out = new ArrayList<>();
    status(name).path("sharing").path("pulls_here").forEach(n -> out.add(n.asText()));
    return out;
  }

  /** A test's cursor on the TSD that pulls it, epoch seconds; MIN_VALUE before its first window. */
  static long cursor(String holder, String account, long test) throws Exception {
    JsonNode c = Pulls.testStatus(status(holder), account, test).path("cursor");
    return c.isTextual() ? Instant.parse(c.asText()).getEpochSecond() : Long.MIN_VALUE;
  }

  /** Collects the fake's recent raw requests (it keeps its last 50) into {@link #raw}. */
  static void collect() throws Exception {
    for (String r : Pulls.fakeRecent()) {
      if (r.contains("/raw") && (r.contains(Long.toString(ML1_A)) || r.contains(Long.toString(ML2_A)))) {
        raw.putIfAbsent(Pulls.serial(r), r);
      }
    }
  }

  /** Windows [start, end) asked of the fake for a test, in order, from what was collected. */
  static List<long[]> windows(long test) throws Exception {
    List<long[]> out = new ArrayList<>();
    for (long[] w : Pulls.windowsOf(new ArrayList<>(raw.values()), test)) {
      out.add(w);
    }
    return out;
  }

  /** A value to wait for, read from the TSDs. */
  interface Check {
    long get() throws Exception;
  }

  /** Waits (with a deadline) while collecting the fake's requests. */
  static long awaitCollecting(String what, Check value, java.util.function.LongPredicate ok, Duration timeout)
      throws Exception {
    return Pulls.await(what, () -> {
      try {
        collect();
        return value.get();
      } catch (java.io.IOException | InterruptedException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new java.io.IOException(e);
      }
    }, ok, timeout);
  }

  /** 1 once another TSD than {@code not} holds the account as {@code from} sees it, else 0. */
  static Check takenFrom(String not, String from, String account) {
    return () -> {
      String h = holder(from, account);
      return h != null && !h.equals(not) ? 1 : 0;
    };
  }

  static String holderSeenByAll(String account) throws Exception {
    String h = null;
    for (String name : urls.keySet()) {
      String seen = holder(name, account);
      if (seen == null || (h != null && !h.equals(seen))) {
        return null;
      }
      h = seen;
    }
    return h;
  }

  /**
   * Windows of a test: contiguous (each starts where the last ended) and each asked once, but for at
   * most {@code repeats} asked again (a takeover).
   */
  static void assertGaplessOnce(long test, int repeats) throws Exception {
    List<long[]> w = windows(test);
    assertTrue(w.size() >= 3, "too few windows of test " + test + " to judge: " + describe(w));
    Map<String, Integer> asked = new TreeMap<>();
    for (long[] x : w) {
      asked.merge(x[0] + "-" + x[1], 1, Integer::sum);
    }
    int again = 0;
    for (int n : asked.values()) {
      again += n - 1;
    }
    assertTrue(again <= repeats, "test " + test + ": " + again + " windows asked again (at most " + repeats
        + "): " + describe(w));
    long reach = w.get(0)[1];
    for (long[] x : w) {
      assertTrue(x[0] <= reach, "test " + test + ": a gap before " + Instant.ofEpochSecond(x[0]) + ": " + describe(w));
      reach = Math.max(reach, x[1]);
    }
  }

  static String describe(List<long[]> w) {
    StringBuilder b = new StringBuilder();
    for (long[] x : w) {
      b.append('[').append(Instant.ofEpochSecond(x[0])).append(',').append(Instant.ofEpochSecond(x[1])).append(") ");
    }
    return b.toString();
  }

  @Test
  void threeTsdsShareTwoAccountsAndSurviveAKillAPauseAndAnHBaseRestart() throws Exception {
    long nodesBefore = Pulls.fakeCount("nodes");
    startAll();
    long started = Pulls.now();
    // A named run pushed to b: the other TSDs learn its name through the plugin's table (checked last).
    ObjectNode named = (ObjectNode) Tsd.JSON.readTree(Tsd.fixtureBytes("push-web-default.json"));
    named.put("TestId", 760001);
    ((ObjectNode) named.path("TestDetail")).put("Name", "Seen by every TSD");
    assertEquals(200, Tsd.push(urls.get("b"), Tsd.JSON.writeValueAsBytes(named)).status);

    // One account each on two TSDs; every TSD agrees who holds what.
    awaitCollecting("both accounts held, on two TSDs, seen alike by all", () -> {
      String one = holderSeenByAll(ML1);
      String two = holderSeenByAll(ML2);
      return one != null && two != null && !one.equals(two) ? 1 : 0;
    }, v -> v == 1, Duration.ofSeconds(90));
    String h1 = holderSeenByAll(ML1);
    String h2 = holderSeenByAll(ML2);
    for (String name : NAMES) {
      List<String> here = pullsHere(name);
      assertEquals(name.equals(h1) ? List.of(ML1) : name.equals(h2) ? List.of(ML2) : List.of(), here, name);
      assertFalse(status(name).path("sharing").path("fetches_catalog").asBoolean(true),
          name + " takes the catalog the main TSD fetched");
    }

    // Steady: three intervals, every window once, about one raw request per batch and interval.
    long steadyFrom = Pulls.now();
    awaitCollecting("three intervals of pulls", Pulls::now, t -> t >= steadyFrom + 95, Duration.ofSeconds(120));
    assertGaplessOnce(ML1_A, 0);
    assertGaplessOnce(ML2_A, 0);
    long ml1Calls = raw.values().stream().filter(r -> r.contains(Long.toString(ML1_A))).count();
    long minutes = (Pulls.now() - started + 59) / 60;
    assertTrue(ml1Calls <= 2 * minutes + 2, ml1Calls + " raw requests for " + ML1 + " in " + minutes + " min: "
        + "about one per 30 s interval for the three TSDs together");
    assertTrue(Pulls.fakeCount("nodes") - nodesBefore <= 1, "the extra TSDs never fetched the node catalog");
    JsonNode catalog = Tsd.get(urls.get("b"), "/plugin/catchpoint/health").json.path("catalog");
    assertTrue(catalog.path("nodes").asInt() >= 6, "enriched from the shared copy: " + catalog);

    // The holder of ml1 killed: another takes it within two lease periods, from the cursors.
    long killedAt = Pulls.now();
    Tsd.extraTsdSignal(h1, "KILL");
    urls.remove(h1);
    String taker = NAMES.stream().filter(n -> !n.equals(h1)).findFirst().get();
    awaitCollecting("another TSD takes " + ML1, takenFrom(h1, taker, ML1), v -> v == 1, TAKEOVER);
    String newH1 = holder(taker, ML1);
    awaitCollecting("the new holder past the kill",
        () -> Math.min(cursor(newH1, ML1, ML1_A), cursor(newH1, ML1, ML1_B)), c -> c >= killedAt,
        Duration.ofSeconds(90));
    long upTo = Math.min(cursor(newH1, ML1, ML1_A), cursor(newH1, ML1, ML1_B));
    Pulls.assertExactly(ML1_A, "DNS (ms)", "catchpoint.timing.dns", started, upTo);
    Pulls.assertExactly(ML1_B, "DNS (ms)", "catchpoint.timing.dns", started, upTo);

    // The killed TSD restarted takes nothing that is held.
    urls.put(h1, Tsd.extraTsd(h1, ports.get(h1), conf));
    long back = Pulls.now();
    awaitCollecting("a few renewals of the restarted TSD", Pulls::now, t -> t >= back + 12, Duration.ofSeconds(30));
    assertEquals(List.of(), pullsHere(h1), "both accounts are held: the restarted TSD waits");

    // The holder of ml2 paused past its lease: another takes it; resumed, it does not pull again.
    String h2now = holder(taker, ML2);
    long pausedAt = Pulls.now();
    Tsd.extraTsdSignal(h2now, "STOP");
    String newH2;
    try {
      String watcher = NAMES.stream().filter(n -> !n.equals(h2now)).findFirst().get();
      awaitCollecting("another TSD takes " + ML2 + " from the paused one", takenFrom(h2now, watcher, ML2),
          v -> v == 1, TAKEOVER);
      newH2 = holder(watcher, ML2);
      String takerOf2 = newH2;
      awaitCollecting("the new holder of " + ML2 + " past the pause", () -> cursor(takerOf2, ML2, ML2_A),
          c -> c >= pausedAt, Duration.ofSeconds(90));
    } finally {
      Tsd.extraTsdSignal(h2now, "CONT");
    }
    long resumed = Pulls.now();
    awaitCollecting("the resumed TSD's next renewals", Pulls::now, t -> t >= resumed + 10, Duration.ofSeconds(30));
    assertFalse(pullsHere(h2now).contains(ML2), "the resumed TSD found it lost " + ML2);
    awaitCollecting("an interval after the pause", Pulls::now, t -> t >= resumed + 35, Duration.ofSeconds(60));
    assertGaplessOnce(ML2_A, 1);
    assertGaplessOnce(ML1_A, 1);
    long ml2UpTo = cursor(newH2, ML2, ML2_A);
    Pulls.assertExactly(ML2_A, "DNS (ms)", "catchpoint.timing.dns", started, ml2UpTo);

    // HBase restarted under the TSDs: leases and cursors survive, pulls resume.
    long c1 = cursor(holder(taker, ML1), ML1, ML1_A);
    Tsd.stack("stop-hbase");
    Tsd.stack("start-hbase");
    long hbaseBack = Pulls.now();
    awaitCollecting("pulls past the HBase restart", () -> {
      String h = holder(taker, ML1);
      String g = holder(taker, ML2);
      return h == null || g == null ? Long.MIN_VALUE : Math.min(cursor(h, ML1, ML1_A), cursor(g, ML2, ML2_A));
    }, c -> c >= hbaseBack, Duration.ofSeconds(150));
    assertTrue(cursor(holder(taker, ML1), ML1, ML1_A) >= c1, "the cursors survived");
    long end = Math.min(cursor(holder(taker, ML1), ML1, ML1_A), cursor(holder(taker, ML2), ML2, ML2_A));
    Pulls.assertExactly(ML1_A, "DNS (ms)", "catchpoint.timing.dns", started, end);
    Pulls.assertExactly(ML2_A, "DNS (ms)", "catchpoint.timing.dns", started, end);

    // Pushes spread over the three TSDs, each retried on the next one: stored once, the same values.
    List<String> all = new ArrayList<>(urls.values());
    for (int i = 0; i < 6; i++) {
      ObjectNode run = (ObjectNode) Tsd.JSON.readTree(Tsd.fixtureBytes("push-ping.json"));
      run.put("TestId", 750001 + i);
      byte[] body = Tsd.JSON.writeValueAsBytes(run);
      for (String tsd : List.of(all.get(i % all.size()), all.get((i + 1) % all.size()))) {
        Tsd.Answer a = Tsd.push(tsd, body);
        assertEquals(200, a.status, () -> tsd + ": " + a);
      }
    }
    // The name b learnt, known to another TSD (names are synced every minute).
    String other = urls.keySet().stream().filter(n -> !n.equals("b")).findFirst().get();
    Pulls.await("the test's name on " + other, () -> {
      Tsd.Answer a = Tsd.send(Tsd.request(urls.get(other), "/plugin/catchpoint/grafana/variable")
          .header("Content-Type", "application/json")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"payload\":{\"target\":\"tests\"}}")).build());
      return a.status == 200 && a.json.toString().contains("{\"__text\":\"Seen by every TSD\",\"__value\":\"760001\"}")
          ? 1 : 0;
    }, v -> v == 1, Duration.ofSeconds(150));
    for (int i = 0; i < 6; i++) {
      Tsd.Series s = Tsd.only("catchpoint.ping.round_trip_time_avg", Map.of("test_id", Long.toString(750001 + i)),
          1705320000L, 1705323600L);
      assertEquals(Map.of(1705320422L, 17.6), s.dps, s::toString);
    }
  }
}
