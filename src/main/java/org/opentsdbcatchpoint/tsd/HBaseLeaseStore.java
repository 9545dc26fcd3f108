package org.opentsdbcatchpoint.tsd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hbase.async.KeyValue;
import org.opentsdbcatchpoint.lease.LeaseStore;

/**
 * Leases in the plugin's own table ({@link PluginTable}), row {@code leases}, one column per lease
 * ({@code c:account/acme}, {@code c:catalog}, {@code c:member/host:4242}), each changed only by
 * asynchbase's {@code compareAndSet}: one cell, atomic, not batched.
 */
final class HBaseLeaseStore implements LeaseStore {
  static final byte[] ROW = "leases".getBytes(StandardCharsets.UTF_8);

  private final PluginTable table;

  HBaseLeaseStore(PluginTable table) {
    this.table = table;
  }

  @Override
  public Map<String, byte[]> readAll() throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (KeyValue kv : table.get(ROW, null, "read the pull leases")) {
      out.put(new String(kv.qualifier(), StandardCharsets.UTF_8), kv.value());
    }
    return out;
  }

  @Override
  public boolean compareAndSet(String name, byte[] expected, byte[] value) throws IOException {
    return table.compareAndSet(ROW, name.getBytes(StandardCharsets.UTF_8), expected, value, "write the lease " + name);
  }
}
