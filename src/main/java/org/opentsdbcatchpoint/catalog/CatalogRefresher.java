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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the node catalog current: fetches every source (one per pull account) on a schedule, and
 * when a source asks to {@link #learn} a node the catalog does not know (at most one such refresh per
 * {@code minUnknownRefreshMillis}), builds a new snapshot and swaps it into the {@link CatalogHolder}.
 * What a source returned last is kept when it fails later, so one account's outage does not drop its
 * nodes. The merged catalog is written to a cache file (the v1 node list shape, read back by
 * {@link NodeCatalogReader}) so a TSD that restarts while Catchpoint is unreachable still enriches.
 * Nodes of the static {@code catalog.file} come first; fetched nodes replace their attributes (see
 * {@link #merge}).
 *
 * <p>A node that a refresh did not find (or that no refresh could look for, Catchpoint being
 * unreachable) is known to be unknown until the next scheduled refresh: runs naming it are written
 * without enrichment at once, and it costs Catchpoint no more calls.
 */
public final class CatalogRefresher implements NodeLookup {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogRefresher.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String CACHE = "(cache file)";
  private static final String SHARED = "(shared by the TSD that fetched it)";
  /** How often a TSD looks for a newer shared catalog (one small read). */
  static final long SHARE_POLL_MILLIS = 30_000L;
  /** Nodes remembered as unknown, and nodes waited for, at most: beyond that they are not waited for. */
  static final int MAX_UNKNOWN_NODES = 10_000;

  private final List<NodeSource> sources;
  private final CatalogHolder holder;
  private final List<Node> staticNodes;
  private final Path cacheFile;
  private final LongSupplier nowMillis;
  private final long minUnknownRefreshMillis;
  private final CatalogShare share;
  /** True while this TSD fetches the catalog for all (it holds the catalog lease, or nothing is shared). */
  private final BooleanSupplier fetchesForAll;
  /** The version of the shared catalog this TSD has (published or taken). */
  private volatile long sharedVersion;
  /** Last good node list per source (and the cache file until every source answered once). */
  private final Map<String, List<Node>> lastGood = new LinkedHashMap<>();
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private final CompletableFuture<Void> firstLoad = new CompletableFuture<>();
  /** Nodes a source is waiting for, with what it waits on; guarded by {@code this}. */
  private final Map<Long, CompletableFuture<Boolean>> waiting = new LinkedHashMap<>();
  /** Nodes a refresh looked for and did not find; guarded by {@code this}. */
  private final Set<Long> unknown = new LinkedHashSet<>();
  /** A refresh is coming that answers whoever waits: one asked for, or the first scheduled one. */
  private boolean unknownRefreshScheduled;
  private volatile ScheduledExecutorService executor;
  private volatile long lastAttemptMillis;
  private volatile long lastSuccessMillis;
  private volatile String lastError;

  /**
   * @param holder the catalog the mapper reads; replaced whole, never changed in place
   * @param staticNodes nodes of {@code catalog.file}, or empty
   * @param cacheFile where the last good catalog is kept, or null
   */
  public CatalogRefresher(List<? extends NodeSource> sources, CatalogHolder holder, Collection<Node> staticNodes,
      Path cacheFile, LongSupplier nowMillis, long minUnknownRefreshMillis) {
    this(sources, holder, staticNodes, cacheFile, nowMillis, minUnknownRefreshMillis, CatalogShare.NONE, () -> true);
  }

  /**
   * @param share where the TSDs of one HBase share the catalog
   * @param fetchesForAll true while this TSD fetches for all; the others take the shared copy, and ask
   *     Catchpoint themselves only for a node that copy does not have
   */
  public CatalogRefresher(List<? extends NodeSource> sources, CatalogHolder holder, Collection<Node> staticNodes,
      Path cacheFile, LongSupplier nowMillis, long minUnknownRefreshMillis, CatalogShare share,
      BooleanSupplier fetchesForAll) {
    this.share = share;
    this.fetchesForAll = fetchesForAll;
    this.sources = new ArrayList<>(sources);
    this.holder = holder;
    this.staticNodes = new ArrayList<>(staticNodes);
    this.cacheFile = cacheFile;
    this.nowMillis = nowMillis;
    this.minUnknownRefreshMillis = minUnknownRefreshMillis;
    if (this.sources.isEmpty()) {
      firstLoad.complete(null); // nothing to fetch: the static nodes are the catalog
    }
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
      firstLoad.complete(null);
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.warn("node catalog: the cache {} cannot be read ({}); it is rewritten after the next refresh", cacheFile,
          e.toString());
      return false;
    }
  }

  /**
   * Completes when the catalog has had its first load: from the cache file, or the first refresh
   * from Catchpoint (answered or not); at once when there is nothing to fetch.
   */
  public CompletableFuture<Void> firstLoad() {
    return firstLoad;
  }

  /** A scheduled refresh: forgets which nodes were not found, so that they may be looked for again. */
  boolean scheduledRefresh() throws InterruptedException {
    synchronized (this) {
      unknown.clear();
    }
    if (share != CatalogShare.NONE && !fetchesForAll.getAsBoolean()) {
      boolean taken = takeShared();
      answerWaiting();
      firstLoad.complete(null);
      return taken;
    }
    return refresh();
  }

  /**
   * Takes the shared catalog when it is newer than this TSD's; one small read when it is not.
   *
   * @return true when this TSD has a shared catalog (taken now or before)
   */
  public boolean takeShared() {
    if (share == CatalogShare.NONE) {
      return false;
    }
    try {
      long version = share.version();
      if (version <= sharedVersion) {
        return sharedVersion > 0;
      }
      byte[] json = share.read();
      if (json == null) {
        return false;
      }
      List<Node> nodes = NodeCatalogReader.read(new java.io.ByteArrayInputStream(json));
      synchronized (this) {
        lastGood.clear();
        lastGood.put(SHARED, nodes);
        swap();
        persist();
      }
      sharedVersion = version;
      lastSuccessMillis = version;
      lastError = null;
      LOG.info("node catalog: {} nodes from the copy another TSD fetched", holder.size());
      firstLoad.complete(null);
      return true;
    } catch (IOException | RuntimeException e) {
      lastError = "the shared catalog: " + e.getMessage();
      LOG.warn("node catalog: cannot read the shared copy ({}); the nodes known are kept", e.toString());
      return sharedVersion > 0;
    }
  }

  /**
   * This TSD now fetches for all: it fetches now unless the shared copy is younger than
   * {@code maxAgeMillis} (a TSD that fetched it just before).
   */
  public void fetchingForAll(long maxAgeMillis) {
    ScheduledExecutorService e = executor;
    long age = nowMillis.getAsLong() - Math.max(sharedVersion, lastSuccessMillis);
    if (e != null && (sharedVersion == 0 || age >= maxAgeMillis)) {
      try {
        e.execute(() -> guarded(false));
      } catch (RejectedExecutionException stopped) {
        // shutting down
      }
    }
  }

  /**
   * Fetches every source once, swaps in the merged catalog, and answers the sources waiting for a
   * node.
   *
   * @return true when at least one source answered
   */
  public boolean refresh() throws InterruptedException {
    if (!refreshing.compareAndSet(false, true)) {
      return false;
    }
    boolean answered = false;
    try {
      if (share != CatalogShare.NONE && !fetchesForAll.getAsBoolean() && takeShared() && !waitedForAreUnknown()) {
        return true; // the shared copy has every node waited for: no call to Catchpoint
      }
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
          lastGood.remove(SHARED);
          swap();
          lastSuccessMillis = nowMillis.getAsLong();
          persist();
          if (ok == sources.size()) {
            publish(lastSuccessMillis);
          }
        }
      }
      lastError = errors.isEmpty() ? null : String.join("; ", errors);
      if (!errors.isEmpty()) {
        LOG.warn("node catalog: refresh failed for {} (the last good nodes are kept)", lastError);
      } else {
        LOG.info("node catalog: {} nodes after refreshing from {} account(s)", holder.size(), ok);
      }
      answered = ok > 0;
      return answered;
    } finally {
      refreshing.set(false);
      answerWaiting();
      firstLoad.complete(null);
    }
  }

  /**
   * Refreshes now and then every {@code intervalMillis} (0: only now) on the given executor; every run
   * is guarded. The refreshes that {@link #learn} asks for run on the same executor.
   */
  public void start(ScheduledExecutorService scheduler, long intervalMillis) {
    if (sources.isEmpty()) {
      this.executor = scheduler;
      if (share != CatalogShare.NONE) {
        // Nothing to fetch from (no pull account): the copy another TSD fetched, now and when it changes.
        scheduler.scheduleWithFixedDelay(this::takeShared, 0, SHARE_POLL_MILLIS, TimeUnit.MILLISECONDS);
      }
      return;
    }
    synchronized (this) {
      unknownRefreshScheduled = true; // the first refresh, now
      this.executor = scheduler;
    }
    if (intervalMillis > 0) {
      scheduler.scheduleWithFixedDelay(() -> guarded(true), 0, intervalMillis, TimeUnit.MILLISECONDS);
    } else {
      scheduler.execute(() -> guarded(true));
    }
    if (share != CatalogShare.NONE) {
      // A newer copy fetched by another TSD is taken within this long.
      scheduler.scheduleWithFixedDelay(this::takeShared, SHARE_POLL_MILLIS, SHARE_POLL_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public boolean knows(long nodeId) {
    return holder.find(nodeId) != null;
  }

  @Override
  public CompletableFuture<Boolean> learn(long nodeId) {
    if (knows(nodeId)) {
      return CompletableFuture.completedFuture(true);
    }
    if (sources.isEmpty() || executor == null) {
      return CompletableFuture.completedFuture(false); // no refresh will come
    }
    synchronized (this) {
      if (unknown.contains(nodeId)) {
        return CompletableFuture.completedFuture(false);
      }
      CompletableFuture<Boolean> wait = waiting.get(nodeId);
      if (wait == null) {
        if (waiting.size() >= MAX_UNKNOWN_NODES) {
          return CompletableFuture.completedFuture(false);
        }
        wait = new CompletableFuture<>();
        waiting.put(nodeId, wait);
        LOG.info("node catalog: node {} is unknown; refreshing", nodeId);
      }
      scheduleUnknownRefresh();
      return wait;
    }
  }

  /** Whether a node some source waits for is still not in the catalog. */
  private synchronized boolean waitedForAreUnknown() {
    for (Long id : waiting.keySet()) {
      if (!knows(id)) {
        return true;
      }
    }
    return false;
  }

  /** Shares what this TSD fetched from every source with the other TSDs. */
  private void publish(long version) {
    if (share == CatalogShare.NONE) {
      return;
    }
    try {
      share.publish(version, MAPPER.writeValueAsBytes(cacheJson()));
      sharedVersion = version;
    } catch (IOException | RuntimeException e) {
      LOG.warn("node catalog: cannot share it with the other TSDs ({}); they keep the copy they have", e.toString());
    }
  }

  /** Nodes a refresh looked for and did not find (since the last scheduled refresh), for the health page. */
  public synchronized List<Long> unknownNodes() {
    return new ArrayList<>(unknown);
  }

  /** One refresh for the nodes waited for, no sooner than the minimum interval after the last attempt. */
  private void scheduleUnknownRefresh() {
    ScheduledExecutorService e = executor;
    if (unknownRefreshScheduled || refreshing.get()) {
      return; // one is coming that answers
    }
    long delay = Math.max(0, lastAttemptMillis + minUnknownRefreshMillis - nowMillis.getAsLong());
    try {
      e.schedule(() -> guarded(false), delay, TimeUnit.MILLISECONDS);
      unknownRefreshScheduled = true;
    } catch (RejectedExecutionException stopped) {
      answerWaiting(); // shutting down: nobody will look
    }
  }

  /** After a refresh: every node waited for is known now, or known to be unknown. */
  private void answerWaiting() {
    List<Map.Entry<Long, CompletableFuture<Boolean>>> answered;
    synchronized (this) {
      unknownRefreshScheduled = false;
      answered = new ArrayList<>(waiting.entrySet());
      waiting.clear();
      for (Map.Entry<Long, CompletableFuture<Boolean>> w : answered) {
        if (!knows(w.getKey()) && unknown.size() < MAX_UNKNOWN_NODES) {
          unknown.add(w.getKey());
        }
      }
    }
    for (Map.Entry<Long, CompletableFuture<Boolean>> w : answered) {
      boolean known = knows(w.getKey());
      if (!known) {
        LOG.info("node catalog: node {} is not in Catchpoint's node lists (or they could not be fetched); its runs "
            + "are written without enrichment tags until the next scheduled refresh", w.getKey());
      }
      w.getValue().complete(known);
    }
  }

  private void guarded(boolean scheduled) {
    try {
      if (scheduled) {
        scheduledRefresh();
      } else {
        refresh();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      lastError = t.toString();
      LOG.error("node catalog: refresh failed unexpectedly; the schedule goes on", t);
    }
  }

  /** Nodes in the catalog now. */
  public int size() {
    return holder.size();
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
    holder.replace(new StaticNodeCatalog(merge(all)));
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

  /** The fetched nodes (not the static ones) in the cache file's shape, which the reader reads back. */
  private synchronized ObjectNode cacheJson() {
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
    return root;
  }

  private void persist() {
    if (cacheFile == null) {
      return;
    }
    ObjectNode root = cacheJson();
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
