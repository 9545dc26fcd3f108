package org.opentsdbcatchpoint.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.stats.Stats;

/** The quota an account's live pulls and imports share: the live pulls first, 429s for both, the import pace. */
class AccountQuotaTest {
  private final FakeClock clock = FakeClock.atSeconds(Runs.NOON);
  private final Stats stats = new Stats();
  private final AccountQuota quota = new AccountQuota(clock, 12); // an import request every 5 s
  private final ScriptedTransport transport = new ScriptedTransport();
  private final CatchpointHttp live = new CatchpointHttp("acme", transport, clock, new Backoff(5, 1000, 60_000,
      () -> 0.5), 1000, stats, quota);
  private final CatchpointHttp imports = live.forImports();

  private String get(CatchpointHttp http) throws Exception {
    return http.call(new HttpCall("GET", "http://catchpoint/raw", java.util.Collections.emptyMap(), null, 1000),
        CatchpointHttp::readSome);
  }

  @Test
  void importRequestsKeepTheirPace() throws Exception {
    transport.then(200, "a").then(200, "b").then(200, "c");
    assertEquals("a", get(imports));
    assertEquals("b", get(imports));
    assertEquals("c", get(imports));
    assertEquals(Arrays.asList(5000L, 5000L), clock.sleeps());
    assertEquals(3, stats.get("catchpoint.pull.import_requests", "account", "acme"));
  }

  @Test
  void liveRequestsAreNeverPacedNorHeldBehindImports() throws Exception {
    transport.then(200, "i").then(200, "l1").then(200, "l2");
    get(imports);
    get(live);
    get(live);
    assertEquals(Arrays.asList(), clock.sleeps());
  }

  @Test
  void a429ToALivePullHoldsTheImportsUntilCatchpointTakesRequestsAgain() throws Exception {
    transport.then(429, "{}", "Retry-After", "30").then(200, "import");
    PullException limited = assertThrows(PullException.class, () -> get(live)); // 30 s: longer than it sleeps inline
    assertEquals(PullException.Kind.RATE_LIMITED, limited.kind());
    assertEquals("import", get(imports));
    assertEquals(Arrays.asList(5000L, 5000L, 5000L, 5000L, 5000L, 5000L), clock.sleeps()); // 30 s, in steps
  }

  @Test
  void anImportWaitsWhileALivePullRuns() throws Exception {
    int[] looks = {0};
    quota.liveRunning(() -> looks[0]++ < 2);
    transport.then(200, "import");
    assertEquals("import", get(imports));
    assertEquals(Arrays.asList(AccountQuota.POLL_MILLIS, AccountQuota.POLL_MILLIS), clock.sleeps());
  }

  @Test
  void a429ToAnImportIsCountedAsTheImports() throws Exception {
    transport.then(429, "{}", "Retry-After", "1").then(200, "ok");
    assertEquals("ok", get(imports));
    assertEquals(1, stats.get("catchpoint.pull.import_rate_limited", "account", "acme"));
    assertEquals(1, stats.get("catchpoint.pull.rate_limited", "account", "acme"));
  }
}
