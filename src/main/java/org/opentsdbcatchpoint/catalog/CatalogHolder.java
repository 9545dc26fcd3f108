package org.opentsdbcatchpoint.catalog;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The node catalog push, pull and the refresher share: the current snapshot, replaced whole by the
 * refresher and read by the mapper. A lookup has no side effect; a node it does not know is reported
 * to the refresher through {@link NodeLookup#learn}.
 */
public final class CatalogHolder {
  private final AtomicReference<NodeCatalog> current;

  public CatalogHolder(NodeCatalog initial) {
    this.current = new AtomicReference<>(initial);
  }

  public CatalogHolder() {
    this(NodeCatalog.EMPTY);
  }

  public NodeCatalog current() {
    return current.get();
  }

  /** The node, or null when the current snapshot does not know it. */
  public Node find(long nodeId) {
    return current.get().find(nodeId);
  }

  public int size() {
    return current.get().size();
  }

  void replace(NodeCatalog next) {
    current.set(next);
  }
}
