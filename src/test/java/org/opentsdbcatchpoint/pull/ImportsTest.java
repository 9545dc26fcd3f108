package org.opentsdbcatchpoint.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentsdbcatchpoint.pull.Runs.NOON;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.catalog.CatalogHolder;
import org.opentsdbcatchpoint.catalog.NodeCatalog;
import org.opentsdbcatchpoint.catalog.NodeLookup;
import org.opentsdbcatchpoint.mapping.RunMapper;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pipeline.Run;
import org.opentsdbcatchpoint.pipeline.TestStages;
import org.opentsdbcatchpoint.pipeline.Writer;
import org.opentsdbcatchpoint.stats.Stats;

/** Imports on a controllable clock: the plan, a whole range, a kill and a resume, 429s, failures, the lease. */
class ImportsTest {
  private static final NodeLookup NOWHERE = NodeLookup.fixed(new CatalogHolder());
  private static final Function<Run, List<DataPoint>> MAPPER =
      new RunMapper(() -> NodeCatalog.EMPTY, Vocabulary.ENRICHMENT_TAGS, 8)::map;
  private static final long HOUR = 3600;
  /** Two days of runs of test 1 from NOON, one every 10 minutes; the import asks for the first one. */
  private static final long FROM = NOON;
  private static final long TO = NOON + 24 * HOUR;

  private final FakeClock clock = FakeClock.atSeconds(NOON + 3 * 24 * HOUR);
  private final Stats stats = new Stats();
  private final InMemoryImportStore store = new InMemoryImportStore();
  private final List<DataPoint> written = Collections.synchronizedList(new ArrayList<>());
  private final Writer acking = p -> {
    written.add(p);
    return CompletableFuture.completedFuture(null);
  };
  private final PullAccountSettings account = PullAccountSettings.builder("acme", "v2").apiKey("k")
      .tests("web", Arrays.asList(1L)).window(HOUR).importWindow(6 * HOUR).importRate(30).build();
  private final AccountQuota quota = new AccountQuota(clock, account.importRequestsPerMinute);

  /** A windowed source that counts its requests as the import client would, and can be told to fail. */
  final class Source extends PullJobTest.FakeSource {
    final List<long[]> windows = Collections.synchronizedList(new ArrayList<>());
    volatile int killAtWindow = -1;
    final List<PullException> throwNext = new ArrayList<>();
    volatile IOException failAlways;

    Source() {
      super(true);
      for (long t = FROM - HOUR; t < TO + 24 * HOUR; t += 600) {
        run(1, t, t % 1000);
      }
    }

    @Override
    public RowCounts fetch(List<Long> tests, Integer typeId, long start, long end, RunSink sink)
        throws IOException, InterruptedException {
      quota.awaitImportTurn();
      stats.increment("catchpoint.pull.import_requests", "account", "acme");
      if (!throwNext.isEmpty()) {
        PullException e = throwNext.remove(0);
        if (e.kind() == PullException.Kind.RATE_LIMITED) {
          stats.increment("catchpoint.pull.import_rate_limited", "account", "acme");
        }
        throw e;
      }
      if (failAlways != null) {
        throw failAlways;
      }
      windows.add(new long[] {start, end});
      if (windows.size() == killAtWindow) {
        throw new Killed();
      }
      return super.fetch(tests, typeId, start, end - 1, sink);
    }
  }

  /** The TSD dying in the middle of a window: nothing after it runs, nothing is stored. */
  static final class Killed extends Error {
    private static final long serialVersionUID = 1L;
  }

  private Imports imports(PullSource source, PullGate gate) {
    Map<String, PullSource> sources = new LinkedHashMap<>();
    sources.put("acme", source);
    Map<String, AccountQuota> quotas = new LinkedHashMap<>();
    quotas.put("acme", quota);
    return new Imports(Collections.singletonList(account), sources, quotas, MAPPER, TestStages.of(acking), NOWHERE,
        store, gate, () -> false, clock, stats, "tsd-a:4242", 1000, 5000, new Backoff(5, 1000, 60_000, () -> 0.5));
  }

  private Map<String, Object> only(Imports im) {
    List<Map<String, Object>> all = im.list();
    assertEquals(1, all.size(), all::toString);
    return all.get(0);
  }

  @Test
  void thePlanCountsWindowsAndRequestsAndTheTimeAtTheImportPace() throws Exception {
    Imports im = imports(new Source(), PullGate.ALWAYS);
    Imports.Submitted s = im.submit("acme", Arrays.asList(1L), null, FROM, TO, false);
    assertTrue(s.created);
    assertEquals(4L, s.progress.get("windows_total")); // 24 h in windows of 6 h
    assertEquals(4L, s.progress.get("requests_planned"));
    assertEquals(8L, s.progress.get("estimate_seconds")); // 4 requests, one every 2 s (30 a minute)
    assertEquals("queued", s.progress.get("state"));

    // v1 windowed: one request per test and window; a last window shorter than the others.
    ImportRecord v1 = new ImportRecord("old", map(1L, "web", 2L, "web", 3L, "ping"), 0, 25 * HOUR, 6 * HOUR, 20, true,
        6000, 0);
    assertEquals(10, v1.windowsTotal); // 5 windows for each of the two batches (web, ping)
    assertEquals(15, v1.requestsPlanned); // 5 windows for each of the three tests
    assertEquals(90, v1.estimateSeconds);
  }

  @Test
  void thePlanOfALaterImportTakesTheSpeedOfTheLastOne() throws Exception {
    Imports im = imports(new Source(), PullGate.ALWAYS);
    im.submit("acme", Arrays.asList(1L), null, FROM, TO, false);
    im.tick(); // 4 windows in 6 s (the pace's 2 s between requests after the first) on this clock
    Imports.Submitted next = im.submit("acme", Arrays.asList(1L), null, FROM - 2 * 24 * HOUR, FROM, false);
    assertEquals(8L, next.progress.get("windows_total"));
    // 8 windows at the pace: 16 s; at the last import's 4 windows in 6 s: 12 s. The slower one counts.
    assertEquals(16L, next.progress.get("estimate_seconds"));
    assertEquals("pace", next.progress.get("estimate_from"));
    ImportRecord slow = new ImportRecord("a", map(1L, "web"), 0, 10 * HOUR, HOUR, 20, false, 1000, 0.5);
    assertEquals(20, slow.estimateSeconds);
    assertEquals("last_import", slow.estimateFrom);
  }

  @Test
  void anImportPullsItsRangeInAlignedWindowsAndCountsEveryRunOnce() throws Exception {
    Source source = new Source();
    Imports im = imports(source, PullGate.ALWAYS);
    im.submit("acme", Arrays.asList(1L), null, FROM, TO, false);
    im.tick();

    Map<String, Object> p = only(im);
    assertEquals("done", p.get("state"));
    assertEquals(4L, p.get("windows_done"));
    assertEquals(144L, p.get("runs")); // a run every 10 minutes for 24 h
    assertEquals(144L, p.get("points"));
    assertEquals(4L, p.get("requests"));
    assertEquals(Arrays.asList("0,6", "6,12", "12,18", "18,24"), hours(source.windows));
    assertEquals(144, written.size());
    for (DataPoint d : written) {
      assertTrue(d.timestampSeconds() >= FROM && d.timestampSeconds() < TO, d::toString);
    }
    // The pace: one request every 2 s, the first at once.
    assertEquals(Arrays.asList(2000L, 2000L, 2000L), clock.sleeps());
  }

  @Test
  void aKilledImportResumesFromItsStoredCursorWithNothingLostOrDoubled() throws Exception {
    Source source = new Source();
    source.killAtWindow = 3;
    Imports first = imports(source, PullGate.ALWAYS);
    first.submit("acme", Arrays.asList(1L), null, FROM, TO, false);
    assertThrows(Killed.class, first::tick);
    Map<String, Object> stored = only(first);
    assertEquals("running", stored.get("state"));
    assertEquals(2L, stored.get("windows_done"));
    assertEquals(72L, stored.get("runs"));

    // A new TSD process on the same store.
    source.killAtWindow = -1;
    Imports second = imports(source, PullGate.ALWAYS);
    second.tick();
    Map<String, Object> p = only(second);
    assertEquals("done", p.get("state"));
    assertEquals(4L, p.get("windows_done"));
    assertEquals(144L, p.get("runs"));
    // Only the window in flight at the kill was asked twice.
    assertEquals(Arrays.asList("0,6", "6,12", "12,18", "12,18", "18,24"), hours(source.windows));
    // Asking for it again finds it done and does nothing.
    Imports.Submitted again = second.submit("acme", Arrays.asList(1L), null, FROM, TO, false);
    assertFalse(again.created);
    assertTrue(again.message.contains("already done"), again.message);
    // Once more, from its start: nothing of the last run's progress is shown.
    Map<String, Object> more = second.submit("acme", Arrays.asList(1L), null, FROM, TO, true).progress;
    assertEquals("queued", more.get("state"));
    assertEquals(0L, more.get("windows_done"));
    assertEquals(0L, more.get("points_per_second"));
    assertEquals(null, more.get("eta_seconds"));
  }

  @Test
  void a429StormSlowsTheImportDownWithoutFailingIt() throws Exception {
    Source source = new Source();
    for (int i = 0; i < 3; i++) {
      source.throwNext.add(new PullException(PullException.Kind.RATE_LIMITED, 429, "acme: 429", null,
          clock.nowMillis() + 30_000));
    }
    Imports im = imports(source, PullGate.ALWAYS);
    im.submit("acme", Arrays.asList(1L), null, FROM, TO, false);
    long before = clock.nowMillis();
    im.tick();
    Map<String, Object> p = only(im);
    assertEquals("done", p.get("state"));
    assertEquals(3L, p.get("rate_limited"));
    assertEquals(7L, p.get("requests"));
    assertEquals(144L, p.get("runs"));
    // It waited as Catchpoint asked (the three retry times are the same moment, 30 s after the start).
    assertTrue(clock.nowMillis() - before >= 30_000, () -> "waited " + (clock.nowMillis() - before));
    assertEquals(null, p.get("last_error"));
  }

  @Test
  void anImportFailsAfterRepeatedErrorsAndAskingAgainResumesIt() throws Exception {
    Source source = new Source();
    source.failAlways = new PullException(PullException.Kind.UNAVAILABLE, 503, "acme: 503 (gave up after 5 attempts)",
        null);
    Imports im = imports(source, PullGate.ALWAYS);
    im.submit("acme", Arrays.asList(1L), null, FROM, TO, false);
    im.tick();
    Map<String, Object> p = only(im);
    assertEquals("failed", p.get("state"));
    assertTrue(String.valueOf(p.get("last_error")).contains("503"), p::toString);
    assertEquals((long) ImportJob.MAX_FAILURES, p.get("requests"));
    assertEquals(1L, stats.get("catchpoint.pull.imports_failed", "account", "acme"));

    source.failAlways = null;
    Imports.Submitted again = im.submit("acme", Arrays.asList(1L), null, FROM, TO, false);
    assertFalse(again.created);
    assertEquals("queued", again.progress.get("state"));
    im.tick();
    assertEquals("done", only(im).get("state"));
  }

  @Test
  void anImportRunsOnlyWhereTheAccountsLeaseIsAndLeavesItWhenTheLeaseGoes() throws Exception {
    Source source = new Source();
    boolean[] holds = {false};
    int[] confirms = {0};
    PullGate gate = new PullGate() {
      @Override
      public boolean mayPull(String account) {
        return holds[0];
      }

      @Override
      public boolean confirm(String account) {
        return holds[0] && ++confirms[0] <= 4; // lost after two windows (a chunk and a window check each)
      }

      @Override
      public String holder(String account) {
        return holds[0] ? null : "tsd-b:4242";
      }
    };
    Imports im = imports(source, gate);
    Imports.Submitted s = im.submit("acme", Arrays.asList(1L), null, FROM, TO, false);
    assertTrue(s.message.contains("tsd-b:4242 holds the account's lease"), s.message);
    im.tick();
    assertTrue(source.windows.isEmpty(), "not the holder: nothing pulled");

    holds[0] = true;
    im.tick();
    Map<String, Object> p = only(im);
    assertEquals("running", p.get("state"), p::toString); // left to the new holder, from its cursors
    assertEquals(2L, p.get("windows_done"));
  }

  @Test
  void livePullsComeFirst() throws Exception {
    Source source = new Source();
    int[] polls = {0};
    quota.liveRunning(() -> polls[0]++ < 3); // a live pull runs for the first three looks
    Imports im = imports(source, PullGate.ALWAYS);
    im.submit("acme", Arrays.asList(1L), null, FROM, NOON + 6 * HOUR, false);
    im.tick();
    assertEquals(Arrays.asList(AccountQuota.POLL_MILLIS, AccountQuota.POLL_MILLIS, AccountQuota.POLL_MILLIS),
        clock.sleeps());
    assertEquals("done", only(im).get("state"));
  }

  @Test
  void whatCannotBeImportedIsRefusedSayingWhy() throws Exception {
    Imports im = imports(new Source(), PullGate.ALWAYS);
    assertEquals(404, refusal(() -> im.submit("nope", Arrays.asList(1L), null, FROM, TO, false)).status);
    Imports.Refused untyped = refusal(() -> im.submit("acme", Arrays.asList(9L), null, FROM, TO, false));
    assertEquals("tests", untyped.where);
    assertTrue(untyped.getMessage().contains("give its type"), untyped.getMessage());
    assertEquals("type", refusal(() -> im.submit("acme", Arrays.asList(9L), "bogus", FROM, TO, false)).where);
    assertEquals("from", refusal(() -> im.submit("acme", Arrays.asList(1L), null, TO, FROM, false)).where);
    long now = clock.nowSeconds();
    assertEquals("to", refusal(() -> im.submit("acme", Arrays.asList(1L), null, FROM, now, false)).where);
    // A test the account does not list, with its type: taken.
    assertTrue(im.submit("acme", Arrays.asList(9L), "ping", FROM, TO, false).created);

    PullAccountSettings lastRaw = PullAccountSettings.builder("old", "v1").v1Credentials("id", "s")
        .tests("web", Arrays.asList(1L)).build();
    Map<String, AccountQuota> quotas = new LinkedHashMap<>();
    quotas.put("old", quota);
    Imports v1 = new Imports(Collections.singletonList(lastRaw), new LinkedHashMap<>(), quotas, MAPPER,
        TestStages.of(acking), NOWHERE, store, PullGate.ALWAYS, () -> false, clock, stats, "a", 10, 10,
        Backoff.defaults());
    assertTrue(refusal(() -> v1.submit("old", Arrays.asList(1L), null, FROM, TO, false)).getMessage()
        .contains("windowed=true"));
  }

  @Test
  void theSameImportAskedAgainIsTheSameOneInAnyOrderOfTests() {
    assertEquals(ImportRecord.idOf("a", Arrays.asList(2L, 1L), 10, 20), ImportRecord.idOf("a", Arrays.asList(1L, 2L),
        10, 20));
    assertFalse(ImportRecord.idOf("a", Arrays.asList(1L), 10, 20).equals(ImportRecord.idOf("a", Arrays.asList(1L), 10,
        21)));
    ImportRecord r = new ImportRecord("a", map(1L, "web"), 0, 100, 10, 20, false, 1000, 0);
    r.cursors.put(1L, 30L);
    r.windowsDone = 3;
    r.lastError = "two\nlines";
    ImportRecord back = ImportRecord.parse(r.serialize());
    assertEquals(r.serialize(), back.serialize());
    assertEquals(30L, back.cursor(1L));
    assertEquals(null, ImportRecord.parse("not=a record"));
  }

  @Test
  void datesOfARangeAreWholeDaysInUtc() {
    assertEquals(Long.valueOf(1793491200L), PullEndpoint.time("2026-11-01", false)); // 2026-11-01T00:00:00Z
    assertEquals(Long.valueOf(1796083200L), PullEndpoint.time("2026-11-30", true)); // 2026-12-01T00:00:00Z
    assertEquals(Long.valueOf(1793491200L), PullEndpoint.time("2026-11-01T00:00:00Z", true));
    assertEquals(Long.valueOf(1793491200L), PullEndpoint.time("1793491200", true));
    assertEquals(null, PullEndpoint.time("2026-13-01", false));
    assertEquals(null, PullEndpoint.time("yesterday", false));
  }

  interface Call {
    Object call() throws Exception;
  }

  private static Imports.Refused refusal(Call c) throws Exception {
    try {
      c.call();
    } catch (Imports.Refused e) {
      return e;
    }
    throw new AssertionError("not refused");
  }

  private static Map<Long, String> map(Object... kv) {
    Map<Long, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((Long) kv[i], (String) kv[i + 1]);
    }
    return m;
  }

  private static List<String> hours(List<long[]> windows) {
    List<String> out = new ArrayList<>();
    synchronized (windows) {
      for (long[] w : windows) {
        out.add((w[0] - FROM) / HOUR + "," + (w[1] - FROM) / HOUR);
      }
    }
    return out;
  }
}
