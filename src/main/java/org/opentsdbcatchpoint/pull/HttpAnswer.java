package org.opentsdbcatchpoint.pull;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Function;

/** An HTTP answer whose body is still on the wire: read it as a stream, then close it. */
public final class HttpAnswer implements Closeable {
  private final int status;
  private final Function<String, String> headers;
  private final InputStream body;
  private final Runnable abort;

  /** @param headers looks a header up by name, case-insensitively; null when absent */
  public HttpAnswer(int status, Function<String, String> headers, InputStream body) {
    this(status, headers, body, () -> { });
  }

  /** @param abort drops the connection of a body that will not be read to its end */
  public HttpAnswer(int status, Function<String, String> headers, InputStream body, Runnable abort) {
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.abort = abort;
  }

  /** Gives the rest of the body up: the connection is dropped rather than drained for reuse. */
  public void abort() {
    abort.run();
  }

  public int status() {
    return status;
  }

  public String header(String name) {
    return headers.apply(name);
  }

  public InputStream body() {
    return body;
  }

  @Override
  public void close() throws IOException {
    body.close();
  }
}
