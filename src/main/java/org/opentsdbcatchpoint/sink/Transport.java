package org.opentsdbcatchpoint.sink;

import java.io.IOException;

/**
 * Delivers one batch to one target and says how it went, nothing more: buffering, batching, retries
 * and counting belong to the {@link Forwarder} that calls it, always from its one sender thread.
 * A transport encodes with its serializer, writes, and throws what went wrong; the {@link RetryPolicy}
 * decides what the forwarder does about it.
 */
public interface Transport extends AutoCloseable {
  /**
   * Sends one batch, connecting first when needed. The batch is the forwarder's to reuse once this
   * returns.
   *
   * @return how many points of the batch could not be encoded at all (a non-finite value, a name with
   *     nothing legal left) and were left out; every other point was delivered as far as the protocol
   *     can tell
   * @throws IOException the batch was not delivered (or not known to be): {@link HttpStatusException}
   *     for an HTTP answer, {@link ConnectionLostException} for points sent earlier that must be sent
   *     again, any other for I/O and timeouts
   */
  int send(PointRing batch) throws IOException;

  /**
   * Sends again, as they are, points a {@link ConnectionLostException} of this transport handed back.
   *
   * @throws IOException as {@link #send}
   */
  default void resend(EncodedPoints points) throws IOException {
    throw new UnsupportedOperationException(describe() + " never hands points back");
  }

  /**
   * Called by the sender when it has nothing to send (at least every flush interval): notice a dead
   * connection while idle.
   *
   * @throws ConnectionLostException points sent lately on a connection that died must be sent again
   */
  default void idle() throws IOException {}

  /** Whether the last contact with the target succeeded (TCP: a connection is open). */
  boolean connected();

  /** For logs and the health page: where the points go, without secrets. */
  String describe();

  /** Closes any connection; never throws. */
  @Override
  void close();
}
