package org.opentsdbcatchpoint.pull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.Map;

/** {@link HttpTransport} over the JDK's {@link HttpURLConnection}: no dependency inside the TSD. */
public final class UrlConnectionTransport implements HttpTransport {
  @Override
  public HttpAnswer send(HttpCall call) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(call.url()).openConnection();
    c.setRequestMethod(call.method());
    c.setConnectTimeout(call.timeoutMillis());
    c.setReadTimeout(call.timeoutMillis());
    c.setInstanceFollowRedirects(true);
    c.setUseCaches(false);
    for (Map.Entry<String, String> h : call.headers().entrySet()) {
      c.setRequestProperty(h.getKey(), h.getValue());
    }
    try {
      if (call.body() != null) {
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode(call.body().length);
        try (OutputStream out = c.getOutputStream()) {
          out.write(call.body());
        }
      }
      int status = c.getResponseCode();
      InputStream body = status >= 400 ? c.getErrorStream() : c.getInputStream();
      if (body == null) {
        body = new ByteArrayInputStream(new byte[0]);
      }
      // Closing the stream (not disconnect()) lets the JDK keep the connection alive for the next call;
      // an answer abandoned mid-body (cut, unreadable) drops its connection instead of draining it.
      return new HttpAnswer(status, c::getHeaderField, body, c::disconnect);
    } catch (IOException | RuntimeException e) {
      c.disconnect();
      throw e;
    }
  }
}
