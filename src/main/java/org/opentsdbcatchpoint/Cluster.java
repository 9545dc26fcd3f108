package org.opentsdbcatchpoint;

import org.opentsdbcatchpoint.catalog.CatalogShare;
import org.opentsdbcatchpoint.lease.LeaseStore;
import org.opentsdbcatchpoint.names.NameStore;
import org.opentsdbcatchpoint.pull.ImportStore;
import org.opentsdbcatchpoint.pull.InMemoryImportStore;

/**
 * What the TSDs of one HBase share through the plugin's own table: test and node names, the pull
 * leases, the node catalog, the imports. {@link #NONE} when there is no such table: a lone TSD keeping all of it
 * to itself.
 */
public final class Cluster {
  public static final Cluster NONE = new Cluster(NameStore.NONE, null, CatalogShare.NONE, null);

  final NameStore names;
  /** Null: no leases can be taken (pulls run as {@code pull.mode=always}). */
  final LeaseStore leases;
  final CatalogShare catalog;
  /** Null: imports are kept in memory by each service (a restart forgets them). */
  final ImportStore imports;

  public Cluster(NameStore names, LeaseStore leases, CatalogShare catalog, ImportStore imports) {
    this.names = names;
    this.leases = leases;
    this.catalog = catalog;
    this.imports = imports;
  }

  /** Where imports are kept: the shared store, else a new one in memory. */
  ImportStore importStore() {
    return imports != null ? imports : new InMemoryImportStore();
  }
}
