package org.opentsdbcatchpoint.tsd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import org.hbase.async.Bytes;
import org.hbase.async.GetRequest;
import org.hbase.async.HBaseClient;
import org.hbase.async.KeyValue;
import org.hbase.async.PutRequest;
import org.opentsdbcatchpoint.pull.CursorStore;
import org.opentsdbcatchpoint.pull.PullCursor;

/**
 * Pull cursors in the plugin's own HBase table ({@value #TABLE}, family {@code c}), through the TSD's
 * asynchbase client: row {@code <account>/<test id>}, column {@code c:position}, the epoch seconds as
 * an 8-byte long. Create the table once per cluster:
 * {@code echo "create 'catchpoint-plugin', 'c'" | hbase shell}.
 */
final class HBaseCursorStore implements CursorStore {
  static final String TABLE = "catchpoint-plugin";
  static final byte[] FAMILY = "c".getBytes(StandardCharsets.UTF_8);
  static final byte[] POSITION = "position".getBytes(StandardCharsets.UTF_8);

  private final HBaseClient client;
  private final byte[] table;
  private final long timeoutMillis;

  HBaseCursorStore(HBaseClient client, String table, long timeoutMillis) {
    this.client = client;
    this.table = table.getBytes(StandardCharsets.UTF_8);
    this.timeoutMillis = timeoutMillis;
  }

  /** Fails when the table or its family does not exist. */
  void check() throws IOException {
    join(client.ensureTableFamilyExists(table, FAMILY), "find the table " + new String(table, StandardCharsets.UTF_8)
        + " with family c");
  }

  @Override
  public PullCursor load(String account, long testId) throws IOException {
    GetRequest get = new GetRequest(table, row(account, testId)).family(FAMILY).qualifier(POSITION);
    ArrayList<KeyValue> cells = join(client.get(get), "read the pull cursor of " + account + "/" + testId);
    for (KeyValue kv : cells) {
      if (kv.value().length == 8) {
        return new PullCursor(account, testId, Bytes.getLong(kv.value()));
      }
    }
    return null;
  }

  @Override
  public void save(PullCursor cursor) throws IOException {
    PutRequest put = new PutRequest(table, row(cursor.account(), cursor.testId()), FAMILY, POSITION,
        Bytes.fromLong(cursor.position()));
    join(client.put(put), "write the pull cursor " + cursor);
  }

  static byte[] row(String account, long testId) {
    return (account + "/" + testId).getBytes(StandardCharsets.UTF_8);
  }

  private <T> T join(com.stumbleupon.async.Deferred<T> d, String what) throws IOException {
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
