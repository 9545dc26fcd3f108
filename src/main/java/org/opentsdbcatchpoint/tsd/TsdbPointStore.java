package org.opentsdbcatchpoint.tsd;

import com.stumbleupon.async.Deferred;
import java.util.Map;
import net.opentsdb.core.TSDB;

/** {@link PointStore} over the TSD itself. */
final class TsdbPointStore implements PointStore {
  private final TSDB tsdb;

  TsdbPointStore(TSDB tsdb) {
    this.tsdb = tsdb;
  }

  @Override
  public Deferred<Object> addPoint(String metric, long timestampSeconds, double value, Map<String, String> tags) {
    return tsdb.addPoint(metric, timestampSeconds, value, tags);
  }

  @Override
  public boolean readOnly() {
    return tsdb.getMode() == TSDB.OperationMode.READONLY;
  }
}
