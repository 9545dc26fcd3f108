package org.opentsdbcatchpoint.tsd;

import com.stumbleupon.async.Callback;
import com.stumbleupon.async.Deferred;
import java.util.HashMap;
import java.util.concurrent.CompletableFuture;
import net.opentsdb.uid.NoSuchUniqueName;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pipeline.SkipReason;
import org.opentsdbcatchpoint.pipeline.RejectedPointException;
import org.opentsdbcatchpoint.pipeline.Writer;

/**
 * Writes through the TSD's in-process {@code addPoint}, as an integer or a double as the metric's
 * encoding says ({@link Vocabulary#encodingOf}). What {@code addPoint} throws at once is the point's
 * own fault (never retried); what its Deferred fails with is storage's (retried by the sender).
 */
final class TsdbWriter implements Writer {
  private final PointStore store;

  TsdbWriter(PointStore store) {
    this.store = store;
  }

  @Override
  public CompletableFuture<Void> write(DataPoint p) throws RejectedPointException {
    Deferred<Object> stored;
    try {
      if (Vocabulary.encodingOf(p.metric()) == Vocabulary.Encoding.INTEGER) {
        stored = store.addPoint(p.metric(), p.timestampSeconds(), whole(p), new HashMap<>(p.tags()));
      } else {
        stored = store.addPoint(p.metric(), p.timestampSeconds(), p.value(), new HashMap<>(p.tags()));
      }
    } catch (NoSuchUniqueName e) {
      throw new RejectedPointException(SkipReason.UNKNOWN_METRIC, e.getMessage()
          + " (set tsd.core.auto_create_metrics=true or create it with 'tsdb mkmetric')");
    } catch (IllegalArgumentException e) {
      throw new RejectedPointException(SkipReason.REJECTED, e.getMessage());
    }
    CompletableFuture<Void> ack = new CompletableFuture<>();
    stored.addCallbacks(new Acknowledged(ack), new StorageFailed(ack));
    return ack;
  }

  /** The value of a whole-number metric as a long; refused when it is not one. */
  private static long whole(DataPoint p) throws RejectedPointException {
    double v = p.value();
    if (v != Math.rint(v) || Math.abs(v) > MAX_EXACT) {
      throw new RejectedPointException(SkipReason.NOT_WHOLE, p.metric() + " holds whole numbers; " + v
          + " is not one");
    }
    return (long) v;
  }

  /** 2^53: beyond it a double no longer holds every whole number. */
  private static final double MAX_EXACT = 9_007_199_254_740_992d;

  @Override
  public void flush() {
    store.flush();
  }

  @Override
  public CompletableFuture<Void> prepare(java.util.List<DataPoint> points) {
    return store.prepare(points);
  }

  /** Completes the point's future when HBase acknowledged the write. */
  private static final class Acknowledged implements Callback<Object, Object> {
    private final CompletableFuture<Void> ack;

    Acknowledged(CompletableFuture<Void> ack) {
      this.ack = ack;
    }

    @Override
    public Object call(Object ignored) {
      ack.complete(null);
      return null;
    }

    @Override
    public String toString() {
      return "catchpoint datapoint acknowledged callback";
    }
  }

  /** Fails the point's future with storage's error, so the push answers 503. */
  private static final class StorageFailed implements Callback<Object, Exception> {
    private final CompletableFuture<Void> ack;

    StorageFailed(CompletableFuture<Void> ack) {
      this.ack = ack;
    }

    @Override
    public Object call(Exception e) {
      ack.completeExceptionally(e);
      return null;
    }

    @Override
    public String toString() {
      return "catchpoint datapoint storage failure errback";
    }
  }
}
