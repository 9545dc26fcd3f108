package org.opentsdbcatchpoint.tsd;

import com.stumbleupon.async.Callback;
import com.stumbleupon.async.Deferred;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.opentsdb.core.TSDB;
import net.opentsdb.uid.NoSuchUniqueName;
import net.opentsdb.uid.UniqueId;
import net.opentsdb.uid.UniqueId.UniqueIdType;
import org.opentsdbcatchpoint.pipeline.DataPoint;

/**
 * Gives the names of a batch of points their UIDs before the points are written, all at once. The
 * TSD's {@code addPoint} resolves a name it has not cached with a blocking call, and assigns a new one
 * with several HBase round trips, one name after another: the first pull of a window of new nodes
 * spent most of its time there. Here every name the TSD has not seen is looked up (or assigned)
 * through the asynchronous UID calls, concurrently; once they are back, the TSD's own cache holds
 * them and {@code addPoint} does not block.
 *
 * <p>A name is assigned only where the TSD would assign it itself ({@code tsd.core.auto_create_*}),
 * through a {@link UniqueId} of the TSD's own table and kind (the same atomic assignment as the TSD's,
 * so two TSDs or this one and the TSD never give one name two UIDs). A failure here only means the
 * point goes the TSD's own, slower, way.
 */
final class UidPreparer {
  /** Names remembered as ready, per kind; beyond it they are only checked again (a cheap cache hit). */
  static final int MAX_REMEMBERED = 200_000;
  static final CompletableFuture<Void> READY = CompletableFuture.completedFuture(null);

  private final TSDB tsdb;
  private final Kind metrics;
  private final Kind tagKeys;
  private final Kind tagValues;

  UidPreparer(TSDB tsdb) {
    this.tsdb = tsdb;
    boolean randomMetrics = tsdb.getConfig().getBoolean("tsd.core.uid.random_metrics");
    metrics = new Kind(UniqueIdType.METRIC, tsdb.getConfig().auto_metric()
        ? new UniqueId(tsdb, tsdb.uidTable(), "metrics", TSDB.metrics_width(), randomMetrics) : null);
    tagKeys = new Kind(UniqueIdType.TAGK, tsdb.getConfig().auto_tagk()
        ? new UniqueId(tsdb, tsdb.uidTable(), "tagk", TSDB.tagk_width(), false) : null);
    tagValues = new Kind(UniqueIdType.TAGV, tsdb.getConfig().auto_tagv()
        ? new UniqueId(tsdb, tsdb.uidTable(), "tagv", TSDB.tagv_width(), false) : null);
  }

  /** Completes once every name of these points is in the TSD's UID cache, or could not be put there. */
  CompletableFuture<Void> prepare(List<DataPoint> points) {
    Set<String> newMetrics = null;
    Set<String> newKeys = null;
    Set<String> newValues = null;
    Map<String, String> lastTags = null;
    for (DataPoint p : points) {
      if (!metrics.ready(p.metric())) {
        newMetrics = add(newMetrics, p.metric());
      }
      if (p.tags() == lastTags) {
        continue; // the points of a run share their tags
      }
      lastTags = p.tags();
      for (Map.Entry<String, String> t : p.tags().entrySet()) {
        if (!tagKeys.ready(t.getKey())) {
          newKeys = add(newKeys, t.getKey());
        }
        if (!tagValues.ready(t.getValue())) {
          newValues = add(newValues, t.getValue());
        }
      }
    }
    if (newMetrics == null && newKeys == null && newValues == null) {
      return READY;
    }
    List<Deferred<Object>> pending = new ArrayList<>();
    metrics.resolve(newMetrics, pending);
    tagKeys.resolve(newKeys, pending);
    tagValues.resolve(newValues, pending);
    CompletableFuture<Void> done = new CompletableFuture<>();
    AtomicInteger left = new AtomicInteger(pending.size());
    Callback<Object, Object> one = new Callback<Object, Object>() {
      @Override
      public Object call(Object ignored) {
        if (left.decrementAndGet() == 0) {
          done.complete(null);
        }
        return null;
      }

      @Override
      public String toString() {
        return "catchpoint UID ready callback";
      }
    };
    for (Deferred<Object> d : pending) {
      d.addBoth(one);
    }
    return done;
  }

  private static Set<String> add(Set<String> set, String name) {
    Set<String> s = set != null ? set : new LinkedHashSet<>();
    s.add(name);
    return s;
  }

  /** One kind of UID: the names known to be ready, and how to make a new one ready. */
  private final class Kind {
    final UniqueIdType type;
    /** Null when the TSD does not auto-create this kind: a missing name is left to addPoint. */
    final UniqueId assigner;
    final Set<String> ready = ConcurrentHashMap.newKeySet();

    Kind(UniqueIdType type, UniqueId assigner) {
      this.type = type;
      this.assigner = assigner;
    }

    boolean ready(String name) {
      return ready.contains(name);
    }

    void resolve(Set<String> names, List<Deferred<Object>> pending) {
      if (names == null) {
        return;
      }
      for (String name : names) {
        pending.add(tsdb.getUIDAsync(type, name).addCallbacks(new Ready(name), new Missing(name)));
      }
    }

    void remember(String name) {
      if (ready.size() < MAX_REMEMBERED) {
        ready.add(name);
      }
    }

    /** The TSD has the name (and now caches it). */
    private final class Ready implements Callback<Object, byte[]> {
      private final String name;

      Ready(String name) {
        this.name = name;
      }

      @Override
      public Object call(byte[] uid) {
        remember(name);
        return null;
      }

      @Override
      public String toString() {
        return "catchpoint UID found callback";
      }
    }

    /** The TSD lacks the name: assign it, then let the TSD look it up so that its own cache has it. */
    private final class Missing implements Callback<Object, Exception> {
      private final String name;

      Missing(String name) {
        this.name = name;
      }

      @Override
      public Object call(Exception e) {
        if (!(e instanceof NoSuchUniqueName) || assigner == null) {
          return null; // addPoint will say what is wrong, in its own way
        }
        return assigner.getOrCreateIdAsync(name).addCallbackDeferring(new Callback<Deferred<Object>, byte[]>() {
          @Override
          public Deferred<Object> call(byte[] assigned) {
            return tsdb.getUIDAsync(type, name).addCallbacks(new Ready(name), new Callback<Object, Exception>() {
              @Override
              public Object call(Exception ignored) {
                return null;
              }
            });
          }

          @Override
          public String toString() {
            return "catchpoint UID assigned callback";
          }
        }).addErrback(new Callback<Object, Exception>() {
          @Override
          public Object call(Exception ignored) {
            return null;
          }
        });
      }

      @Override
      public String toString() {
        return "catchpoint UID missing errback";
      }
    }
  }
}
