package org.opentsdbcatchpoint.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the node catalog current: fetches every source (one per pull account) on a schedule and when
 * a run names a node the catalog does not know (at most once per {@code minUnknownRefreshMillis}),
 * builds a new snapshot and swaps it in atomically. What a source returned last is kept when it fails
 * later, so one account's outage does not drop its nodes. The merged catalog is written to a cache
 * file (the v1 node list shape, read back by {@link NodeCatalogReader}) so a TSD that restarts while
 * Catchpoint is unreachable still enriches. Nodes of the static {@code catalog.file} come first;
 * fetched nodes replace their attributes (see {@link #merge}).
 */
public final class CatalogRefresher {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogRefresher.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String CACHE = "(cache file)";

  private final List<NodeSource> sources;
  private final AtomicReference<NodeCatalog> target;
  private final List<Node> staticNodes;
  private final Path cacheFile;
  private final LongSupplier nowMillis;
  private final long minUnknownRefreshMillis;
  /** Last good node list per source (and the cache file until every source answered once). */
  private final Map<String, List<Node>> lastGood = new LinkedHashMap<>();
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private volatile Executor executor;
  private volatile long lastAttemptMillis;
  private volatile long lastSuccessMillis;
  private volatile String lastError;
  private final NodeCatalog view = new NodeCatalog() {
    @Override
    public Node find(long nodeId) {
      Node n = target.get().find(nodeId);
      if (n == null) {
        unknownNode(nodeId);
      }
      return n;
    }

    @Override
    public int size() {
      return target.get().size();
    }
  };

  /**
   * @param target the catalog the mapper reads; replaced whole, never changed in place
   * @param staticNodes nodes of {@code catalog.file}, or empty
   * @param cacheFile where the last good catalog is kept, or null
   */
  public CatalogRefresher(List<? extends NodeSource> sources, AtomicReference<NodeCatalog> target,
      Collection<Node> staticNodes, Path cacheFile, LongSupplier nowMillis, long minUnknownRefreshMillis) {
    this.sources = new ArrayList<>(sources);
    this.target = target;
    this.staticNodes = new ArrayList<>(staticNodes);
    this.cacheFile = cacheFile;
    this.nowMillis = nowMillis;
    this.minUnknownRefreshMillis = minUnknownRefreshMillis;
  }

  /** The catalog to hand the mapper: lookups go to the current snapshot; a miss may trigger a refresh. */
  public NodeCatalog view() {
    return view;
  }

  /** Takes the cache file's nodes (if the file exists and is readable) on top of the static ones. */
  public synchronized boolean loadCache() {
    if (cacheFile == null || !Files.isRegularFile(cacheFile)) {
      return false;
    }
    try {
      List<Node> nodes = NodeCatalogReader.read(cacheFile);
      lastGood.put(CACHE, nodes);
      swap();
      LOG.info("node catalog: {} nodes from the cache {}", nodes.size(), cacheFile);
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.warn("node catalog: the cache {} cannot be read ({}); it is rewritten after the next refresh", cacheFile,
          e.toString());
      return false;
    }
  }

  /**
   * Fetches every source once and swaps in the merged catalog.
   *
   * @return true when at least one source answered
   */
  public boolean refresh() throws InterruptedException {
    if (!refreshing.compareAndSet(false, true)) {
      return false;
    }
    try {
      lastAttemptMillis = nowMillis.getAsLong();
      int ok = 0;
      List<String> errors = new ArrayList<>();
      Map<String, List<Node>> fetched = new LinkedHashMap<>();
      for (NodeSource s : sources) {
        try {
          fetched.put(s.name(), s.nodes());
          ok++;
        } catch (IOException | RuntimeException e) {
          errors.add(s.name() + ": " + e.getMessage());
        }
      }
      synchronized (this) {
        lastGood.putAll(fetched);
        if (ok == sources.size()) {
          lastGood.remove(CACHE);
        }
        if (ok > 0) {
          swap();
          lastSuccessMillis = nowMillis.getAsLong();
          persist();
        }
      }
      lastError = errors.isEmpty() ? null : String.join("; ", errors);
      if (!errors.isEmpty()) {
        LOG.warn("node catalog: refresh failed for {} (the last good nodes are kept)", lastError);
      } else {
        LOG.info("node catalog: {} nodes after refreshing from {} account(s)", target.get().size(), ok);
      }
      return ok > 0;
    } finally {
      refreshing.set(false);
    }
  }

  /**
   * Refreshes now and then every {@code intervalMillis} (0: only now) on the given executor; every run
   * is guarded. Unknown-node refreshes run on the same executor.
   */
  public void start(ScheduledExecutorService scheduler, long intervalMillis) {
    this.executor = scheduler;
    if (sources.isEmpty()) {
      return;
    }
    Runnable guarded = this::guardedRefresh;
    if (intervalMillis > 0) {
      scheduler.scheduleWithFixedDelay(guarded, 0, intervalMillis, TimeUnit.MILLISECONDS);
    } else {
      scheduler.execute(guarded);
    }
  }

  /** A run named a node the catalog does not know: refresh soon, at most once per the minimum interval. */
  void unknownNode(long nodeId) {
    Executor e = executor;
    long now = nowMillis.getAsLong();
    if (e == null || sources.isEmpty() || refreshing.get() || now - lastAttemptMillis < minUnknownRefreshMillis) {
      return;
    }
    lastAttemptMillis = now;
    LOG.info("node catalog: node {} is unknown; refreshing", nodeId);
    try {
      e.execute(this::guardedRefresh);
    } catch (RejectedExecutionException stopped) {
      // shutting down
    }
  }

  private void guardedRefresh() {
    try {
      refresh();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      lastError = t.toString();
      LOG.error("node catalog: refresh failed unexpectedly; the schedule goes on", t);
    }
  }

  /** When the catalog was last refreshed from Catchpoint (epoch millis), 0 when never. */
  public long lastSuccessMillis() {
    return lastSuccessMillis;
  }

  public String lastError() {
    return lastError;
  }

  private void swap() {
    List<Node> all = new ArrayList<>(staticNodes);
    for (List<Node> nodes : lastGood.values()) {
      all.addAll(nodes);
    }
    target.set(new StaticNodeCatalog(merge(all)));
  }

  /**
   * One node per id; where several sources know a node, a later one wins attribute by attribute and
   * an attribute it lacks is kept (v2's /nodes/all has no region or continent: list v2 sources
   * before v1 ones so v1's richer records win). An ISP that is only the tail of the node's name (the
   * reader's guess when a record has none, as v2's /nodes/all never has) does not replace an ISP
   * already known: the isp tag of a node must not change when a v2 account refreshes the catalog.
   */
  static List<Node> merge(List<Node> nodes) {
    Map<Long, Map<String, String>> byId = new LinkedHashMap<>();
    for (Node n : nodes) {
      Map<String, String> a = byId.get(n.id());
      if (a == null) {
        byId.put(n.id(), new LinkedHashMap<>(n.attributes()));
      } else {
        String known = a.get("isp");
        a.putAll(n.attributes());
        String isp = n.attribute("isp");
        if (known != null && isp != null && isp.equals(NodeCatalogReader.ispFromName(n.attribute("node")))) {
          a.put("isp", known);
        }
      }
    }
    List<Node> out = new ArrayList<>();
    for (Map.Entry<Long, Map<String, String>> e : byId.entrySet()) {
      out.add(new Node(e.getKey(), e.getValue()));
    }
    return out;
  }

  private void persist() {
    if (cacheFile == null) {
      return;
    }
    List<Node> all = new ArrayList<>();
    for (List<Node> nodes : lastGood.values()) {
      all.addAll(nodes);
    }
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ArrayNode items = root.putArray("items");
    for (Node n : merge(all)) {
      ObjectNode item = items.addObject();
      item.put("id", n.id());
      for (Map.Entry<String, String> a : n.attributes().entrySet()) {
        item.put("node".equals(a.getKey()) ? "name" : a.getKey(), a.getValue());
      }
    }
    try {
      Path dir = cacheFile.toAbsolutePath().getParent();
      Path tmp = Files.createTempFile(dir, cacheFile.getFileName().toString(), ".tmp");
      try {
        try (OutputStream out = Files.newOutputStream(tmp)) {
          MAPPER.writerWithDefaultPrettyPrinter().writeValue(out, root);
        }
        try {
          Files.move(tmp, cacheFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, cacheFile, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      LOG.warn("node catalog: cannot write the cache {}: {}", cacheFile, e.toString());
    }
  }
}
