package org.opentsdbcatchpoint.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentsdbcatchpoint.Fixtures;
import org.opentsdbcatchpoint.mapping.Vocabulary;

class NodeCatalogReaderTest {

  private static List<Node> read(String json) throws IOException {
    return NodeCatalogReader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  private static Map<String, String> attrs(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private static Node byId(List<Node> nodes, long id) {
    return nodes.stream().filter(n -> n.id() == id).findFirst().orElseThrow(() -> new AssertionError("no node " + id));
  }

  @Test
  void restV1NodesFixture() throws IOException {
    List<Node> nodes = NodeCatalogReader.read(Fixtures.path("rest-v1-nodes.json"));
    assertEquals(List.of(540L, 312L, 313L, 88L, 701L), nodes.stream().map(Node::id).collect(Collectors.toList()));

    assertEquals(attrs("asn", "AS16509", "city", "Frankfurt", "country", "Germany", "isp", "Amazon",
        "region", "Hesse", "continent", "Europe", "network_type", "Public Cloud", "node", "Frankfurt, DE - AWS"),
        byId(nodes, 540).attributes());
    assertEquals(attrs("asn", "AS4837", "city", "Jinan", "country", "China", "isp", "China Unicom (CNC)",
        "region", "Shandong", "continent", "Asia", "network_type", "Backbone", "node", "Jinan, CN - Unicom"),
        byId(nodes, 313).attributes());
    assertEquals(attrs("asn", "AS26599", "city", "São Paulo", "country", "Brazil", "isp", "Telefônica Brasil (Vivo)",
        "region", "São Paulo", "continent", "South America", "network_type", "Last Mile",
        "node", "São Paulo, BR - Vivo"), byId(nodes, 701).attributes());
    assertEquals("Level 3", byId(nodes, 88).attribute("isp"));
    assertEquals("New South Wales", byId(nodes, 312).attribute("region"));
  }

  @Test
  void attributeKeysAreTheEnrichmentTagsInPriorityOrder() throws IOException {
    Node n = byId(NodeCatalogReader.read(Fixtures.path("rest-v1-nodes.json")), 540);
    assertEquals(Vocabulary.ENRICHMENT_TAGS, List.copyOf(n.attributes().keySet()));
  }

  @Test
  void readFromStreamEqualsReadFromFile() throws IOException {
    List<Node> fromFile = NodeCatalogReader.read(Fixtures.path("rest-v1-nodes.json"));
    try (InputStream in = new ByteArrayInputStream(Fixtures.bytes("rest-v1-nodes.json"))) {
      List<Node> fromStream = NodeCatalogReader.read(in);
      assertEquals(fromFile.size(), fromStream.size());
      for (int i = 0; i < fromFile.size(); i++) {
        assertEquals(fromFile.get(i).id(), fromStream.get(i).id());
        assertEquals(fromFile.get(i).attributes(), fromStream.get(i).attributes());
      }
    }
  }

  @Test
  void restV2NodesAllFixture() throws IOException {
    List<Node> nodes = NodeCatalogReader.read(Fixtures.path("rest-v2-nodes-all.json"));
    assertEquals(1, nodes.size());
    Node n = nodes.get(0);
    assertEquals(540L, n.id());
    // v2 has no ISP, region or continent: the ISP comes from the node name
    assertEquals(attrs("asn", "AS16509", "city", "Frankfurt", "country", "Germany", "isp", "AWS",
        "network_type", "PublicCloud", "node", "Frankfurt, DE - AWS"), n.attributes());
  }

  @Test
  void v2EnterpriseNodeFields() throws IOException {
    List<Node> nodes = read("{\"data\":{\"nodes\":[{\"id\":9,\"name\":\"Office, US - Comcast\","
        + "\"asn\":{\"id\":7922,\"name\":\"COMCAST\"},\"state\":{\"id\":1,\"name\":\"Oregon\"},"
        + "\"continent\":{\"id\":1,\"name\":\"North America\"},"
        + "\"internetServiceProvider\":{\"id\":3,\"name\":\"Comcast Cable\"},\"networkType\":\"Last Mile\"}]}}");
    assertEquals(attrs("asn", "AS7922", "isp", "Comcast Cable", "region", "Oregon", "continent", "North America",
        "network_type", "Last Mile", "node", "Office, US - Comcast"), nodes.get(0).attributes());
  }

  @Test
  void plainArray() throws IOException {
    List<Node> nodes = read("[{\"id\":1,\"name\":\"A, AA - Isp\"},{\"id\":\"2\",\"city\":\"Paris\"}]");
    assertEquals(2, nodes.size());
    assertEquals(attrs("isp", "Isp", "node", "A, AA - Isp"), nodes.get(0).attributes());
    assertEquals(2L, nodes.get(1).id());
    assertEquals(attrs("city", "Paris"), nodes.get(1).attributes());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"value\":\"AS3356\",\"name\":\"LEVEL3\"} | AS3356",
      "{\"value\":\"3356\"}                      | AS3356",
      "{\"id\":3356}                             | AS3356",
      "3356                                      | AS3356",
      "\"3356\"                                  | AS3356",
      "\" AS3356 \"                              | AS3356"})
  void asnShapes(String asnJson, String expected) throws IOException {
    Node n = read("{\"items\":[{\"id\":1,\"asn\":" + asnJson + "}]}").get(0);
    assertEquals(expected, n.attribute("asn"));
  }

  @Test
  void nodesWithoutAUsableIdAreLeftOut() throws IOException {
    List<Node> nodes = read("{\"items\":[{\"name\":\"no id\"},{\"id\":\"abc\"},{\"id\":null},"
        + "{\"id\":{\"x\":1}},{\"id\":\" 7 \"},{\"id\":8}]}");
    assertEquals(List.of(7L, 8L), nodes.stream().map(Node::id).collect(Collectors.toList()));
  }

  @Test
  void blankAndMissingFieldsAreAbsent() throws IOException {
    Node n = read("{\"items\":[{\"id\":1,\"name\":\"  \",\"city\":{\"id\":1,\"name\":\"\"},"
        + "\"country\":{\"id\":1},\"isp\":null,\"region\":{\"name\":\"  Bavaria  \"}}]}").get(0);
    assertEquals(attrs("region", "Bavaria"), n.attributes());
    assertNull(n.attribute("city"));
    assertNull(n.attribute("isp"));
  }

  @Test
  void emptyItems() throws IOException {
    assertEquals(List.of(), read("{\"items\":[],\"has_more\":false}"));
    assertEquals(List.of(), read("[]"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "{\"foo\":1}", "{\"items\":{}}", "42", "not json", "{\"items\":["})
  void notANodeList(String body) {
    assertThrows(IOException.class, () -> read(body));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Jinan, CN - Unicom       | Unicom",
      "Frankfurt, DE - AWS      | AWS",
      "A - B - C                | C",
      "'São Paulo, BR - Vivo  ' | Vivo"})
  void ispFromName(String name, String isp) {
    assertEquals(isp, NodeCatalogReader.ispFromName(name));
  }

  @Test
  void ispFromNameWithoutIsp() {
    assertNull(NodeCatalogReader.ispFromName(null));
    assertNull(NodeCatalogReader.ispFromName("Jinan, CN"));
    assertNull(NodeCatalogReader.ispFromName("a-b"));
  }

  @Test
  void toNodeOfOneObject() throws IOException {
    Node n = NodeCatalogReader.toNode(new ObjectMapper().readTree("{\"id\":5,\"city\":\"Lyon\"}"));
    assertEquals(5L, n.id());
    assertEquals("Lyon", n.attribute("city"));
    assertNull(NodeCatalogReader.toNode(new ObjectMapper().readTree("{\"city\":\"Lyon\"}")));
  }

  @Test
  void staticCatalog() throws IOException {
    StaticNodeCatalog c = new StaticNodeCatalog(NodeCatalogReader.read(Fixtures.path("rest-v1-nodes.json")));
    assertEquals(5, c.size());
    assertEquals("Frankfurt", c.find(540).attribute("city"));
    assertEquals("Jinan", c.find(313).attribute("city"));
    assertNull(c.find(999999));
    assertEquals(0, NodeCatalog.EMPTY.size());
    assertNull(NodeCatalog.EMPTY.find(540));
  }

  @Test
  void staticCatalogKeepsTheLastOfDuplicateIds() {
    StaticNodeCatalog c = new StaticNodeCatalog(List.of(new Node(1, attrs("city", "A")), new Node(1, attrs("city", "B"))));
    assertEquals(1, c.size());
    assertEquals("B", c.find(1).attribute("city"));
  }

  @Test
  void nodeTrimsAndDropsBlankValuesAndIsImmutable() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("city", " Paris ");
    a.put("isp", " ");
    a.put("asn", null);
    Node n = new Node(3, a);
    assertEquals(attrs("city", "Paris"), n.attributes());
    a.put("country", "France");
    assertNull(n.attribute("country"));
    assertThrows(UnsupportedOperationException.class, () -> n.attributes().put("x", "y"));
  }

  /** Jackson 2.9 builds trees recursively: deep nesting overflowed the stack, a bad escape threw AIOOBE. */
  @Test
  void deeplyNestedOrBadlyEscapedJsonIsNoCatalog() {
    StringBuilder deep = new StringBuilder("{\"items\":[{\"id\":1,\"x\":");
    for (int i = 0; i < 100_000; i++) {
      deep.append('[');
    }
    IOException tooDeep = assertThrows(IOException.class,
        () -> NodeCatalogReader.read(new ByteArrayInputStream(deep.toString().getBytes(StandardCharsets.UTF_8))));
    assertTrue(tooDeep.getMessage().contains("nested deeper than"), tooDeep.getMessage());
    byte[] escape = {'{', '"', 'i', 't', 'e', 'm', 's', '"', ':', '[', '{', '"', '\\', 'u', (byte) 0xe9, '"'};
    assertThrows(IOException.class, () -> NodeCatalogReader.read(new ByteArrayInputStream(escape)));
  }
}
