package org.opentsdbcatchpoint.tsd;

import com.stumbleupon.async.Deferred;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import org.hbase.async.DeleteRequest;
import org.hbase.async.GetRequest;
import org.hbase.async.HBaseClient;
import org.hbase.async.KeyValue;
import org.hbase.async.PutRequest;

/**
 * The plugin's own HBase table ({@value #NAME}, family {@code c}) through the TSD's asynchbase
 * client: pull cursors and test and node names live there, shared by every TSD of the cluster. Each
 * call waits a bounded time and fails as an {@link IOException} that says what it tried. Create the
 * table once per cluster: {@code echo "create 'catchpoint-plugin', 'c'" | hbase shell}.
 */
final class PluginTable {
  static final String NAME = "catchpoint-plugin";
  static final byte[] FAMILY = "c".getBytes(StandardCharsets.UTF_8);

  private final HBaseClient client;
  private final byte[] table;
  private final long timeoutMillis;

  PluginTable(HBaseClient client, String table, long timeoutMillis) {
    this.client = client;
    this.table = table.getBytes(StandardCharsets.UTF_8);
    this.timeoutMillis = timeoutMillis;
  }

  /** Fails when the table or its family does not exist. */
  void check() throws IOException {
    join(client.ensureTableFamilyExists(table, FAMILY), "find the table " + new String(table, StandardCharsets.UTF_8)
        + " with family c");
  }

  /** The row's cells of family c (of one column when {@code qualifier} is not null). */
  ArrayList<KeyValue> get(byte[] row, byte[] qualifier, String what) throws IOException {
    GetRequest get = new GetRequest(table, row).family(FAMILY);
    if (qualifier != null) {
      get.qualifier(qualifier);
    }
    return join(client.get(get), what);
  }

  void put(byte[] row, byte[][] qualifiers, byte[][] values, String what) throws IOException {
    join(client.put(new PutRequest(table, row, FAMILY, qualifiers, values)), what);
  }

  void delete(byte[] row, byte[] qualifier, String what) throws IOException {
    join(client.delete(new DeleteRequest(table, row, FAMILY, qualifier)), what);
  }

  /** Writes one cell only if it holds {@code expected} now (null: only if it does not exist). */
  boolean compareAndSet(byte[] row, byte[] qualifier, byte[] expected, byte[] value, String what) throws IOException {
    Boolean done = join(client.compareAndSet(new PutRequest(table, row, FAMILY, qualifier, value),
        expected == null ? new byte[0] : expected), what);
    return Boolean.TRUE.equals(done);
  }

  private <T> T join(Deferred<T> d, String what) throws IOException {
    try {
      return d.join(timeoutMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while trying to " + what, e);
    } catch (Exception e) {
      throw new IOException("could not " + what + ": " + e, e);
    }
  }
}
