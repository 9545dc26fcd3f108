package org.opentsdbcatchpoint.catalog;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Any node catalog, read by {@link NodeCatalogReader} as the plugin reads {@code catalog.file}, the
 * catalog cache and the catalog the TSDs share: a list of nodes, or an {@link IOException} saying it is
 * no node list (which the settings report and the refresher logs); never another exception. Seeds: the
 * shared {@code rest-v1-nodes} and {@code rest-v2-nodes-all} fixtures and the stack's catalog, in
 * {@code NodeCatalogFuzzTestInputs/catalog/}.
 */
class NodeCatalogFuzzTest {
  private static final List<String> ATTRIBUTES = Arrays.asList("asn", "city", "country", "isp", "region",
      "continent", "network_type", "node");

  @FuzzTest(maxDuration = "30s")
  @DictionaryFile(resourcePath = "/org/opentsdbcatchpoint/fuzz-json.dict")
  void catalog(byte[] file) {
    List<Node> nodes;
    try {
      nodes = NodeCatalogReader.read(new ByteArrayInputStream(file));
    } catch (IOException notACatalog) {
      assertTrue(notACatalog.getMessage() != null, "the error says what");
      return;
    }
    StaticNodeCatalog catalog = new StaticNodeCatalog(nodes);
    for (Node n : nodes) {
      assertTrue(catalog.find(n.id()) != null, () -> "the catalog has node " + n.id());
      n.attributes().forEach((k, v) -> {
        assertTrue(ATTRIBUTES.contains(k), () -> "an attribute the catalog does not have: " + k + " of " + n);
        assertTrue(v == null || !v.trim().isEmpty(), () -> "a blank attribute " + k + " of " + n);
      });
    }
  }
}
