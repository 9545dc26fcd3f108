package org.opentsdbcatchpoint.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentsdbcatchpoint.ManualScheduler;

class CatalogRefresherTest {
  private final CatalogHolder catalog = new CatalogHolder();
  private final AtomicLong now = new AtomicLong(1_705_320_000_000L);

  @TempDir
  Path tmp;

  private static Node node(long id, String city) {
    java.util.Map<String, String> a = new java.util.LinkedHashMap<>();
    a.put("city", city);
    a.put("isp", "Isp " + id);
    a.put("asn", "AS" + id);
    a.put("node", city + ", XX - Isp " + id);
    return new Node(id, a);
  }

  /** A source that answers from a list, or fails while {@code down}. */
  static final class Source implements NodeSource {
    final String name;
    volatile List<Node> nodes;
    volatile boolean down;
    final AtomicInteger calls = new AtomicInteger();

    Source(String name, Node... nodes) {
      this.name = name;
      this.nodes = Arrays.asList(nodes);
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public List<Node> nodes() throws IOException {
      calls.incrementAndGet();
      if (down) {
        throw new IOException("Catchpoint is unreachable");
      }
      return nodes;
    }
  }

  private CatalogRefresher refresher(List<Source> sources, List<Node> staticNodes, Path cache) {
    return new CatalogRefresher(sources, catalog, staticNodes, cache, now::get, 60_000L);
  }

  @Test
  void refreshMergesAccountsOverTheStaticFileAndSwapsAtomically() throws Exception {
    Source a = new Source("a", node(1, "Frankfurt"), node(2, "Sydney"));
    Source b = new Source("b", node(2, "Sydney-B"), node(3, "Jinan"));
    CatalogRefresher r = refresher(Arrays.asList(a, b), Arrays.asList(node(1, "Old"), node(9, "Static")), null);
    NodeCatalog before = catalog.current();
    assertTrue(r.refresh());
    assertNotSame(before, catalog.current());
    assertEquals(4, catalog.current().size());
    assertEquals("Frankfurt", catalog.current().find(1).attribute("city"));
    assertEquals("Sydney-B", catalog.current().find(2).attribute("city"));
    assertEquals("Static", catalog.current().find(9).attribute("city"));
    assertEquals(now.get(), r.lastSuccessMillis());
    assertNull(r.lastError());
  }

  @Test
  void aFailingAccountKeepsItsLastGoodNodes() throws Exception {
    Source a = new Source("a", node(1, "Frankfurt"));
    Source b = new Source("b", node(3, "Jinan"));
    CatalogRefresher r = refresher(Arrays.asList(a, b), Collections.<Node>emptyList(), null);
    r.refresh();
    b.down = true;
    a.nodes = Arrays.asList(node(1, "Frankfurt"), node(4, "Chicago"));
    assertTrue(r.refresh());
    assertEquals(3, catalog.current().size());
    assertNotNull(catalog.current().find(3));
    assertTrue(r.lastError().contains("b: Catchpoint is unreachable"), r.lastError());
    a.down = true;
    NodeCatalog last = catalog.current();
    assertFalse(r.refresh());
    assertSame(last, catalog.current(), "nothing answered: the catalog stays");
  }

  @Test
  void theLastGoodCatalogSurvivesARestartWhileCatchpointIsDown() throws Exception {
    Path cache = tmp.resolve("nodes-cache.json");
    Source a = new Source("a", node(540, "Frankfurt"), node(313, "Jinan"));
    refresher(Collections.singletonList(a), Collections.<Node>emptyList(), cache).refresh();

    CatalogHolder restarted = new CatalogHolder();
    a.down = true;
    CatalogRefresher again = new CatalogRefresher(Collections.singletonList(a), restarted,
        Collections.<Node>emptyList(), cache, now::get, 60_000);
    assertFalse(again.firstLoad().isDone());
    assertTrue(again.loadCache());
    assertTrue(again.firstLoad().isDone(), "the cache is a first load: pulls need not wait for Catchpoint");
    assertEquals(2, restarted.current().size());
    Node jinan = restarted.current().find(313);
    assertEquals(node(313, "Jinan").attributes(), jinan.attributes());
    assertFalse(again.refresh());
    assertEquals(2, restarted.current().size(), "the cached nodes stay while Catchpoint is down");
  }

  @Test
  void aSourceWaitsForTheRefreshThatLooksForItsUnknownNode() throws Exception {
    Source a = new Source("a", node(1, "Frankfurt"));
    CatalogRefresher r = refresher(Collections.singletonList(a), Collections.<Node>emptyList(), null);
    ManualScheduler scheduler = new ManualScheduler(now);
    r.start(scheduler, 6 * 3600_000L);
    assertFalse(r.firstLoad().isDone());
    CompletableFuture<Boolean> beforeFirstLoad = r.learn(1);
    assertFalse(beforeFirstLoad.isDone(), "the first refresh is coming: wait for it");
    scheduler.runDue();
    assertTrue(r.firstLoad().isDone());
    assertEquals(Boolean.TRUE, beforeFirstLoad.getNow(null));
    assertEquals(1, a.calls.get());

    a.nodes = Arrays.asList(node(1, "Frankfurt"), node(2, "New"));
    scheduler.advance(10_000);
    CompletableFuture<Boolean> two = r.learn(2);
    CompletableFuture<Boolean> three = r.learn(3);
    assertSame(two, r.learn(2), "one wait per node");
    scheduler.advance(49_000);
    assertFalse(two.isDone(), "within a minute of the last refresh: none yet");
    assertEquals(1, a.calls.get());
    scheduler.advance(1_000);
    assertEquals(2, a.calls.get(), "one refresh for both nodes");
    assertEquals(Boolean.TRUE, two.getNow(null));
    assertEquals(Boolean.FALSE, three.getNow(null), "looked for and not found");
    assertEquals(Collections.singletonList(3L), r.unknownNodes());

    CompletableFuture<Boolean> again = r.learn(3);
    assertEquals(Boolean.FALSE, again.getNow(null), "known to be unknown: no wait, no call");
    scheduler.advance(120_000);
    assertEquals(2, a.calls.get());
  }

  @Test
  void theScheduledRefreshLooksForUnknownNodesAgain() throws Exception {
    Source a = new Source("a", node(1, "Frankfurt"));
    CatalogRefresher r = refresher(Collections.singletonList(a), Collections.<Node>emptyList(), null);
    ManualScheduler scheduler = new ManualScheduler(now);
    r.start(scheduler, 3600_000L);
    scheduler.runDue();
    r.learn(7);
    scheduler.advance(60_000);
    assertEquals(Collections.singletonList(7L), r.unknownNodes());
    a.nodes = Arrays.asList(node(1, "Frankfurt"), node(7, "Later"));
    scheduler.advance(3600_000L);
    assertTrue(r.unknownNodes().isEmpty());
    assertEquals(Boolean.TRUE, r.learn(7).getNow(null));
  }

  @Test
  void whenCatchpointIsDownTheNodeIsWrittenWithoutEnrichment() throws Exception {
    Source a = new Source("a", node(1, "Frankfurt"));
    a.down = true;
    CatalogRefresher r = refresher(Collections.singletonList(a), Collections.<Node>emptyList(), null);
    ManualScheduler scheduler = new ManualScheduler(now);
    r.start(scheduler, 0);
    CompletableFuture<Boolean> one = r.learn(1);
    scheduler.runDue();
    assertTrue(r.firstLoad().isDone(), "a failed first refresh is a first load too: pulls go on");
    assertEquals(Boolean.FALSE, one.getNow(null));
  }

  @Test
  void withoutSourcesOrBeforeTheStartNothingIsWaitedFor() {
    CatalogRefresher none = refresher(Collections.<Source>emptyList(), Collections.singletonList(node(1, "F")), null);
    assertTrue(none.firstLoad().isDone());
    assertEquals(Boolean.FALSE, none.learn(2).getNow(null));
    CatalogRefresher notStarted = refresher(Collections.singletonList(new Source("a")), Collections.<Node>emptyList(),
        null);
    assertEquals(Boolean.FALSE, notStarted.learn(2).getNow(null));
  }

  @Test
  void aLaterSourceWinsAttributeByAttributeAndKeepsWhatItLacks() {
    java.util.Map<String, String> v2 = new java.util.LinkedHashMap<>();
    v2.put("city", "Frankfurt am Main");
    v2.put("isp", "AWS");
    java.util.Map<String, String> v1 = new java.util.LinkedHashMap<>();
    v1.put("isp", "Amazon");
    v1.put("region", "Hesse");
    List<Node> merged = CatalogRefresher.merge(Arrays.asList(new Node(540, v2), new Node(1, v1), new Node(540, v1)));
    assertEquals(2, merged.size());
    assertEquals("Frankfurt am Main", merged.get(0).attribute("city"));
    assertEquals("Amazon", merged.get(0).attribute("isp"));
    assertEquals("Hesse", merged.get(0).attribute("region"));
  }

  @Test
  void anIspGuessedFromTheNameDoesNotReplaceAKnownOne() {
    java.util.Map<String, String> file = new java.util.LinkedHashMap<>();
    file.put("isp", "Amazon");
    file.put("node", "Frankfurt, DE - AWS");
    java.util.Map<String, String> v2 = new java.util.LinkedHashMap<>();
    v2.put("city", "Frankfurt am Main");
    v2.put("isp", "AWS"); // what the reader guesses from the name: /nodes/all has no ISP
    v2.put("node", "Frankfurt, DE - AWS");
    java.util.Map<String, String> v2Other = new java.util.LinkedHashMap<>(v2);
    v2Other.put("node", "Frankfurt, DE - Amazon Web Services");
    List<Node> merged = CatalogRefresher.merge(Arrays.asList(new Node(540, file), new Node(540, v2)));
    assertEquals("Amazon", merged.get(0).attribute("isp"));
    assertEquals("Frankfurt am Main", merged.get(0).attribute("city"));
    // A real ISP (not the name's tail) still wins; a guess still fills a gap.
    assertEquals("AWS", CatalogRefresher.merge(Arrays.asList(new Node(540, file), new Node(540, v2Other)))
        .get(0).attribute("isp"));
    assertEquals("AWS", CatalogRefresher.merge(Arrays.asList(new Node(540, v2))).get(0).attribute("isp"));
  }

  private static void assertNotSame(Object a, Object b) {
    assertFalse(a == b);
  }


  /** One HBase's shared copy, as two TSDs see it. */
  static final class MemoryShare implements CatalogShare {
    volatile long version;
    volatile byte[] json;
    final AtomicInteger reads = new AtomicInteger();

    @Override
    public long version() {
      return version;
    }

    @Override
    public byte[] read() {
      reads.incrementAndGet();
      return json;
    }

    @Override
    public void publish(long version, byte[] json) {
      this.version = version;
      this.json = json;
    }
  }

  @Test
  void oneTsdFetchesForAllAndTheOthersTakeItsCopyWithoutAskingCatchpoint() throws Exception {
    MemoryShare share = new MemoryShare();
    Source fetcherSource = new Source("acme", node(1, "Berlin"), node(2, "Lyon"));
    CatalogRefresher fetcher = new CatalogRefresher(Collections.singletonList(fetcherSource), catalog,
        Collections.<Node>emptyList(), null, now::get, 60_000L, share, () -> true);
    Source otherSource = new Source("acme", node(1, "Berlin"), node(2, "Lyon"));
    CatalogHolder otherCatalog = new CatalogHolder();
    CatalogRefresher other = new CatalogRefresher(Collections.singletonList(otherSource), otherCatalog,
        Collections.<Node>emptyList(), tmp.resolve("other-cache.json"), now::get, 60_000L, share, () -> false);

    assertTrue(other.scheduledRefresh() == false && otherCatalog.size() == 0, "nothing shared yet");
    assertTrue(other.firstLoad().isDone(), "the pulls need not wait for a copy that is not there");
    assertTrue(fetcher.scheduledRefresh());
    assertEquals(now.get(), share.version);
    assertTrue(other.scheduledRefresh());
    assertEquals("Lyon", otherCatalog.find(2).attribute("city"));
    assertEquals(0, otherSource.calls.get(), "the other TSD never asked Catchpoint");
    assertTrue(java.nio.file.Files.exists(tmp.resolve("other-cache.json")), "kept for a start without HBase");

    int reads = share.reads.get();
    assertTrue(other.takeShared());
    assertEquals(reads, share.reads.get(), "an unchanged copy is one version read, not the nodes");
    now.addAndGet(3_600_000L);
    fetcherSource.nodes = Arrays.asList(node(1, "Berlin"), node(2, "Lyon"), node(3, "Oslo"));
    fetcher.scheduledRefresh();
    assertTrue(other.takeShared());
    assertEquals("Oslo", otherCatalog.find(3).attribute("city"), "a newer copy is taken");
  }

  @Test
  void aNodeTheSharedCopyLacksIsAskedOfCatchpointByTheTsdThatNeedsIt() throws Exception {
    MemoryShare share = new MemoryShare();
    Source fetcherSource = new Source("acme", node(1, "Berlin"));
    new CatalogRefresher(Collections.singletonList(fetcherSource), new CatalogHolder(), Collections.<Node>emptyList(),
        null, now::get, 60_000L, share, () -> true).scheduledRefresh();
    Source otherSource = new Source("acme", node(1, "Berlin"), node(9, "Reykjavik"));
    CatalogRefresher other = new CatalogRefresher(Collections.singletonList(otherSource), catalog,
        Collections.<Node>emptyList(), null, now::get, 60_000L, share, () -> false);
    ManualScheduler scheduler = new ManualScheduler(now);
    other.start(scheduler, 3600_000L);
    scheduler.runDue();
    assertEquals(0, otherSource.calls.get());
    CompletableFuture<Boolean> known = other.learn(1);
    assertTrue(known.getNow(false), "in the shared copy");
    CompletableFuture<Boolean> nine = other.learn(9);
    now.addAndGet(60_000L);
    scheduler.runDue();
    assertTrue(nine.getNow(false), "asked of Catchpoint: the shared copy does not have it");
    assertEquals(1, otherSource.calls.get());
    assertEquals("Reykjavik", catalog.find(9).attribute("city"));
    assertEquals(now.get(), share.version, "and shared, fresher than the fetcher's");
  }

  @Test
  void aTsdWithoutPullAccountsEnrichesFromTheSharedCopy() throws Exception {
    MemoryShare share = new MemoryShare();
    new CatalogRefresher(Collections.singletonList(new Source("acme", node(4, "Quito"))), new CatalogHolder(),
        Collections.<Node>emptyList(), null, now::get, 60_000L, share, () -> true).scheduledRefresh();
    CatalogRefresher pushOnly = new CatalogRefresher(Collections.<Source>emptyList(), catalog,
        Collections.<Node>emptyList(), null, now::get, 60_000L, share, () -> false);
    ManualScheduler scheduler = new ManualScheduler(now);
    pushOnly.start(scheduler, 3600_000L);
    scheduler.runDue();
    assertEquals("Quito", catalog.find(4).attribute("city"));
  }
}
