package org.opentsdbcatchpoint.tsd;

import com.stumbleupon.async.Callback;
import com.stumbleupon.async.Deferred;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Flushes the HBase client's buffer when asked, with at most one flush out at a time (group commit).
 * A push on a quiet TSD is sent at once instead of waiting 20 to 80 ms for the client's timer; pushes
 * that arrive while a flush is out are sent together when it comes back, so under load the batches
 * grow instead of HBase getting one small RPC per push.
 *
 * <p>If a flush never comes back, no other is started and edits go out on the client's own timer, as
 * without this class.
 */
final class CoalescedFlush {
  private final Supplier<Deferred<Object>> flush;
  private final AtomicBoolean out = new AtomicBoolean();
  private final AtomicBoolean wanted = new AtomicBoolean();
  private final Callback<Object, Object> returned = new Returned();

  /** @param flush the HBase client's flush; its Deferred fires when HBase answered the edits it sent */
  CoalescedFlush(Supplier<Deferred<Object>> flush) {
    this.flush = flush;
  }

  void request() {
    wanted.set(true); // before trying to start one: the flush that is out sees it when it returns
    startIfNoneOut();
  }

  private void startIfNoneOut() {
    if (!out.compareAndSet(false, true)) {
      return;
    }
    wanted.set(false);
    Deferred<Object> sent;
    try {
      sent = flush.get();
    } catch (RuntimeException e) {
      out.set(false); // the client refused at once: the edits go out on its timer
      return;
    }
    sent.addBoth(returned);
  }

  /** A flush came back (acknowledged or failed): send what was asked for meanwhile. */
  private final class Returned implements Callback<Object, Object> {
    @Override
    public Object call(Object result) {
      out.set(false);
      if (wanted.get()) {
        startIfNoneOut();
      }
      return result;
    }

    @Override
    public String toString() {
      return "catchpoint coalesced flush returned";
    }
  }
}
