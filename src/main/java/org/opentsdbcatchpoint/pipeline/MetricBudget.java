package org.opentsdbcatchpoint.pipeline;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Bounds the metric names the plugin creates. OpenTSDB never forgets a metric UID: each costs an
 * assignment on HBase's one max-id row and stays in {@code /api/suggest} and every dashboard's
 * metric picker for good. Names of the naming table are always allowed; every other name (derived
 * from an unknown Timing key or REST column) is allowed when the TSD already has it, or when it is
 * one of the first {@code maxNewPerRequest} new ones of a request (a push, a pulled window) and the
 * plugin holds fewer than {@code maxDerived} derived names in all. Thread-safe.
 */
public final class MetricBudget {
  private final Predicate<String> inTable;
  private final int maxNewPerRequest;
  private final int maxDerived;
  /** Derived names the TSD has (seeded from its UID table) or was allowed to create. */
  private final Set<String> derived = ConcurrentHashMap.newKeySet();

  /**
   * @param inTable true for a metric of the naming table
   * @param maxNewPerRequest {@code metrics.max_new_per_request}
   * @param maxDerived {@code metrics.max_derived}
   */
  public MetricBudget(Predicate<String> inTable, int maxNewPerRequest, int maxDerived) {
    this.inTable = inTable;
    this.maxNewPerRequest = maxNewPerRequest;
    this.maxDerived = maxDerived;
  }

  /** The plugin's metric names the TSD already holds, so that a restart does not reset the count. */
  public void seed(Collection<String> existing) {
    for (String name : existing) {
      if (!inTable.test(name)) {
        derived.add(name);
      }
    }
  }

  /** How many derived names the TSD holds that this plugin knows of. */
  public int derivedNames() {
    return derived.size();
  }

  public int maxDerived() {
    return maxDerived;
  }

  public int maxNewPerRequest() {
    return maxNewPerRequest;
  }

  /** The store refused a new name (it does not auto-create metrics): it was not created after all. */
  public void notCreated(String metric) {
    derived.remove(metric);
  }

  /** The allowance of one request; not shared between threads. */
  public Allowance allowance() {
    return new Allowance();
  }

  /** What one request may still create. */
  public final class Allowance {
    private int created;

    private Allowance() {}

    /** Null when a point of {@code metric} may be written; else why not, for the skipped field's detail. */
    public String refusal(String metric) {
      if (inTable.test(metric) || derived.contains(metric)) {
        return null;
      }
      synchronized (MetricBudget.this) {
        if (derived.contains(metric)) {
          return null;
        }
        if (created >= maxNewPerRequest) {
          return "a new metric name beyond metrics.max_new_per_request (" + maxNewPerRequest + ") for one request";
        }
        if (derived.size() >= maxDerived) {
          return "a new metric name beyond metrics.max_derived (" + maxDerived + " derived names in all)";
        }
        derived.add(metric);
        created++;
        return null;
      }
    }

    /** New names this request was allowed to create. */
    public int created() {
      return created;
    }
  }
}
