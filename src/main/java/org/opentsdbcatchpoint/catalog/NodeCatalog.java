package org.opentsdbcatchpoint.catalog;

/** Looks up nodes by id for tag enrichment. Implementations are safe to call from any thread. */
public interface NodeCatalog {
  /** The node, or null when the id is unknown: the run is then written without enrichment tags. */
  Node find(long nodeId);

  /** How many nodes are known. */
  int size();

  /** Every node known. */
  java.util.Collection<Node> all();

  /** A catalog that knows no node. */
  NodeCatalog EMPTY = new NodeCatalog() {
    @Override
    public Node find(long nodeId) {
      return null;
    }

    @Override
    public int size() {
      return 0;
    }

    @Override
    public java.util.Collection<Node> all() {
      return java.util.Collections.emptyList();
    }
  };
}
