package org.opentsdbcatchpoint.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Catchpoint node as the catalog knows it: its id and its enrichment tags, keyed by the tag keys of
 * {@link org.opentsdbcatchpoint.mapping.Vocabulary#ENRICHMENT_TAGS} (raw, not yet sanitised).
 */
public final class Node {
  private final long id;
  private final Map<String, String> attributes;

  public Node(long id, Map<String, String> attributes) {
    this.id = id;
    Map<String, String> copy = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      if (e.getValue() != null && !e.getValue().trim().isEmpty()) {
        copy.put(e.getKey(), e.getValue().trim());
      }
    }
    this.attributes = Collections.unmodifiableMap(copy);
  }

  public long id() {
    return id;
  }

  /** Enrichment values by tag key; missing keys are simply absent. */
  public Map<String, String> attributes() {
    return attributes;
  }

  public String attribute(String tagKey) {
    return attributes.get(tagKey);
  }

  @Override
  public String toString() {
    return "Node{" + id + ", " + attributes + "}";
  }
}
