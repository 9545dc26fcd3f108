package org.opentsdbcatchpoint.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentsdbcatchpoint.pull.Runs.NOON;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.opentsdbcatchpoint.TestPlatform;
import org.opentsdbcatchpoint.catalog.NodeLookup;
import org.opentsdbcatchpoint.catalog.CatalogHolder;
import org.opentsdbcatchpoint.pipeline.TestStages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.Fixtures;
import org.opentsdbcatchpoint.catalog.CatalogRefresher;
import org.opentsdbcatchpoint.catalog.Node;
import org.opentsdbcatchpoint.catalog.NodeCatalog;
import org.opentsdbcatchpoint.catalog.NodeCatalogReader;
import org.opentsdbcatchpoint.catalog.StaticNodeCatalog;
import org.opentsdbcatchpoint.mapping.RunMapper;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pull.FakeCatchpoint.Reply;
import org.opentsdbcatchpoint.pipeline.Writer;
import org.opentsdbcatchpoint.stats.Stats;

/** The REST clients, job and catalog refresh against an in-process fake Catchpoint serving the shared fixtures. */
class FakeCatchpointTest {
  private static final String TOKEN = "/ui/api/token";
  private static final String V1_RAW = "/ui/api/v1/performance/raw";
  private static final String V1_NODES = "/ui/api/v1/nodes";
  private static final String V2_RAW = "/api/v2/tests/explorer/raw";
  private static final String V2_NODES = "/api/v2/nodes/all";
  private static final String CLIENT_SECRET = "Client-S3cret&=";
  private static final String API_KEY = "v2-key-123";
  /** 12:10: with lag 2 min and interval 5 min, a new test's window is [12:03, 12:08). */
  private final FakeClock clock = FakeClock.atSeconds(NOON + 600);
  private final Stats stats = new Stats();
  private final InMemoryCursorStore cursors = new InMemoryCursorStore();
  private final List<DataPoint> written = Collections.synchronizedList(new ArrayList<>());
  private final Writer writer = p -> {
    written.add(p);
    return CompletableFuture.completedFuture(null);
  };
  private RunMapper mapper;
  private NodeLookup lookup;
  private FakeCatchpoint fake;

  @BeforeEach
  void start() throws Exception {
    fake = new FakeCatchpoint();
    NodeCatalog nodes = new StaticNodeCatalog(NodeCatalogReader.read(Fixtures.path("rest-v1-nodes.json")));
    mapper = new RunMapper(() -> nodes, Vocabulary.ENRICHMENT_TAGS, 8);
    lookup = NodeLookup.fixed(new CatalogHolder(nodes));
  }

  @AfterEach
  void stop() throws Exception {
    fake.close();
  }

  private PullAccountSettings.Builder v1(String name) {
    return PullAccountSettings.builder(name, "v1").v1Credentials("client-1", CLIENT_SECRET)
        .baseUrl(fake.url("/ui/api")).tests("web", Arrays.asList(100001L, 100006L)).interval(300).lag(120)
        .timeoutMillis(2000);
  }

  private PullAccountSettings.Builder v2(String name) {
    return PullAccountSettings.builder(name, "v2").apiKey(API_KEY).baseUrl(fake.url("/api/v2"))
        .tests("web", Collections.singletonList(100001L)).interval(300).lag(120).timeoutMillis(2000);
  }

  private PullSource source(PullAccountSettings account) {
    // Jitter at its middle: attempt 1 waits 750 ms, attempt 2 1500 ms, ...
    CatchpointHttp http = new CatchpointHttp(account.name, new UrlConnectionTransport(), clock,
        new Backoff(4, 1000, 8000, () -> 0.5), 120_000, stats);
    return PullSource.of(account, http);
  }

  private PullJob job(PullAccountSettings account) {
    return new PullJob(account, source(account), mapper::map, TestStages.of(writer), lookup, cursors, clock, stats, () -> false, PullGate.ALWAYS, 1000, 5000);
  }

  private static String bearer(String token) {
    return "Bearer " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
  }

  private Map<String, Double> writtenValues(long testId, long nodeId) {
    Map<String, Double> m = new TreeMap<>();
    for (DataPoint p : written) {
      if (p.tags().get("test_id").equals(Long.toString(testId)) && p.tags().get("node_id").equals(Long.toString(nodeId))) {
        m.put(p.metric() + "@" + (p.timestampSeconds() - NOON), p.value());
      }
    }
    return m;
  }

  @Test
  void v1PullWritesEveryNonNullValueEnrichedAndMovesTheCursors() throws Exception {
    fake.then(TOKEN, Reply.fixture("rest-v1-token.json")).then(V1_RAW, Reply.fixture("rest-v1-raw-web.json"));
    job(v1("acme").build()).runCycle();

    // 8 + 7 + 2 values; the 7 nulls are skipped.
    assertEquals(17, written.size(), written.toString());
    DataPoint dns = written.stream().filter(p -> p.metric().equals("catchpoint.timing.dns")
        && p.tags().get("node_id").equals("540")).findFirst().get();
    assertEquals(NOON + 4 * 60 + 33, dns.timestampSeconds());
    assertEquals(12.0, dns.value());
    Map<String, String> tags = new TreeMap<>();
    tags.put("test_id", "100001");
    tags.put("node_id", "540");
    tags.put("test_type", "web");
    tags.put("asn", "AS16509");
    tags.put("city", "Frankfurt");
    tags.put("country", "Germany");
    tags.put("isp", "Amazon");
    tags.put("region", "Hesse");
    assertEquals(tags, dns.tags());
    assertEquals(Collections.singletonMap("step", "2"), written.stream().filter(p -> p.tags().get("test_id")
        .equals("100006")).map(p -> Collections.singletonMap("step", p.tags().get("step"))).distinct()
        .collect(Collectors.toList()).get(0));

    FakeCatchpoint.Seen token = fake.seen(TOKEN).get(0);
    assertEquals("POST", token.method);
    assertTrue(token.body.contains("grant_type=client_credentials"), token.body);
    assertTrue(token.body.contains("client_id=client-1"), token.body);
    assertTrue(token.body.contains("client_secret=Client-S3cret%26%3D"), token.body);
    FakeCatchpoint.Seen raw = fake.seen(V1_RAW).get(0);
    assertEquals("tests=100001,100006", raw.query);
    assertEquals(bearer("ZXhhbXBsZS1hY2Nlc3MtdG9rZW4"), raw.authorization);
    assertEquals(NOON + 480, cursors.load("acme", 100001).position());
    assertEquals(NOON + 480, cursors.load("acme", 100006).position());
    assertEquals(17, stats.get("catchpoint.pull.datapoints", "account", "acme"));
    assertEquals(7, stats.get("catchpoint.pull.values_null", "account", "acme"));
  }

  @Test
  void aTokenThatExpiresMidCycleIsRefreshedOnceAndTheCallRetried() throws Exception {
    fake.then(TOKEN, Reply.json(200, "{\"access_token\":\"token-A\",\"expires_in\":1800}"))
        .then(TOKEN, Reply.json(200, "{\"access_token\":\"token-B\",\"expires_in\":1800}"))
        .then(TOKEN, Reply.json(200, "{\"access_token\":\"token-C\",\"expires_in\":1800}"));
    fake.then(V1_RAW, Reply.fixture("rest-v1-raw-web.json"))
        .then(V1_RAW, Reply.fixture("rest-v1-expired.json"))
        .then(V1_RAW, Reply.fixture("rest-v1-raw-traceroute.json"))
        .then(V1_RAW, Reply.json(401, ""))
        .then(V1_RAW, Reply.fixture("rest-v1-raw-empty.json"));
    PullAccountSettings a = v1("acme").tests("traceroute", Collections.singletonList(100003L))
        .tests("dns", Collections.singletonList(100002L)).build();
    job(a).runCycle();

    assertEquals(3, fake.seen(TOKEN).size());
    List<String> auth = fake.seen(V1_RAW).stream().map(s -> s.authorization).collect(Collectors.toList());
    assertEquals(Arrays.asList(bearer("token-A"), bearer("token-A"), bearer("token-B"), bearer("token-B"),
        bearer("token-C")), auth);
    assertEquals(NOON + 480, cursors.load("acme", 100003).position());
    assertEquals(NOON + 480, cursors.load("acme", 100002).position());
    assertEquals(2, stats.get("catchpoint.pull.token_refreshes", "account", "acme"));
    assertFalse(writtenValues(100003, 88).isEmpty());
  }

  @Test
  void aRawBearerIsSentAsItCame() throws Exception {
    fake.then(TOKEN, Reply.fixture("rest-v1-token.json")).then(V1_RAW, Reply.fixture("rest-v1-raw-empty.json"));
    job(v1("acme").rawBearer(true).build()).runCycle();
    assertEquals("Bearer ZXhhbXBsZS1hY2Nlc3MtdG9rZW4", fake.seen(V1_RAW).get(0).authorization);
  }

  @Test
  void tooManyRequestsThenSuccess() throws Exception {
    fake.then(V2_RAW, Reply.json(429, Fixtures.text("rest-v2-429.json")).header("Retry-After", "3"))
        .then(V2_RAW, Reply.json(429, Fixtures.text("rest-v2-429.json")))
        .then(V2_RAW, Reply.fixture("rest-v2-raw.json"));
    job(v2("main").build()).runCycle();
    // Retry-After first; then usageLimits ("Minute limit exceeded" at 12:10:03 -> the next minute, plus 1 s).
    assertEquals(Arrays.asList(3000L, 58_000L), clock.sleeps());
    assertEquals(2, stats.get("catchpoint.pull.rate_limited", "account", "main"));
    // The window is [12:03, 12:08): the 12:19 row waits for a later pull.
    assertEquals(Collections.singleton(NOON + 4 * 60 + 33),
        written.stream().map(DataPoint::timestampSeconds).collect(Collectors.toSet()));
    FakeCatchpoint.Seen raw = fake.seen(V2_RAW).get(0);
    assertEquals("Bearer " + API_KEY, raw.authorization);
    assertEquals("testIds=100001&startTimeUtc=2024-01-15T12%3A03%3A00Z&endTimeUtc=2024-01-15T12%3A08%3A00Z",
        raw.query);
  }

  @Test
  void serverErrorThenSuccess() throws Exception {
    fake.then(TOKEN, Reply.fixture("rest-v1-token.json"))
        .then(V1_RAW, Reply.json(500, "{\"Message\":\"An error has occurred.\"}"))
        .then(V1_RAW, Reply.json(503, ""))
        .then(V1_RAW, Reply.fixture("rest-v1-raw-web.json"));
    job(v1("acme").build()).runCycle();
    assertEquals(Arrays.asList(750L, 1500L), clock.sleeps());
    assertEquals(17, written.size());
    assertEquals(2, stats.get("catchpoint.pull.server_errors", "account", "acme"));
  }

  @Test
  void aResponseSlowerThanTheTimeoutIsRetried() throws Exception {
    fake.then(V2_RAW, Reply.fixture("rest-v2-raw.json").delay(1500)).then(V2_RAW, Reply.fixture("rest-v2-raw.json"));
    job(v2("main").timeoutMillis(300).build()).runCycle();
    assertEquals(1, stats.get("catchpoint.pull.io_errors", "account", "main"));
    assertEquals(Collections.singletonList(750L), clock.sleeps());
    assertEquals(3, written.size());
    assertEquals(NOON + 480, cursors.load("main", 100001).position());
  }

  @Test
  void aWindowThatSaysItHasMoreRecordsIsFetchedAgainInHalves() throws Exception {
    String more = Fixtures.text("rest-v2-raw.json").replace("\"hasMoreRecords\": false", "\"hasMoreRecords\": true");
    fake.then(V2_RAW, Reply.json(200, more)).always(V2_RAW, Reply.fixture("rest-v2-raw.json"));
    job(v2("main").build()).runCycle();
    List<String> queries = fake.seen(V2_RAW).stream().map(s -> s.query.replace("%3A", ":")).collect(Collectors.toList());
    assertEquals(Arrays.asList(
        "testIds=100001&startTimeUtc=2024-01-15T12:03:00Z&endTimeUtc=2024-01-15T12:08:00Z",
        "testIds=100001&startTimeUtc=2024-01-15T12:03:00Z&endTimeUtc=2024-01-15T12:05:30Z",
        "testIds=100001&startTimeUtc=2024-01-15T12:05:30Z&endTimeUtc=2024-01-15T12:08:00Z"), queries);
    // The 12:04:33 run is in the first half only: written once.
    assertEquals(3, written.size(), written.toString());
    assertEquals(1, stats.get("catchpoint.pull.window_splits", "account", "main"));
  }

  @Test
  void nullDetailIsAnEmptyWindowAndTheCursorMoves() throws Exception {
    fake.then(TOKEN, Reply.fixture("rest-v1-token.json")).then(V1_RAW, Reply.fixture("rest-v1-raw-empty.json"));
    PullJob job = job(v1("acme").build());
    job.runCycle();
    assertTrue(written.isEmpty());
    assertEquals(NOON + 480, cursors.load("acme", 100001).position());
    Map<String, Object> status = job.status().get(0);
    assertEquals("2024-01-15T12:10:00Z", status.get("last_success"));
    assertNull(status.get("last_error"));
  }

  @Test
  void aWrongApiKeyIsRefusedCountedAndShownWithoutTheKey() throws Exception {
    fake.always(V2_RAW, Reply.json(401, "{\"errors\":[{\"id\":\"unauthorized\",\"message\":\"Invalid API key\"}]}"));
    PullJob job = job(v2("main").build());
    job.runCycle();
    job.runCycle();
    assertEquals(2, stats.get("catchpoint.pull.refused", "account", "main"));
    assertNull(cursors.load("main", 100001));
    String error = String.valueOf(job.status().get(0).get("last_error"));
    assertTrue(error.contains("401") && error.contains("Invalid API key"), error);
    assertFalse(error.contains(API_KEY), error);
  }

  @Test
  void multiPageNodeListsOfBothVersions() throws Exception {
    fake.then(V1_NODES, Reply.json(200, "{\"items\":[{\"id\":999,\"name\":\"Paris, FR - Orange\"}],\"has_more\":true,"
        + "\"page_number\":1}"))
        .then(V1_NODES + "?pageNumber=2", Reply.fixture("rest-v1-nodes.json"))
        .then(TOKEN, Reply.fixture("rest-v1-token.json"));
    fake.then(V2_NODES + "?pageNumber=1&pageSize=100", Reply.json(200, "{\"data\":{\"nodes\":[{\"id\":998,"
        + "\"name\":\"Lima, PE - Claro\",\"city\":{\"id\":1,\"name\":\"Lima\"}}],\"hasMore\":true},\"errors\":[]}"))
        .then(V2_NODES + "?pageNumber=2&pageSize=100", Reply.fixture("rest-v2-nodes-all.json"));
    PullSource legacy = source(v1("legacy").build());
    PullSource main = source(v2("main").build());
    List<Node> v1Nodes = legacy.nodes();
    assertEquals(Arrays.asList(999L, 540L, 312L, 313L, 88L, 701L),
        v1Nodes.stream().map(Node::id).collect(Collectors.toList()));
    assertEquals("Orange", v1Nodes.get(0).attribute("isp"));
    assertEquals(Arrays.asList(null, "pageNumber=2"),
        fake.seen(V1_NODES).stream().map(s -> s.query).collect(Collectors.toList()));
    List<Node> v2Nodes = main.nodes();
    assertEquals(Arrays.asList(998L, 540L), v2Nodes.stream().map(Node::id).collect(Collectors.toList()));
    assertEquals("Lima", v2Nodes.get(0).attribute("city"));
    assertEquals("Claro", v2Nodes.get(0).attribute("isp"));

    fake.then(V1_NODES, Reply.fixture("rest-v1-nodes.json"));
    fake.then(V2_NODES + "?pageNumber=1&pageSize=100", Reply.fixture("rest-v2-nodes-all.json"));
    CatalogHolder catalog = new CatalogHolder();
    // v2 before v1: v1's richer node records win attribute by attribute.
    CatalogRefresher refresher = new CatalogRefresher(Arrays.asList(main, legacy), catalog,
        Collections.<Node>emptyList(), null, clock::nowMillis, 60_000);
    // The v2 list of the refresh is one page: Frankfurt only; v1 has the five nodes.
    assertTrue(refresher.refresh());
    assertEquals(5, catalog.size());
    Node frankfurt = catalog.find(540);
    assertEquals("Hesse", frankfurt.attribute("region"));
    assertEquals("Amazon", frankfurt.attribute("isp"));
    assertEquals("AS16509", frankfurt.attribute("asn"));
    assertNotNull(catalog.find(313));
  }

  @Test
  void twoAccountsWithDifferentApiVersionsWriteTheSameCellsForTheSameRun() throws Exception {
    fake.then(TOKEN, Reply.fixture("rest-v1-token.json")).then(V1_RAW, Reply.fixture("rest-v1-raw-web.json"));
    fake.then(V2_RAW, Reply.fixture("rest-v2-raw.json"));
    PullJob legacy = job(v1("legacy").build());
    PullJob main = job(v2("main").build());
    PullScheduler scheduler = new PullScheduler(Arrays.asList(legacy, main), TestPlatform.THREADS.scheduled("pull", 2), clock,
        () -> 0.5, stats, 5000);
    try {
      assertTrue(scheduler.runNow("legacy").get());
      List<DataPoint> fromV1 = new ArrayList<>(written);
      written.clear();
      assertTrue(scheduler.runNow("main").get());
      List<DataPoint> fromV2 = new ArrayList<>(written);

      assertEquals(3, fromV2.size(), fromV2.toString());
      for (DataPoint p : fromV2) {
        assertTrue(fromV1.contains(p), "the v2 point " + p + " is the v1 point of the same run");
      }
      assertEquals(NOON + 480, cursors.load("legacy", 100001).position());
      assertEquals(NOON + 480, cursors.load("main", 100001).position());
      assertEquals(17, stats.get("catchpoint.pull.datapoints", "account", "legacy"));
      assertEquals(3, stats.get("catchpoint.pull.datapoints", "account", "main"));
    } finally {
      scheduler.shutdown().get();
    }
  }
}
