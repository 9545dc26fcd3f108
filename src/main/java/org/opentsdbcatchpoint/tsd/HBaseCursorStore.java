package org.opentsdbcatchpoint.tsd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.hbase.async.Bytes;
import org.hbase.async.KeyValue;
import org.opentsdbcatchpoint.pull.CursorStore;
import org.opentsdbcatchpoint.pull.PullCursor;

/**
 * Pull cursors in the plugin's own table ({@link PluginTable}): row {@code <account>/<test id>},
 * column {@code c:position}, the epoch seconds as an 8-byte long.
 */
final class HBaseCursorStore implements CursorStore {
  static final byte[] POSITION = "position".getBytes(StandardCharsets.UTF_8);

  private final PluginTable table;

  HBaseCursorStore(PluginTable table) {
    this.table = table;
  }

  @Override
  public PullCursor load(String account, long testId) throws IOException {
    for (KeyValue kv : table.get(row(account, testId), POSITION, "read the pull cursor of " + account + "/" + testId)) {
      if (kv.value().length == 8) {
        return new PullCursor(account, testId, Bytes.getLong(kv.value()));
      }
    }
    return null;
  }

  @Override
  public void save(PullCursor cursor) throws IOException {
    table.put(row(cursor.account(), cursor.testId()), new byte[][] {POSITION},
        new byte[][] {Bytes.fromLong(cursor.position())}, "write the pull cursor " + cursor);
  }

  static byte[] row(String account, long testId) {
    return (account + "/" + testId).getBytes(StandardCharsets.UTF_8);
  }
}
