package org.opentsdbcatchpoint.mapping;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.opentsdbcatchpoint.catalog.Node;
import org.opentsdbcatchpoint.catalog.NodeCatalog;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pipeline.Measurement;
import org.opentsdbcatchpoint.pipeline.Run;

/**
 * Turns a {@link Run} into datapoints: one per measurement, tagged with the run's identity and the
 * node's enrichment tags, within the TSD's tag limit. Pure and thread-safe; push and pull share it, so
 * the same run always gives the same cells.
 */
public final class RunMapper {
  private final NodeCatalogSource catalog;
  private final List<String> enrichmentTags;
  private final int maxTags;
  private final Naming naming;

  /** Where the mapper reads the current catalog; the catalog may be swapped while running. */
  public interface NodeCatalogSource {
    NodeCatalog current();
  }

  /**
   * @param enrichmentTags enrichment tag keys to write, highest priority first (a subset of
   *     {@link Vocabulary#ENRICHMENT_TAGS})
   * @param maxTags the TSD's {@code tsd.storage.max_tags}
   */
  public RunMapper(NodeCatalogSource catalog, List<String> enrichmentTags, int maxTags) {
    this(catalog, enrichmentTags, maxTags, Naming.CONTRACT);
  }

  /** @param naming which names to write: the contract's, the old scripts', or both */
  public RunMapper(NodeCatalogSource catalog, List<String> enrichmentTags, int maxTags, Naming naming) {
    this.catalog = catalog;
    this.enrichmentTags = new ArrayList<>(enrichmentTags);
    this.maxTags = maxTags;
    this.naming = naming;
  }

  public List<DataPoint> map(Run run) {
    Map<String, String> base = new LinkedHashMap<>();
    base.put(Vocabulary.TAG_TEST_ID, Long.toString(run.testId()));
    base.put(Vocabulary.TAG_NODE_ID, Long.toString(run.nodeId()));
    base.put(Vocabulary.TAG_TEST_TYPE, run.testType());
    if (run.step() != null) {
      base.put(Vocabulary.TAG_STEP, Integer.toString(run.step()));
    }
    Map<String, String> enrichment = enrichment(run.nodeId());

    List<DataPoint> points = new ArrayList<>(run.measurements().size());
    DataPoint firstPlain = null; // the points without a part tag share its tags
    Map<String, String> legacyTags = naming.legacy() ? legacyTags(run) : null;
    for (Measurement m : run.measurements()) {
      String legacy = naming.legacy() ? legacy(m, run, legacyTags, points) : null;
      if (legacy != null && !naming.contract()) {
        continue; // written under its old name only
      }
      String partValue = m.tagKey() == null ? null : TagValues.sanitize(m.tagValue());
      if (partValue == null) {
        if (firstPlain == null) {
          firstPlain = new DataPoint(m.metric(), run.timestampSeconds(), m.value(), withEnrichment(base, enrichment));
          points.add(firstPlain);
        } else {
          points.add(firstPlain.withMetric(m.metric(), m.value()));
        }
      } else {
        Map<String, String> withPart = new LinkedHashMap<>(base);
        withPart.put(m.tagKey(), partValue);
        points.add(new DataPoint(m.metric(), run.timestampSeconds(), m.value(), withEnrichment(withPart, enrichment)));
      }
    }
    return points;
  }

  /** The old scripts' tags of a run: TestId, NodeId and StepNumber. */
  private static Map<String, String> legacyTags(Run run) {
    Map<String, String> tags = new TreeMap<>();
    tags.put(Vocabulary.LEGACY_TAG_TEST, Long.toString(run.testId()));
    tags.put(Vocabulary.LEGACY_TAG_NODE, Long.toString(run.nodeId()));
    if (run.step() != null) {
      tags.put(Vocabulary.LEGACY_TAG_STEP, Integer.toString(run.step()));
    }
    return tags;
  }

  /**
   * Adds the measurement under its old name, when the old scripts had one (a hop gets HopNumber);
   * returns that name, or null (then only the contract's name can carry it).
   */
  private static String legacy(Measurement m, Run run, Map<String, String> tags, List<DataPoint> points) {
    boolean hop = Vocabulary.TAG_HOP.equals(m.tagKey());
    if (m.tagKey() != null && !hop) {
      return null; // hosts and zones: the old scripts never wrote them
    }
    String metric = Vocabulary.legacyMetric(m.metric(), m.column());
    if (metric == null) {
      return null;
    }
    Map<String, String> t = tags;
    if (hop) {
      t = new TreeMap<>(tags);
      t.put(Vocabulary.LEGACY_TAG_HOP, m.tagValue());
    }
    points.add(new DataPoint(metric, run.timestampSeconds(), m.value(), t));
    return metric;
  }

  /** Sanitised enrichment tags in priority order; empty for an unknown node. */
  private Map<String, String> enrichment(long nodeId) {
    Map<String, String> tags = new LinkedHashMap<>();
    Node node = catalog.current().find(nodeId);
    if (node == null) {
      return tags;
    }
    for (String key : enrichmentTags) {
      String value = TagValues.sanitize(node.attribute(key));
      if (value != null) {
        tags.put(key, value);
      }
    }
    return tags;
  }

  /** Identity tags always; enrichment tags in priority order until the TSD's limit is reached. */
  private Map<String, String> withEnrichment(Map<String, String> identity, Map<String, String> enrichment) {
    // Sorted already, as DataPoint keeps them: its copy is then a linear build, not a hash map and a sort.
    Map<String, String> tags = new TreeMap<>(identity);
    for (Map.Entry<String, String> e : enrichment.entrySet()) {
      if (tags.size() >= maxTags) {
        break;
      }
      tags.put(e.getKey(), e.getValue());
    }
    return tags;
  }
}
