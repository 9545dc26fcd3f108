package org.opentsdbcatchpoint.tsd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hbase.async.KeyValue;
import org.opentsdbcatchpoint.pull.ImportStore;

/**
 * Imports in the plugin's own table ({@link PluginTable}): row {@value #ROW}, a cell per import (its
 * id), the whole record (cursors and counters) as UTF-8 text, so one put moves them together. Every
 * TSD of the cluster reads them: the holder of an account's lease runs its imports.
 */
final class HBaseImportStore implements ImportStore {
  static final String ROW = "imports";
  private static final byte[] ROW_KEY = ROW.getBytes(StandardCharsets.UTF_8);

  private final PluginTable table;

  HBaseImportStore(PluginTable table) {
    this.table = table;
  }

  @Override
  public List<String> loadAll() throws IOException {
    List<String> out = new ArrayList<>();
    for (KeyValue kv : table.get(ROW_KEY, null, "read the imports")) {
      out.add(new String(kv.value(), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Override
  public void save(String id, String record) throws IOException {
    table.put(ROW_KEY, new byte[][] {id.getBytes(StandardCharsets.UTF_8)},
        new byte[][] {record.getBytes(StandardCharsets.UTF_8)}, "store the import " + id);
  }

  @Override
  public void delete(String id) throws IOException {
    table.delete(ROW_KEY, id.getBytes(StandardCharsets.UTF_8), "delete the import " + id);
  }
}
