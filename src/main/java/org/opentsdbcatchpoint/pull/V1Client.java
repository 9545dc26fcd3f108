package org.opentsdbcatchpoint.pull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentsdbcatchpoint.catalog.Node;
import org.opentsdbcatchpoint.web.JsonGuard;

/**
 * Catchpoint REST v1 ({@code .../ui/api}): a client-credentials token from {@code /token}, cached by
 * {@link TokenCache} and refreshed once when a call answers 401 or says the token expired; raw data
 * from {@code /v1/performance/raw} (LastRaw, several tests of one type per call) or
 * {@code /v1/performance/raw/ID?startTime&endTime} (one test, one window); nodes from {@code /v1/nodes}.
 */
public final class V1Client {
  /** What LastRaw serves: the last 15 minutes. */
  public static final long LAST_RAW_SECONDS = 15 * 60;
  static final int MAX_NODE_PAGES = 1000;

  private final PullAccountSettings account;
  private final CatchpointHttp http;
  private final TokenCache tokens;

  public V1Client(PullAccountSettings account, CatchpointHttp http) {
    this.account = account;
    this.http = http;
    this.tokens = new TokenCache(this::fetchToken, http.clock());
  }

  /** LastRaw for tests of one type: every run of the last 15 minutes. */
  public RowCounts lastRaw(List<Long> testIds, Integer typeId, RunSink sink) throws IOException, InterruptedException {
    String url = account.baseUrl + "/v1/performance/raw?tests=" + join(testIds);
    return authorized(url, in -> {
      RunAssembler runs = new RunAssembler(typeId, sink);
      V1RawParser.parse(in, runs);
      return runs.counts();
    });
  }

  /** The runs of one test between two times (epoch seconds, UTC). */
  public RowCounts rawWindow(long testId, Integer typeId, long startSeconds, long endSeconds, RunSink sink)
      throws IOException, InterruptedException {
    String url = account.baseUrl + "/v1/performance/raw/" + testId + "?startTime="
        + encode(RestTimes.iso(startSeconds)) + "&endTime=" + encode(RestTimes.iso(endSeconds));
    return authorized(url, in -> {
      RunAssembler runs = new RunAssembler(typeId, sink);
      V1RawParser.parse(in, runs);
      return runs.counts();
    });
  }

  /** Every node, following {@code has_more} / {@code page_number} when the list is paged. */
  public List<Node> nodes() throws IOException, InterruptedException {
    List<Node> all = new ArrayList<>();
    Integer page = null;
    for (int i = 0; i < MAX_NODE_PAGES; i++) {
      String url = account.baseUrl + "/v1/nodes" + (page == null ? "" : "?pageNumber=" + page);
      NodePages p = authorized(url, NodePages::read);
      all.addAll(p.nodes);
      if (!p.hasMore || p.nodes.isEmpty()) {
        return all;
      }
      int current = p.pageNumber != null ? p.pageNumber : (page == null ? 1 : page);
      if (page != null && current < page) {
        current = page;
      }
      page = current + 1;
    }
    throw new PullException(PullException.Kind.API_ERROR, 200, account.name + ": /v1/nodes still had more after "
        + MAX_NODE_PAGES + " pages", null);
  }

  /** A GET with the cached token; on 401 or "expired token", one refresh and one more try. */
  private <T> T authorized(String url, CatchpointHttp.BodyReader<T> reader) throws IOException, InterruptedException {
    String token = tokens.get();
    try {
      return http.call(get(url, token), reader);
    } catch (PullException e) {
      if (!e.isAuthFailure()) {
        throw e;
      }
      tokens.invalidate(token);
      http.stats().increment("catchpoint.pull.token_refreshes", "account", account.name);
      return http.call(get(url, tokens.get()), reader);
    }
  }

  private HttpCall get(String url, String token) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Accept", "application/json");
    h.put("Authorization", "Bearer " + bearer(token, account.rawBearer));
    return new HttpCall("GET", url, h, null, account.timeoutMillis, account.answerDeadlineMillis,
        account.maxAnswerBytes);
  }

  /** Most clients send the token base64-encoded; some accounts want it as it came. */
  static String bearer(String token, boolean raw) {
    return raw ? token : Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
  }

  private TokenCache.Token fetchToken() throws IOException, InterruptedException {
    String form = "grant_type=client_credentials&client_id=" + encode(account.clientId)
        + "&client_secret=" + encode(account.clientSecret);
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Accept", "application/json");
    h.put("Content-Type", "application/x-www-form-urlencoded");
    HttpCall call = new HttpCall("POST", account.baseUrl + "/token", h, form.getBytes(StandardCharsets.UTF_8),
        account.timeoutMillis, account.answerDeadlineMillis, account.maxAnswerBytes);
    try {
      return http.call(call, V1Client::readToken);
    } catch (PullException e) {
      if (e.isAuthFailure()) {
        // Wrong credentials: refreshing again cannot help.
        throw http.refused(call, e.status(), e.getMessage());
      }
      throw e;
    }
  }

  static TokenCache.Token readToken(InputStream in) throws IOException {
    String token = null;
    long expiresIn = 0;
    String error = null;
    try (JsonParser p = JsonGuard.parser(JsonStream.MAPPER.getFactory().createParser(in))) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw JsonStream.notCatchpoint("a token answer is a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.getCurrentName();
        JsonToken t = p.nextToken();
        if ("access_token".equals(f)) {
          token = JsonStream.text(p, t);
        } else if ("expires_in".equals(f)) {
          Long n = JsonStream.wholeNumber(p, t);
          expiresIn = n == null ? 0 : n;
        } else if ("error".equals(f) || "error_description".equals(f) || "Message".equalsIgnoreCase(f)) {
          String v = JsonStream.text(p, t);
          error = error == null ? v : error + " " + v;
        } else {
          p.skipChildren();
        }
      }
    }
    if (token == null || token.isEmpty()) {
      throw new PullException(PullException.Kind.API_ERROR, 200, "the token answer has no access_token"
          + (error != null ? ": " + CatchpointHttp.abbreviate(error) : ""), null);
    }
    return new TokenCache.Token(token, expiresIn);
  }

  static String join(List<Long> ids) {
    StringBuilder b = new StringBuilder();
    for (Long id : ids) {
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(id);
    }
    return b.toString();
  }

  static String encode(String s) {
    try {
      return URLEncoder.encode(s == null ? "" : s, "UTF-8");
    } catch (UnsupportedEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
