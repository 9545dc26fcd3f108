package org.opentsdbcatchpoint.catalog;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/** An immutable snapshot of nodes. Refreshing means building a new snapshot and swapping it in. */
public final class StaticNodeCatalog implements NodeCatalog {
  private final Map<Long, Node> nodes;

  public StaticNodeCatalog(Collection<Node> nodes) {
    Map<Long, Node> m = new HashMap<>();
    for (Node n : nodes) {
      m.put(n.id(), n);
    }
    this.nodes = Collections.unmodifiableMap(m);
  }

  @Override
  public Node find(long nodeId) {
    return nodes.get(nodeId);
  }

  @Override
  public int size() {
    return nodes.size();
  }

  @Override
  public Collection<Node> all() {
    return nodes.values();
  }
}
