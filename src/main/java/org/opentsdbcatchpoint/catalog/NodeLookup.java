package org.opentsdbcatchpoint.catalog;

import java.util.concurrent.CompletableFuture;

/**
 * What a source asks of the catalog before it writes a run: does it know the node, and if not, can
 * it learn it. A run written while its node is merely not yet known would start a second series of
 * that node, without its enrichment tags; so a source waits for the catalog to look for the node
 * first, and writes it without enrichment only when the catalog did look and still does not know it.
 */
public interface NodeLookup {
  /** True when the catalog knows the node now. */
  boolean knows(long nodeId);

  /**
   * Completes once the catalog has looked for the node (a refresh that ended after this call, or at
   * once when no refresh can help): true when it knows the node then. Never completes exceptionally.
   */
  CompletableFuture<Boolean> learn(long nodeId);

  /** A lookup over a fixed catalog: what it does not know, it never learns. */
  static NodeLookup fixed(CatalogHolder holder) {
    return new NodeLookup() {
      @Override
      public boolean knows(long nodeId) {
        return holder.find(nodeId) != null;
      }

      @Override
      public CompletableFuture<Boolean> learn(long nodeId) {
        return CompletableFuture.completedFuture(knows(nodeId));
      }
    };
  }
}
