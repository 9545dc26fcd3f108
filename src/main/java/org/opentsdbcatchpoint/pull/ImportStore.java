package org.opentsdbcatchpoint.pull;

import java.io.IOException;
import java.util.List;

/**
 * Where imports and their progress survive a restart: the plugin's HBase table, shared by the TSDs of
 * one HBase (so the TSD that holds an account's lease resumes its imports), or memory.
 */
public interface ImportStore {
  /** Every stored import, as text ({@link ImportRecord#serialize()}). */
  List<String> loadAll() throws IOException;

  /** Stores an import whole (its cursors and counters together). */
  void save(String id, String record) throws IOException;

  void delete(String id) throws IOException;
}
