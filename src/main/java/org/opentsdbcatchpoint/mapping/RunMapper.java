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
    this.catalog = catalog;
    this.enrichmentTags = new ArrayList<>(enrichmentTags);
    this.maxTags = maxTags;
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
    for (Measurement m : run.measurements()) {
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
