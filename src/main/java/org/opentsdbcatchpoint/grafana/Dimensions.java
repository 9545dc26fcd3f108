package org.opentsdbcatchpoint.grafana;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;
import org.opentsdbcatchpoint.catalog.CatalogHolder;
import org.opentsdbcatchpoint.catalog.Node;
import org.opentsdbcatchpoint.mapping.TagValues;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.opentsdbcatchpoint.names.Names;

/**
 * The things a Grafana user groups and filters by, in their words ({@code test}, {@code node},
 * {@code country}...), mapped to the tags the plugin writes, with readable names for the ids: a
 * test's name from the sources ({@link Names}), a node's from the catalog or the sources. Where two
 * tests (or nodes) share a name, the id is shown beside it.
 */
final class Dimensions {
  /** Dimension to tag key, in the order the editor lists them. */
  static final Map<String, String> TAGS = new LinkedHashMap<>();

  static {
    TAGS.put("test", Vocabulary.TAG_TEST_ID);
    TAGS.put("node", Vocabulary.TAG_NODE_ID);
    TAGS.put("test_type", Vocabulary.TAG_TEST_TYPE);
    for (String t : Vocabulary.ENRICHMENT_TAGS) {
      if (!t.equals("node")) {
        TAGS.put(t, t);
      }
    }
  }

  private final Names names;
  private final CatalogHolder catalog;
  /** Tests the configuration names (pull accounts), id to type: listed even before any data came. */
  private final Supplier<Map<Long, String>> configuredTests;

  Dimensions(Names names, CatalogHolder catalog, Supplier<Map<Long, String>> configuredTests) {
    this.names = names;
    this.catalog = catalog;
    this.configuredTests = configuredTests;
  }

  /** The tag key of a dimension, or of a tag key given as it is; null when neither. */
  static String tag(String dimension) {
    if (dimension == null) {
      return null;
    }
    String d = dimension.trim();
    if (TAGS.containsKey(d)) {
      return TAGS.get(d);
    }
    return TAGS.containsValue(d) ? d : null;
  }

  String testName(long id) {
    return names.testName(id);
  }

  String nodeName(long id) {
    Node node = catalog.find(id);
    String n = node != null ? node.attribute("node") : null;
    return n != null ? n : names.nodeName(id);
  }

  /** Every test known, id to its label: its name (with the id where names collide), else the id. */
  Map<Long, String> tests(String type) {
    Map<Long, String> byId = new LinkedHashMap<>();
    Map<Long, String> types = new LinkedHashMap<>(configuredTests.get());
    for (Map.Entry<Long, String> e : names.tests().entrySet()) {
      types.putIfAbsent(e.getKey(), names.testType(e.getKey()));
    }
    for (Map.Entry<Long, String> e : new java.util.TreeMap<>(types).entrySet()) {
      String t = names.testType(e.getKey()) != null ? names.testType(e.getKey()) : e.getValue();
      if (type == null || type.equals(t)) {
        byId.put(e.getKey(), testName(e.getKey()));
      }
    }
    return labels(byId);
  }

  /** Every node known (catalog first), id to label; of one country (or city, ISP...) when asked. */
  Map<Long, String> nodes(String attribute, String value) {
    Map<Long, String> byId = new java.util.TreeMap<>();
    for (Node n : catalog.current().all()) {
      if (attribute == null || value.equals(n.attribute(attribute))
          || value.equals(TagValues.sanitize(n.attribute(attribute)))) {
        byId.put(n.id(), n.attribute("node"));
      }
    }
    if (attribute == null) {
      for (Map.Entry<Long, String> e : names.nodes().entrySet()) {
        byId.putIfAbsent(e.getKey(), e.getValue());
      }
    }
    return labels(byId);
  }

  /** The tag values of an enrichment attribute across the catalog ({@code country}: {@code Germany}...). */
  List<String> attributeValues(String attribute) {
    TreeSet<String> out = new TreeSet<>();
    for (Node n : catalog.current().all()) {
      String v = TagValues.sanitize(n.attribute(attribute));
      if (v != null) {
        out.add(v);
      }
    }
    return new ArrayList<>(out);
  }

  /** Test types known (of the named and configured tests). */
  List<String> testTypes() {
    TreeSet<String> out = new TreeSet<>(configuredTests.get().values());
    for (Long id : names.tests().keySet()) {
      String t = names.testType(id);
      if (t != null) {
        out.add(t);
      }
    }
    return new ArrayList<>(out);
  }

  /** Ids whose name is {@code name} (or the id itself, when it is one). */
  List<String> testIds(String nameOrId) {
    return ids(nameOrId, tests(null));
  }

  List<String> nodeIds(String nameOrId) {
    return ids(nameOrId, nodes(null, null));
  }

  private static List<String> ids(String nameOrId, Map<Long, String> labels) {
    String v = nameOrId.trim();
    if (v.matches("\\d{1,18}")) {
      return Collections.singletonList(v);
    }
    List<String> out = new ArrayList<>();
    for (Map.Entry<Long, String> e : labels.entrySet()) {
      if (e.getValue().equals(v) || e.getValue().equals(v + " (" + e.getKey() + ")")
          || e.getValue().startsWith(v + " (")) {
        out.add(Long.toString(e.getKey()));
      }
    }
    return out;
  }

  /**
   * How tag values are shown: a test or node id as its label, any other value as it is. The labels
   * are taken once, for one answer of many series or rows.
   */
  BinaryOperator<String> display() {
    Map<Long, String> tests = tests(null);
    Map<Long, String> nodes = nodes(null, null);
    return (tagKey, value) -> {
      boolean test = Vocabulary.TAG_TEST_ID.equals(tagKey);
      if (value == null || !(test || Vocabulary.TAG_NODE_ID.equals(tagKey))) {
        return value;
      }
      try {
        String label = (test ? tests : nodes).get(Long.parseLong(value));
        return label != null ? label : value;
      } catch (NumberFormatException e) {
        return value;
      }
    };
  }

  /** Names, with the id beside a name two ids share, and the bare id where there is no name. */
  private static Map<Long, String> labels(Map<Long, String> byId) {
    Map<String, Integer> count = new LinkedHashMap<>();
    for (String n : byId.values()) {
      if (n != null) {
        count.merge(n, 1, Integer::sum);
      }
    }
    Map<Long, String> out = new LinkedHashMap<>();
    for (Map.Entry<Long, String> e : byId.entrySet()) {
      String n = e.getValue();
      out.put(e.getKey(), n == null ? Long.toString(e.getKey()) : count.get(n) > 1 ? n + " (" + e.getKey() + ")" : n);
    }
    return out;
  }
}
