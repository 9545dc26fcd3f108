package org.opentsdbcatchpoint.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** The one place that decides between retrying and dropping. */
class FailureTest {
  private static Failure http(int status) {
    return Failure.classify(new HttpStatusException(status, "HTTP " + status, 0));
  }

  @Test
  void ioTimeoutsFiveHundredsAndTooManyRequestsAreRetried() {
    assertEquals(Failure.CONNECT, Failure.classify(new ConnectException("refused")));
    assertEquals(Failure.CONNECT, Failure.classify(new NoRouteToHostException()));
    assertEquals(Failure.CONNECT, Failure.classify(new UnknownHostException("carbon")));
    assertEquals(Failure.TIMEOUT, Failure.classify(new SocketTimeoutException()));
    assertEquals(Failure.IO, Failure.classify(new IOException("Connection reset")));
    assertEquals(Failure.IO, Failure.classify(new EOFException()));
    assertEquals(Failure.CONNECTION_LOST, Failure.classify(
        new ConnectionLostException("closed", Collections.emptyList(), true, null)));
    assertEquals(Failure.TIMEOUT, Failure.classify(new ConnectionLostException("closed", Collections.emptyList(),
        false, new SocketTimeoutException())), "a loss noticed while writing counts as the write's failure");
    for (int s : new int[] {500, 502, 503, 504, 599}) {
      assertEquals(Failure.SERVER_ERROR, http(s));
    }
    assertEquals(Failure.THROTTLED, http(429));
    assertEquals(Failure.THROTTLED, http(408));
    for (Failure f : new Failure[] {Failure.CONNECT, Failure.TIMEOUT, Failure.CONNECTION_LOST, Failure.IO,
        Failure.SERVER_ERROR, Failure.THROTTLED}) {
      assertTrue(f.retryable(), f.name());
    }
  }

  @Test
  void otherClientErrorsAndBugsAreDropped() {
    for (int s : new int[] {400, 401, 403, 404, 413, 422}) {
      assertEquals(Failure.REJECTED, http(s));
    }
    assertEquals(Failure.INTERNAL, Failure.classify(new IllegalStateException()));
    assertFalse(Failure.REJECTED.retryable());
    assertFalse(Failure.INTERNAL.retryable());
    assertEquals("connection_lost", Failure.CONNECTION_LOST.label());
  }
}
