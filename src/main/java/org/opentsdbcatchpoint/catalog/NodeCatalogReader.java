package org.opentsdbcatchpoint.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentsdbcatchpoint.web.JsonGuard;

/**
 * Reads nodes in the shapes Catchpoint serves them: REST v1 {@code /nodes} ({@code {"items":[...]}})
 * and REST v2 {@code /nodes/all} ({@code {"data":{"nodes":[...]}}}). Missing fields are fine; the ISP
 * falls back to the part of the node name after {@code " - "} ({@code "Jinan, CN - Unicom"}).
 */
public final class NodeCatalogReader {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private NodeCatalogReader() {}

  public static List<Node> read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in);
    }
  }

  public static List<Node> read(InputStream in) throws IOException {
    JsonNode root = JsonGuard.readTree(MAPPER, in);
    if (root == null) {
      throw new IOException("empty node catalog");
    }
    JsonNode items = root.path("items");
    if (!items.isArray()) {
      items = root.path("data").path("nodes");
    }
    if (!items.isArray()) {
      items = root;
    }
    if (!items.isArray()) {
      throw new IOException("not a Catchpoint node list: expected \"items\" (v1) or \"data.nodes\" (v2)");
    }
    List<Node> nodes = new ArrayList<>();
    for (JsonNode item : items) {
      Node n = toNode(item);
      if (n != null) {
        nodes.add(n);
      }
    }
    return nodes;
  }

  /** One node object of either API version; null when it has no usable id. */
  public static Node toNode(JsonNode item) {
    JsonNode idNode = item.path("id");
    if (!idNode.canConvertToLong() && !idNode.isTextual()) {
      return null;
    }
    long id;
    try {
      id = idNode.isTextual() ? Long.parseLong(idNode.asText().trim()) : idNode.asLong();
    } catch (NumberFormatException e) {
      return null;
    }
    String name = text(item.path("name"));
    Map<String, String> a = new LinkedHashMap<>();
    a.put("asn", asn(item.path("asn")));
    a.put("city", named(item.path("city")));
    a.put("country", named(item.path("country")));
    String isp = named(item.path("isp"));
    if (isp == null) {
      isp = named(item.path("internetServiceProvider"));
    }
    if (isp == null) {
      isp = ispFromName(name);
    }
    a.put("isp", isp);
    String region = named(item.path("region"));
    a.put("region", region != null ? region : named(item.path("state")));
    a.put("continent", named(item.path("continent")));
    String networkType = named(item.path("network_type"));
    a.put("network_type", networkType != null ? networkType : named(item.path("networkType")));
    a.put("node", name);
    return new Node(id, a);
  }

  /** {@code "Jinan, CN - Unicom"} -> {@code "Unicom"}; null when the name has no such part. */
  static String ispFromName(String name) {
    if (name == null) {
      return null;
    }
    int dash = name.lastIndexOf(" - ");
    return dash >= 0 ? name.substring(dash + 3).trim() : null;
  }

  /** v1 gives {@code {"value":"AS3356"}}, v2 {@code {"id":3356}}: both become {@code AS3356}. */
  private static String asn(JsonNode asn) {
    String v = text(asn.path("value"));
    if (v == null && asn.path("id").canConvertToLong()) {
      v = asn.path("id").asText();
    }
    if (v == null && (asn.isNumber() || asn.isTextual())) {
      v = asn.asText();
    }
    if (v == null) {
      return null;
    }
    v = v.trim();
    return v.matches("\\d+") ? "AS" + v : v;
  }

  /** An {@code {id, name}} object's name, or a plain string. */
  private static String named(JsonNode n) {
    return n.isObject() ? text(n.path("name")) : text(n);
  }

  private static String text(JsonNode n) {
    if (n.isTextual() || n.isNumber()) {
      String s = n.asText().trim();
      return s.isEmpty() ? null : s;
    }
    return null;
  }
}
