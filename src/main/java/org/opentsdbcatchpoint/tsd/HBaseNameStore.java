package org.opentsdbcatchpoint.tsd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hbase.async.KeyValue;
import org.opentsdbcatchpoint.names.NameStore;

/**
 * Test and node names in the plugin's own table ({@link PluginTable}), row {@code names}, one column
 * per test or node ({@code c:test/100001}, {@code c:node/540}). The plugin's table rather than
 * OpenTSDB's UID meta {@code display_name}: a tag value's UID is shared by every tag key, so the test
 * 540 and the node 540 would have one display name; here they are two columns.
 */
final class HBaseNameStore implements NameStore {
  static final byte[] ROW = "names".getBytes(StandardCharsets.UTF_8);

  private final PluginTable table;

  HBaseNameStore(PluginTable table) {
    this.table = table;
  }

  @Override
  public Map<String, String> loadAll() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (KeyValue kv : table.get(ROW, null, "read the test and node names")) {
      out.put(new String(kv.qualifier(), StandardCharsets.UTF_8), new String(kv.value(), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Override
  public void save(Map<String, String> entries) throws IOException {
    byte[][] qualifiers = new byte[entries.size()][];
    byte[][] values = new byte[entries.size()][];
    int i = 0;
    for (Map.Entry<String, String> e : entries.entrySet()) {
      qualifiers[i] = e.getKey().getBytes(StandardCharsets.UTF_8);
      values[i] = e.getValue().getBytes(StandardCharsets.UTF_8);
      i++;
    }
    table.put(ROW, qualifiers, values, "write " + entries.size() + " test and node names");
  }
}
