package org.opentsdbcatchpoint.pull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.opentsdbcatchpoint.pipeline.Clock;
import org.opentsdbcatchpoint.stats.Stats;
import org.opentsdbcatchpoint.web.JsonGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one account's requests with the retry rules of the pull side: 429 waits as long as Catchpoint
 * asks ({@code Retry-After}, else v2's {@code usageLimits}, else backoff); 5xx and I/O errors, also
 * while the body is being read, retry with exponential backoff and jitter; 401 goes back to the
 * caller (v1 refreshes its token); any other 4xx is logged once per request and counted, never
 * retried. A 2xx that is not JSON (an HTML page, garbage, a body cut short) is counted as a bad answer
 * and retried like an I/O error. An answer larger than the call's size bound or
 * slower than its deadline is cut, counted and not retried at once (the window waits for the next
 * interval). Never logs a header or a request body, where the secrets are.
 */
public final class CatchpointHttp {
  private static final Logger LOG = LoggerFactory.getLogger(CatchpointHttp.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** Error bodies are read up to this size, for the message and the expiry check. */
  static final int MAX_ERROR_BODY = 64 * 1024;
  private static final int MAX_LOGGED_REFUSALS = 1000;

  /** Reads a 2xx body; called again on a retry, so it must start from scratch each time. */
  public interface BodyReader<T> {
    T read(InputStream body) throws IOException, InterruptedException;
  }

  private final String account;
  private final HttpTransport transport;
  private final Clock clock;
  private final Backoff backoff;
  private final long maxInlineWaitMillis;
  private final Stats stats;
  private final Set<String> refusalsLogged;
  private final AccountQuota quota;
  /** True for an import's requests: each waits for its turn in the account's quota first. */
  private final boolean importTraffic;

  /**
   * @param maxInlineWaitMillis the longest 429 wait slept through; a longer one fails the request
   *     with {@link PullException.Kind#RATE_LIMITED} so the job pauses instead of holding a thread
   */
  public CatchpointHttp(String account, HttpTransport transport, Clock clock, Backoff backoff,
      long maxInlineWaitMillis, Stats stats) {
    this(account, transport, clock, backoff, maxInlineWaitMillis, stats, new AccountQuota(clock, 60));
  }

  /** @param quota the account's quota, which its live pulls and its imports share */
  public CatchpointHttp(String account, HttpTransport transport, Clock clock, Backoff backoff,
      long maxInlineWaitMillis, Stats stats, AccountQuota quota) {
    this(account, transport, clock, backoff, maxInlineWaitMillis, stats, quota, false,
        ConcurrentHashMap.<String>newKeySet());
  }

  private CatchpointHttp(String account, HttpTransport transport, Clock clock, Backoff backoff,
      long maxInlineWaitMillis, Stats stats, AccountQuota quota, boolean importTraffic, Set<String> refusalsLogged) {
    this.account = account;
    this.transport = transport;
    this.clock = clock;
    this.backoff = backoff;
    this.maxInlineWaitMillis = maxInlineWaitMillis;
    this.stats = stats;
    this.quota = quota;
    this.importTraffic = importTraffic;
    this.refusalsLogged = refusalsLogged;
  }

  /**
   * The same account's client for an import: every request (and every retry) waits for its turn in the
   * shared quota, behind the live pulls; a 429 it gets pauses the account's other imports too.
   */
  public CatchpointHttp forImports() {
    return new CatchpointHttp(account, transport, clock, backoff, maxInlineWaitMillis, stats, quota, true,
        refusalsLogged);
  }

  public AccountQuota quota() {
    return quota;
  }

  public String account() {
    return account;
  }

  public Clock clock() {
    return clock;
  }

  public Stats stats() {
    return stats;
  }

  public <T> T call(HttpCall call, BodyReader<T> reader) throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("pull stopped");
      }
      if (importTraffic) {
        quota.awaitImportTurn();
        stats.increment("catchpoint.pull.import_requests", "account", account);
      }
      stats.increment("catchpoint.pull.requests", "account", account);
      long waitMillis;
      PullException failure;
      long sentMillis = clock.nowMillis();
      try (HttpAnswer answer = transport.send(call)) {
        int status = answer.status();
        if (status >= 200 && status < 300) {
          String type = answer.header("Content-Type");
          if (type != null && !isJson(type)) {
            String body = readSome(answer.body());
            answer.abort();
            stats.increment("catchpoint.pull.bad_answers", "account", account);
            throw new IOException("answered " + status + " with Content-Type " + abbreviate(type) + ", not JSON: "
                + abbreviate(body));
          }
          try {
            return reader.read(new BoundedAnswer(answer.body(), clock, sentMillis, call.answerDeadlineMillis(),
                call.maxAnswerBytes()));
          } catch (IOException | RuntimeException e) {
            answer.abort();
            throw e;
          }
        }
        String body = readSome(answer.body());
        if (status == 429) {
          stats.increment("catchpoint.pull.rate_limited", "account", account);
          if (importTraffic) {
            stats.increment("catchpoint.pull.import_rate_limited", "account", account);
          }
          waitMillis = rateLimitWait(answer.header("Retry-After"), body, attempt);
          quota.rateLimitedUntil(clock.nowMillis() + waitMillis);
          failure = new PullException(PullException.Kind.RATE_LIMITED, status,
              account + ": " + call + " was rate limited (429): " + abbreviate(body), null,
              clock.nowMillis() + waitMillis);
        } else if (status >= 500) {
          stats.increment("catchpoint.pull.server_errors", "account", account);
          waitMillis = backoff.delayMillis(attempt);
          failure = new PullException(PullException.Kind.UNAVAILABLE, status,
              account + ": " + call + " answered " + status + ": " + abbreviate(body), null);
        } else if (status == 401 || isExpiredToken(body)) {
          throw new PullException(status == 401 ? PullException.Kind.UNAUTHORIZED : PullException.Kind.EXPIRED_TOKEN,
              status, account + ": " + call + " answered " + status + ": " + abbreviate(body), null);
        } else {
          throw refused(call, status, body);
        }
      } catch (PullException e) {
        throw e;
      } catch (BoundedAnswer.CutException e) {
        if (e.tooLarge) {
          stats.increment("catchpoint.pull.answers_too_large", "account", account);
        } else {
          stats.increment("catchpoint.pull.answers_too_slow", "account", account);
        }
        throw new PullException(PullException.Kind.UNAVAILABLE, 200, account + ": " + call + ": " + e.getMessage()
            + " (not retried before the next interval)", e);
      } catch (IOException e) {
        if (e instanceof JsonProcessingException) {
          stats.increment("catchpoint.pull.bad_answers", "account", account);
        }
        stats.increment("catchpoint.pull.io_errors", "account", account);
        waitMillis = backoff.delayMillis(attempt);
        failure = new PullException(PullException.Kind.UNAVAILABLE, 0,
            account + ": " + call + " failed: " + e, e);
      }
      if (attempt >= backoff.maxAttempts()) {
        if (failure.kind() == PullException.Kind.RATE_LIMITED) {
          throw failure;
        }
        throw new PullException(failure.kind(), failure.status(), failure.getMessage() + " (gave up after "
            + attempt + " attempts)", failure.getCause());
      }
      if (failure.kind() == PullException.Kind.RATE_LIMITED && waitMillis > maxInlineWaitMillis) {
        throw failure;
      }
      stats.increment("catchpoint.pull.retries", "account", account);
      LOG.debug("{}; retrying in {} ms", failure.getMessage(), waitMillis);
      clock.sleep(waitMillis);
    }
  }

  /** Logs a refused request once (method and URL only) and counts it. */
  PullException refused(HttpCall call, int status, String body) {
    stats.increment("catchpoint.pull.refused", "account", account);
    String key = status + " " + call;
    if (refusalsLogged.size() < MAX_LOGGED_REFUSALS && refusalsLogged.add(key)) {
      LOG.warn("catchpoint pull, account {}: {} was refused with {}: {} (not retried; logged once)",
          account, call, status, abbreviate(body));
    }
    return new PullException(PullException.Kind.REFUSED, status,
        account + ": " + call + " was refused with " + status + ": " + abbreviate(body), null);
  }

  /** How long a 429 asks to wait: Retry-After (seconds or a date), else v2 usageLimits, else backoff. */
  long rateLimitWait(String retryAfter, String body, int attempt) {
    long now = clock.nowMillis();
    if (retryAfter != null && !retryAfter.trim().isEmpty()) {
      String v = retryAfter.trim();
      try {
        return Math.max(0, Long.parseLong(v) * 1000);
      } catch (NumberFormatException notSeconds) {
        try {
          long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
          return Math.max(0, at - now);
        } catch (DateTimeParseException notADate) {
          // fall through to the body
        }
      }
    }
    Long usage = usageLimitsWait(body, now);
    return usage != null ? usage : backoff.delayMillis(attempt);
  }

  /**
   * v2's {@code usageLimits}: the exceeded period (from {@code exceededMessage}, else from
   * {@code runs >= limits}) ends at the next minute, hour or day boundary (UTC), plus a second.
   */
  static Long usageLimitsWait(String body, long nowMillis) {
    JsonNode usage;
    try {
      JsonNode root = JsonGuard.readTree(MAPPER, body.getBytes(StandardCharsets.UTF_8));
      usage = root == null ? null : root.path("usageLimits");
    } catch (IOException | RuntimeException e) {
      return null;
    }
    if (usage == null || !usage.isObject()) {
      return null;
    }
    String[] periods = {"day", "hour", "minute", "second"};
    long[] millis = {86_400_000L, 3_600_000L, 60_000L, 1000L};
    String message = usage.path("exceededMessage").asText("").toLowerCase(Locale.ROOT);
    for (int i = 0; i < periods.length; i++) {
      boolean exceeded = message.contains(periods[i]);
      if (!exceeded && message.isEmpty()) {
        JsonNode runs = usage.path("runs").path(periods[i]);
        JsonNode limit = usage.path("limits").path(periods[i]);
        exceeded = runs.isNumber() && limit.isNumber() && runs.asLong() >= limit.asLong();
      }
      if (exceeded) {
        long next = (Math.floorDiv(nowMillis, millis[i]) + 1) * millis[i];
        return next - nowMillis + 1000;
      }
    }
    return null;
  }

  /** Whether a Content-Type may hold JSON: not an HTML or XML page (a login page, a proxy's error). */
  static boolean isJson(String contentType) {
    String t = contentType.toLowerCase(Locale.ROOT);
    return !t.contains("html") && !t.contains("xml");
  }

  /** "Expired token" in any casing, in any message of a body. */
  static boolean isExpiredToken(String text) {
    if (text == null) {
      return false;
    }
    String lower = text.toLowerCase(Locale.ROOT);
    return lower.contains("expired") && lower.contains("token");
  }

  static String readSome(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    while (out.size() < MAX_ERROR_BODY && (n = in.read(buf, 0, Math.min(buf.length, MAX_ERROR_BODY - out.size()))) > 0) {
      out.write(buf, 0, n);
    }
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
  }

  static String abbreviate(String s) {
    String one = s.replaceAll("\\s+", " ").trim();
    return one.length() <= 300 ? one : one.substring(0, 297) + "...";
  }
}
