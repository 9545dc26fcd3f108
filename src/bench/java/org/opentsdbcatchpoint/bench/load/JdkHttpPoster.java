package org.opentsdbcatchpoint.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The JDK HttpClient (HTTP/1.1, keep-alive), to compare with {@link RawHttpPoster}. */
final class JdkHttpPoster implements HttpPoster {
  /** One client for every thread, as an application would share it; it pools the connections. */
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  static final Factory FACTORY = JdkHttpPoster::new;

  private final String base;

  private JdkHttpPoster(String host, int port) {
    this.base = "http://" + host + ":" + port;
  }

  @Override
  public Reply post(String target, byte[] body) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + target)).timeout(Duration.ofSeconds(120))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    HttpResponse<byte[]> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
    return new Reply(r.statusCode(), r.body());
  }

  @Override
  public void close() {
    // the shared client keeps its pool
  }
}
