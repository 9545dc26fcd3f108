package org.opentsdbcatchpoint.pull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.opentsdbcatchpoint.catalog.Node;
import org.opentsdbcatchpoint.catalog.NodeCatalogReader;
import org.opentsdbcatchpoint.web.JsonGuard;

/**
 * One page of a node list, v1 ({@code {items: [...], has_more, page_number}}) or v2
 * ({@code {data: {nodes: [...], hasMore}}}), read as a stream: only one node at a time is a tree.
 */
final class NodePages {
  final List<Node> nodes = new ArrayList<>();
  boolean hasMore;
  Integer pageNumber;

  private NodePages() {}

  static NodePages read(InputStream in) throws IOException {
    NodePages page = new NodePages();
    try (JsonParser p = JsonGuard.parser(JsonStream.MAPPER.getFactory().createParser(in))) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw JsonStream.notCatchpoint("a node list is a JSON object");
      }
      page.object(p);
    }
    return page;
  }

  private void object(JsonParser p) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.getCurrentName();
      JsonToken t = p.nextToken();
      if (("items".equals(f) || "nodes".equals(f)) && t == JsonToken.START_ARRAY) {
        JsonToken n;
        while ((n = p.nextToken()) != JsonToken.END_ARRAY && n != null) {
          if (n != JsonToken.START_OBJECT) {
            p.skipChildren();
            continue;
          }
          JsonNode item = p.readValueAsTree();
          Node node = NodeCatalogReader.toNode(item);
          if (node != null) {
            nodes.add(node);
          }
        }
      } else if ("data".equals(f) && t == JsonToken.START_OBJECT) {
        object(p);
      } else if ("has_more".equals(f) || "hasMore".equals(f)) {
        hasMore = t == JsonToken.VALUE_TRUE;
      } else if ("page_number".equals(f) || "pageNumber".equals(f)) {
        Long n = JsonStream.wholeNumber(p, t);
        pageNumber = n == null ? null : Integer.valueOf(n.intValue());
      } else {
        p.skipChildren();
      }
    }
  }
}
