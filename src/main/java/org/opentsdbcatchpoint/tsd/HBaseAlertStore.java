package org.opentsdbcatchpoint.tsd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import org.hbase.async.KeyValue;
import org.opentsdbcatchpoint.alert.AlertStore;

/**
 * The alerts' records in the plugin's own table ({@link PluginTable}): one row a record
 * ({@code alert/open/<test>/<node>/<type>}, {@code alert/slot/<tsuid>/<second>}), column {@code c:a},
 * changed only by asynchbase's {@code compareAndSet}: one cell, atomic, not batched.
 */
final class HBaseAlertStore implements AlertStore {
  static final String ROW_PREFIX = "alert/";
  static final byte[] QUALIFIER = "a".getBytes(StandardCharsets.UTF_8);

  private final PluginTable table;

  HBaseAlertStore(PluginTable table) {
    this.table = table;
  }

  @Override
  public byte[] read(String key) throws IOException {
    ArrayList<KeyValue> cells = table.get(row(key), QUALIFIER, "read the alert record " + key);
    return cells.isEmpty() ? null : cells.get(0).value();
  }

  @Override
  public boolean compareAndSet(String key, byte[] expected, byte[] value) throws IOException {
    return table.compareAndSet(row(key), QUALIFIER, expected, value, "write the alert record " + key);
  }

  private static byte[] row(String key) {
    return (ROW_PREFIX + key).getBytes(StandardCharsets.UTF_8);
  }
}
