package org.opentsdbcatchpoint.sink;

import org.opentsdbcatchpoint.pipeline.RejectedPointException;
import org.opentsdbcatchpoint.pipeline.Writer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.opentsdbcatchpoint.pipeline.DataPoint;

/**
 * The TSD's writer with forwarders beside it: every point goes to the store, as before, and the same
 * point is offered to each forwarder, which takes it or drops and counts it without ever waiting.
 *
 * <p>Points are forwarded at once, before the store has acknowledged them, and whatever the store
 * then says. Waiting for the acknowledgement would tie Graphite and InfluxDB to HBase's health (an
 * HBase outage longer than Catchpoint's hour of retries would then lose the points in every target,
 * not just in OpenTSDB) and cost a callback per point. The price is that a push which ends in 503
 * and is retried is forwarded twice, which both targets absorb: Graphite keeps one value per series and
 * second, InfluxDB one per series, field and timestamp, and a retried run carries the same values. A
 * point the TSD refuses for good (an unknown metric with {@code auto_create_metrics} off) is still
 * forwarded: the targets have no such rule.
 */
public final class ForwardingWriter implements Writer {
  private final Writer store;
  private final List<Forwarder> forwarders;

  public ForwardingWriter(Writer store, List<Forwarder> forwarders) {
    this.store = store;
    this.forwarders = Collections.unmodifiableList(new ArrayList<>(forwarders));
  }

  @Override
  public CompletableFuture<Void> write(DataPoint point) throws RejectedPointException {
    for (Forwarder f : forwarders) {
      f.offer(point);
    }
    return store.write(point);
  }

  @Override
  public CompletableFuture<Void> prepare(List<DataPoint> points) {
    return store.prepare(points);
  }

  /** Forwarders send on their own schedule; only the store has acknowledgements to hurry. */
  @Override
  public void flush() {
    store.flush();
  }
}
