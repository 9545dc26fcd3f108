package org.opentsdbcatchpoint.pull;

import java.io.IOException;

/**
 * The one-method HTTP seam of the REST clients. The default ({@link UrlConnectionTransport}) uses the
 * JDK alone, so the plugin adds no HTTP library to the TSD's JVM; tests talk to an in-process server.
 */
public interface HttpTransport {
  /**
   * Sends a request and returns once the status line and headers arrived; the body is read from the
   * answer as a stream and must be closed.
   *
   * @throws IOException when no answer arrived (connection refused, timeout, reset)
   */
  HttpAnswer send(HttpCall call) throws IOException;
}
