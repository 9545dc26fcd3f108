package org.opentsdbcatchpoint.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** One client's connection to the TSD: POSTs a JSON body, waits for the answer. Not thread-safe. */
interface HttpPoster extends AutoCloseable {
  Reply post(String target, byte[] body) throws IOException, InterruptedException;

  @Override
  void close();

  /** Status and body of an answer. */
  final class Reply {
    final int status;
    final byte[] body;

    Reply(int status, byte[] body) {
      this.status = status;
      this.body = body;
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** Makes one poster per client thread. */
  interface Factory {
    HttpPoster open(String host, int port) throws IOException;
  }
}
