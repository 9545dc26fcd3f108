package org.opentsdbcatchpoint.pull;

import org.opentsdbcatchpoint.pipeline.Clock;
import java.io.IOException;

/**
 * The v1 access token of one account, fetched when first needed and reused until {@code expires_in}
 * minus a margin (a tenth of the lifetime, at most a minute), so a token never expires in flight in
 * the normal case. When Catchpoint says it expired anyway, {@link #invalidate(String)} drops it.
 */
public final class TokenCache {
  /** Fetches a new token from Catchpoint. */
  public interface Source {
    Token fetch() throws IOException, InterruptedException;
  }

  /** A token and its lifetime as Catchpoint gave them. */
  public static final class Token {
    public final String accessToken;
    public final long expiresInSeconds;

    public Token(String accessToken, long expiresInSeconds) {
      this.accessToken = accessToken;
      this.expiresInSeconds = expiresInSeconds;
    }
  }

  static final long MAX_MARGIN_MILLIS = 60_000;

  private final Source source;
  private final Clock clock;
  private String token;
  private long refreshAtMillis;

  public TokenCache(Source source, Clock clock) {
    this.source = source;
    this.clock = clock;
  }

  /** The cached token, or a new one when there is none or it is about to expire. */
  public synchronized String get() throws IOException, InterruptedException {
    long now = clock.nowMillis();
    if (token == null || now >= refreshAtMillis) {
      Token t = source.fetch();
      long lifetime = Math.max(0, t.expiresInSeconds) * 1000;
      long margin = Math.min(MAX_MARGIN_MILLIS, lifetime / 10);
      token = t.accessToken;
      refreshAtMillis = clock.nowMillis() + lifetime - margin;
    }
    return token;
  }

  /** Drops the token if it is still the cached one (another thread may have refreshed it already). */
  public synchronized void invalidate(String expired) {
    if (token != null && token.equals(expired)) {
      token = null;
    }
  }
}
