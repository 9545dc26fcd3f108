package org.opentsdbcatchpoint;

import org.opentsdbcatchpoint.alert.AlertStore;
import org.opentsdbcatchpoint.alert.InMemoryAlertStore;
import org.opentsdbcatchpoint.catalog.CatalogShare;
import org.opentsdbcatchpoint.lease.LeaseStore;
import org.opentsdbcatchpoint.names.NameStore;
import org.opentsdbcatchpoint.pull.ImportStore;
import org.opentsdbcatchpoint.pull.InMemoryImportStore;

/**
 * What the TSDs of one HBase share through the plugin's own table: test and node names, the pull
 * leases, the node catalog, the imports, the open alerts. {@link #NONE} when there is no such table: a
 * lone TSD keeping all of it to itself.
 */
public final class Cluster {
  public static final Cluster NONE = new Cluster(NameStore.NONE, null, CatalogShare.NONE, null, null);

  final NameStore names;
  /** Null: no leases can be taken (pulls run as {@code pull.mode=always}). */
  final LeaseStore leases;
  final CatalogShare catalog;
  /** Null: imports are kept in memory by each service (a restart forgets them). */
  final ImportStore imports;
  /** Null: this TSD keeps its alerts' records in memory ({@link #alerts()}). */
  private final AlertStore alerts;

  public Cluster(NameStore names, LeaseStore leases, CatalogShare catalog, ImportStore imports, AlertStore alerts) {
    this.names = names;
    this.leases = leases;
    this.catalog = catalog;
    this.imports = imports;
    this.alerts = alerts;
  }

  /** Where imports are kept: the shared store, else a new one in memory. */
  ImportStore importStore() {
    return imports != null ? imports : new InMemoryImportStore();
  }

  /** The alerts' records: shared in the table, else a new in-memory store for this service alone. */
  AlertStore alerts() {
    return alerts != null ? alerts : new InMemoryAlertStore();
  }
}
