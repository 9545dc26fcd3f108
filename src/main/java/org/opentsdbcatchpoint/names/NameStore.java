package org.opentsdbcatchpoint.names;

import java.io.IOException;
import java.util.Map;

/**
 * Where the names of tests and nodes are kept so that every TSD of a cluster, and a restarted one,
 * knows them: entries {@code test/<id>} and {@code node/<id>}, each a small text value.
 */
public interface NameStore {
  Map<String, String> loadAll() throws IOException;

  void save(Map<String, String> entries) throws IOException;

  /** Keeps nothing: names live as long as the process (a TSD without the plugin's table). */
  NameStore NONE = new NameStore() {
    @Override
    public Map<String, String> loadAll() {
      return java.util.Collections.emptyMap();
    }

    @Override
    public void save(Map<String, String> entries) {}
  };
}
