package org.opentsdbcatchpoint.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HTTP to another OpenTSDB (a second data centre, a migration): {@code POST /api/put?details&sync}, a
 * gzip body of {@link OpenTsdbJson}. With {@code sync} the target answers once its HBase acknowledged
 * every point (or failed to); with {@code details} it says, point by point, what it refused. What that
 * means here (OpenTSDB 2.4's {@code PutDataPointRpc}):
 * <ul>
 *   <li>2xx with no failure: delivered.</li>
 *   <li>A point its storage failed ({@code Storage exception}, {@code Please throttle}, {@code Timeout
 *       exception}: a 200 when nothing else failed, a 400 otherwise): the whole batch is sent again, as
 *       writing the same value again is harmless; a point refused along with it is counted when the batch
 *       is finally taken, once.</li>
 *   <li>400 with per-point errors and none of storage's: those points are refused for good (an unknown
 *       metric on a TSD that does not create them, an illegal name, too many tags) while the rest were
 *       stored: a {@link PointsRefusedException} counts them as dropped, the rest as sent.</li>
 *   <li>Any other answer is an {@link HttpStatusException} for {@link Failure#classify}: a 400 without
 *       per-point errors (a body the TSD could not read, larger than its {@code tsd.http.request.max_chunk})
 *       drops the batch, 5xx and I/O errors are retried.</li>
 * </ul>
 * The answer is read as a stream, keeping the counts and the first few errors only: a batch whose every
 * point was refused costs no more memory than one that was taken.
 */
public final class OpenTsdbTransport implements Transport {
  static final String DEFAULT_PATH = "/api/put";
  private static final int MAX_ERROR_TEXT = 400;
  /** The answer lists each refused point with its error: the most of it kept (and parsed). */
  private static final int MAX_ANSWER = 4 << 20;
  private static final int ERRORS_KEPT = 3;
  private static final JsonFactory JSON = new JsonFactory();
  /** The errors of OpenTSDB 2.4's /api/put that are storage's, not the point's: worth sending again. */
  private static final String[] STORAGE_ERRORS = {"Storage exception", "Please throttle", "Timeout exception",
      "Write timedout", "Not cached yet"};

  private final URL writeUrl;
  private final Map<String, String> headers;
  private final int timeoutMillis;
  private final String description;
  private final OpenTsdbJson json = new OpenTsdbJson();
  private volatile boolean connected;

  /**
   * @param url the write URL, e.g. {@code http://tsd-dc2:4242/api/put}, without a query; one without a
   *     path gets {@value #DEFAULT_PATH}
   * @param sync wait for the target's storage ({@code sync}): without it a point the target took but
   *     then failed to store is lost unseen
   */
  public OpenTsdbTransport(String url, boolean sync, int timeoutMillis) throws IOException {
    URL u = HttpPost.withDefaultPath(url, DEFAULT_PATH);
    this.writeUrl = new URL(u, u.getPath() + (sync ? "?details&sync" : "?details"));
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "application/json; charset=utf-8");
    h.put("Content-Encoding", "gzip");
    h.put("Accept", "application/json");
    this.headers = Collections.unmodifiableMap(h);
    this.timeoutMillis = timeoutMillis;
    this.description = "opentsdb " + u + (sync ? "" : " (not waiting for its storage)");
  }

  @Override
  public int send(PointRing batch) throws IOException {
    Encoded encoded = json.encode(batch);
    if (encoded.isEmpty()) {
      return encoded.invalid();
    }
    int written = OpenTsdbJson.written(batch, encoded);
    HttpPost.Answer a;
    try {
      a = HttpPost.post(writeUrl, headers, HttpPost.gzip(encoded.bytes()), timeoutMillis, MAX_ANSWER);
    } catch (IOException | RuntimeException e) {
      connected = false;
      throw e;
    }
    connected = true;
    if (a.status != 400 && !a.ok()) {
      throw new HttpStatusException(a.status, "HTTP " + a.status + " from " + description + ": "
          + a.text(MAX_ERROR_TEXT), HttpPost.retryAfterMillis(a.retryAfter));
    }
    Put put = Put.read(a.body);
    if (put == null) {
      if (a.ok()) {
        return encoded.invalid(); // 204: no details asked for (a proxy in between); nothing refused
      }
      throw new HttpStatusException(400, "HTTP 400 from " + description + ": " + a.text(MAX_ERROR_TEXT), 0);
    }
    if (put.storageErrors > 0 || (a.ok() && put.failed > 0)) {
      throw new IOException(description + " stored " + Math.max(0, put.success) + " of " + written
          + " points; " + Math.max(put.storageErrors, put.failed) + " failed in its storage, sent again: "
          + put.firstErrors());
    }
    if (a.ok()) {
      return encoded.invalid();
    }
    int refused = (int) Math.min(written, Math.max(1, Math.max(put.failed, put.errors)));
    throw new PointsRefusedException(refused, encoded.invalid(), "HTTP 400 from " + description + ": "
        + refused + " of " + written + " points refused: " + put.firstErrors());
  }

  /** What {@code /api/put?details} said: its counts and its first errors. */
  static final class Put {
    long success = -1;
    long failed = -1;
    int errors;
    int storageErrors;
    final List<String> first = new ArrayList<>();

    /** The answer's counts, or null when the body is not {@code /api/put}'s details. */
    static Put read(byte[] body) {
      if (body.length == 0) {
        return null;
      }
      Put put = new Put();
      try (JsonParser p = JSON.createParser(body)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          return null;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.getCurrentName();
          JsonToken t = p.nextToken();
          if ("success".equals(field) && t == JsonToken.VALUE_NUMBER_INT) {
            put.success = p.getLongValue();
          } else if ("failed".equals(field) && t == JsonToken.VALUE_NUMBER_INT) {
            put.failed = p.getLongValue();
          } else if ("errors".equals(field) && t == JsonToken.START_ARRAY) {
            while (p.nextToken() == JsonToken.START_OBJECT) {
              put.error(p);
            }
          } else {
            p.skipChildren();
          }
        }
      } catch (IOException e) {
        // Cut or not JSON: what was read so far counts only if the counts were in it.
      }
      return put.failed < 0 && put.errors == 0 ? null : put;
    }

    /** One {"datapoint":{...},"error":"..."}. */
    private void error(JsonParser p) throws IOException {
      String error = null;
      String point = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.getCurrentName();
        JsonToken t = p.nextToken();
        if ("error".equals(field) && t == JsonToken.VALUE_STRING) {
          error = p.getText();
        } else if ("datapoint".equals(field) && t == JsonToken.START_OBJECT) {
          point = datapoint(p);
        } else {
          p.skipChildren();
        }
      }
      errors++;
      String e = error == null ? "(no error given)" : error;
      for (String s : STORAGE_ERRORS) {
        if (e.startsWith(s)) {
          storageErrors++;
          break;
        }
      }
      if (first.size() < ERRORS_KEPT) {
        first.add(e + (point == null ? "" : " (" + point + ")"));
      }
    }

    /** {@code metric timestamp value}: enough to find the point, without its tags. */
    private static String datapoint(JsonParser p) throws IOException {
      StringBuilder b = new StringBuilder();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.getCurrentName();
        JsonToken t = p.nextToken();
        if (("metric".equals(field) || "timestamp".equals(field) || "value".equals(field)) && t.isScalarValue()) {
          if (b.length() > 0) {
            b.append(' ');
          }
          b.append(p.getText());
        } else {
          p.skipChildren();
        }
      }
      return b.toString();
    }

    String firstErrors() {
      String s = String.join("; ", first) + (errors > first.size() ? "; ..." : "");
      return s.length() > MAX_ERROR_TEXT ? s.substring(0, MAX_ERROR_TEXT) + "..." : s;
    }
  }

  URL writeUrl() {
    return writeUrl;
  }

  @Override
  public boolean connected() {
    return connected;
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() {
    connected = false;
  }
}
