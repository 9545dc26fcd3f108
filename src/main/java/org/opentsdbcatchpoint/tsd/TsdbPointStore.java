package org.opentsdbcatchpoint.tsd;

import com.stumbleupon.async.Deferred;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import net.opentsdb.core.TSDB;
import org.opentsdbcatchpoint.pipeline.DataPoint;

/** {@link PointStore} over the TSD itself. */
final class TsdbPointStore implements PointStore {
  private final TSDB tsdb;
  /**
   * The HBase client's flush, not {@code TSDB.flush()}: that one also compacts every row older than
   * an hour that the compaction queue holds, which is no business of a push.
   */
  private final CoalescedFlush flush;
  private final UidPreparer uids;

  TsdbPointStore(TSDB tsdb) {
    this.tsdb = tsdb;
    this.flush = new CoalescedFlush(() -> tsdb.getClient().flush());
    this.uids = new UidPreparer(tsdb);
  }

  @Override
  public CompletableFuture<Void> prepare(List<DataPoint> points) {
    return uids.prepare(points);
  }

  @Override
  public Deferred<Object> addPoint(String metric, long timestampSeconds, double value, Map<String, String> tags) {
    return tsdb.addPoint(metric, timestampSeconds, value, tags);
  }

  @Override
  public Deferred<Object> addPoint(String metric, long timestampSeconds, long value, Map<String, String> tags) {
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
