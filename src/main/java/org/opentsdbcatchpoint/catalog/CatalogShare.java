package org.opentsdbcatchpoint.catalog;

import java.io.IOException;

/**
 * Where the TSDs of one HBase share the node catalog: the one that fetched it from Catchpoint
 * publishes it, the others take it from here instead of asking Catchpoint themselves. The catalog
 * travels as the cache file's JSON.
 */
public interface CatalogShare {
  /** The shared catalog's version (when it was fetched, epoch millis); 0 when there is none. */
  long version() throws IOException;

  /** The shared catalog as JSON, or null when there is none. */
  byte[] read() throws IOException;

  void publish(long version, byte[] json) throws IOException;

  /** No sharing: every TSD fetches its own. */
  CatalogShare NONE = new CatalogShare() {
    @Override
    public long version() {
      return 0;
    }

    @Override
    public byte[] read() {
      return null;
    }

    @Override
    public void publish(long version, byte[] json) {}
  };
}
