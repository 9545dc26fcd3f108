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
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogRefresherTest {
  private final AtomicReference<NodeCatalog> catalog = new AtomicReference<>(NodeCatalog.EMPTY);
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
    return new CatalogRefresher(sources, catalog, staticNodes, cache, now::get, 15 * 60_000L);
  }

  @Test
  void refreshMergesAccountsOverTheStaticFileAndSwapsAtomically() throws Exception {
    Source a = new Source("a", node(1, "Frankfurt"), node(2, "Sydney"));
    Source b = new Source("b", node(2, "Sydney-B"), node(3, "Jinan"));
    CatalogRefresher r = refresher(Arrays.asList(a, b), Arrays.asList(node(1, "Old"), node(9, "Static")), null);
    NodeCatalog before = catalog.get();
    assertTrue(r.refresh());
    assertNotSame(before, catalog.get());
    assertEquals(4, catalog.get().size());
    assertEquals("Frankfurt", catalog.get().find(1).attribute("city"));
    assertEquals("Sydney-B", catalog.get().find(2).attribute("city"));
    assertEquals("Static", catalog.get().find(9).attribute("city"));
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
    assertEquals(3, catalog.get().size());
    assertNotNull(catalog.get().find(3));
    assertTrue(r.lastError().contains("b: Catchpoint is unreachable"), r.lastError());
    a.down = true;
    NodeCatalog last = catalog.get();
    assertFalse(r.refresh());
    assertSame(last, catalog.get(), "nothing answered: the catalog stays");
  }

  @Test
  void theLastGoodCatalogSurvivesARestartWhileCatchpointIsDown() throws Exception {
    Path cache = tmp.resolve("nodes-cache.json");
    Source a = new Source("a", node(540, "Frankfurt"), node(313, "Jinan"));
    refresher(Collections.singletonList(a), Collections.<Node>emptyList(), cache).refresh();

    AtomicReference<NodeCatalog> restarted = new AtomicReference<>(NodeCatalog.EMPTY);
    a.down = true;
    CatalogRefresher again = new CatalogRefresher(Collections.singletonList(a), restarted,
        Collections.<Node>emptyList(), cache, now::get, 60_000);
    assertTrue(again.loadCache());
    assertEquals(2, restarted.get().size());
    Node jinan = restarted.get().find(313);
    assertEquals(node(313, "Jinan").attributes(), jinan.attributes());
    assertFalse(again.refresh());
    assertEquals(2, restarted.get().size(), "the cached nodes stay while Catchpoint is down");
  }

  @Test
  void anUnknownNodeTriggersARateLimitedRefresh() throws Exception {
    Source a = new Source("a", node(1, "Frankfurt"));
    CatalogRefresher r = refresher(Collections.singletonList(a), Collections.<Node>emptyList(), null);
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);
    try {
      r.start(executor, 0);
      waitFor(() -> a.calls.get() == 1);
      a.nodes = Arrays.asList(node(1, "Frankfurt"), node(2, "New"));
      now.addAndGet(60_000);
      assertNull(r.view().find(2), "not known yet");
      Thread.sleep(100);
      assertEquals(1, a.calls.get(), "within 15 minutes of the last refresh: no new one");
      now.addAndGet(15 * 60_000L);
      assertNull(r.view().find(2));
      waitFor(() -> catalog.get().find(2) != null);
      assertEquals(2, a.calls.get());
      assertNotNull(r.view().find(1));
      assertNull(r.view().find(3));
      Thread.sleep(100);
      assertEquals(2, a.calls.get(), "one refresh per interval however many unknown nodes");
    } finally {
      executor.shutdownNow();
      executor.awaitTermination(5, TimeUnit.SECONDS);
    }
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

  private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(condition.getAsBoolean(), "condition not met in time");
  }
}
