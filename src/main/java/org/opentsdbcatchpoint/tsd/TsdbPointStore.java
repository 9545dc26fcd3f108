package org.opentsdbcatchpoint.tsd;

import com.stumbleupon.async.Deferred;
import java.util.Map;
import net.opentsdb.core.TSDB;

/** {@link PointStore} over the TSD itself. */
final class TsdbPointStore implements PointStore {
  private final TSDB tsdb;
  /**
   * The HBase client's flush, not {@code TSDB.flush()}: that one also compacts every row older than
   * an hour that the compaction queue holds, which is no business of a push.
   */
  private final CoalescedFlush flush;

  TsdbPointStore(TSDB tsdb) {
    this.tsdb = tsdb;
    this.flush = new CoalescedFlush(() -> tsdb.getClient().flush());
  }

  @Override
  public Deferred<Object> addPoint(String metric, long timestampSeconds, double value, Map<String, String> tags) {
    return tsdb.addPoint(metric, timestampSeconds, value, tags);
  }

  @Override
  public void flush() {
    flush.request();
  }

  @Override
  public boolean readOnly() {
    return tsdb.getMode() == TSDB.OperationMode.READONLY;
  }
}
