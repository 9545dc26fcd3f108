package org.opentsdbcatchpoint.sink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * One POST of a batch to an HTTP target, JDK only ({@link HttpURLConnection}, which keeps connections
 * alive between batches), for every HTTP kind (InfluxDB, Prometheus, KairosDB, OpenTSDB). The answer is
 * read whole, so the connection can be reused, and kept up to a bound.
 */
final class HttpPost {
  private HttpPost() {}

  /** What the target answered. */
  static final class Answer {
    final int status;
    /** The body, at most the bound asked for (the rest was read and thrown away). */
    final byte[] body;
    final boolean cut;
    final String retryAfter;

    Answer(int status, byte[] body, boolean cut, String retryAfter) {
      this.status = status;
      this.body = body;
      this.cut = cut;
      this.retryAfter = retryAfter;
    }

    boolean ok() {
      return status >= 200 && status <= 299;
    }

    /** The start of the body as text, for an error message. */
    String text(int max) {
      String s = new String(body, 0, Math.min(body.length, max), StandardCharsets.UTF_8).trim();
      return s.isEmpty() ? "(no body)" : s;
    }
  }

  /**
   * @param headers sent as they are ({@code Content-Encoding: gzip} among them when the body is gzip)
   * @param keepBytes how much of the answer's body to keep
   * @throws IOException connecting, writing or reading failed or timed out
   */
  static Answer post(URL url, Map<String, String> headers, byte[] body, int timeoutMillis, int keepBytes)
      throws IOException {
    HttpURLConnection c = (HttpURLConnection) url.openConnection();
    try {
      c.setConnectTimeout(timeoutMillis);
      c.setReadTimeout(timeoutMillis);
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setUseCaches(false);
      c.setInstanceFollowRedirects(false);
      for (Map.Entry<String, String> h : headers.entrySet()) {
        c.setRequestProperty(h.getKey(), h.getValue());
      }
      c.setFixedLengthStreamingMode(body.length);
      try (OutputStream out = c.getOutputStream()) {
        out.write(body);
      }
      int status = c.getResponseCode();
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      ByteArrayOutputStream kept = new ByteArrayOutputStream();
      boolean cut = false;
      if (in != null) {
        try (InputStream s = in) {
          byte[] buf = new byte[8192];
          int n;
          while ((n = s.read(buf)) > 0) {
            int room = keepBytes - kept.size();
            kept.write(buf, 0, Math.max(0, Math.min(n, room)));
            cut |= n > room;
          }
        }
      }
      return new Answer(status, kept.toByteArray(), cut, c.getHeaderField("Retry-After"));
    } catch (IOException | RuntimeException e) {
      c.disconnect();
      throw e;
    }
  }

  /** The URL as given, with {@code defaultPath} when it has no path at all ({@code http://host:port}). */
  static URL withDefaultPath(String url, String defaultPath) throws MalformedURLException {
    URL u = new URL(url);
    String path = u.getPath();
    if (path.isEmpty() || path.equals("/")) {
      return new URL(u.getProtocol(), u.getHost(), u.getPort(), defaultPath);
    }
    return u;
  }

  /** Throws what a status other than 2xx means for {@link Failure#classify}, with the server's Retry-After. */
  static void refuseUnlessOk(Answer a, String description, int maxText) throws HttpStatusException {
    if (!a.ok()) {
      throw new HttpStatusException(a.status, "HTTP " + a.status + " from " + description + ": " + a.text(maxText),
          retryAfterMillis(a.retryAfter));
    }
  }

  static byte[] gzip(byte[] plain) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 4 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
      gz.write(plain);
    }
    return out.toByteArray();
  }

  /** Retry-After in seconds, as milliseconds; an HTTP date or anything else counts as none. */
  static long retryAfterMillis(String header) {
    if (header == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(header.trim())) * 1000;
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
