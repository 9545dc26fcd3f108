package org.opentsdbcatchpoint;

import org.opentsdbcatchpoint.catalog.CatalogShare;
import org.opentsdbcatchpoint.lease.LeaseStore;
import org.opentsdbcatchpoint.names.NameStore;

/**
 * What the TSDs of one HBase share through the plugin's own table: test and node names, the pull
 * leases, the node catalog. {@link #NONE} when there is no such table: a lone TSD keeping all of it
 * to itself.
 */
public final class Cluster {
  public static final Cluster NONE = new Cluster(NameStore.NONE, null, CatalogShare.NONE);

  final NameStore names;
  /** Null: no leases can be taken (pulls run as {@code pull.mode=always}). */
  final LeaseStore leases;
  final CatalogShare catalog;

  public Cluster(NameStore names, LeaseStore leases, CatalogShare catalog) {
    this.names = names;
    this.leases = leases;
    this.catalog = catalog;
  }
}
