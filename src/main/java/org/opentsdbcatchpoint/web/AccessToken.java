package org.opentsdbcatchpoint.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A secret a request must carry (the push token, the admin token), kept only as a digest and compared
 * in constant time. One rule for every route: no token is 401, a wrong one 403. During a rotation a
 * previous secret is accepted too, and each request that still carries it is reported, so the operator
 * sees when nothing uses it any more.
 */
public final class AccessToken {
  private final byte[] digest;
  /** Null outside a rotation. */
  private final byte[] previous;
  private final Runnable previousUsed;

  public AccessToken(String secret) {
    this(secret, null, () -> { });
  }

  private AccessToken(String secret, String previousSecret, Runnable previousUsed) {
    this.digest = sha256(secret);
    this.previous = previousSecret == null || previousSecret.isEmpty() ? null : sha256(previousSecret);
    this.previousUsed = previousUsed;
  }

  /** Null for null or empty: nothing to check against. */
  public static AccessToken of(String secret) {
    return secret == null || secret.isEmpty() ? null : new AccessToken(secret);
  }

  /**
   * A token with the one it replaces still accepted ({@code previousSecret} null or empty: none);
   * {@code previousUsed} runs for each request that carried the previous one.
   */
  public static AccessToken rotating(String secret, String previousSecret, Runnable previousUsed) {
    return secret == null || secret.isEmpty() ? null : new AccessToken(secret, previousSecret, previousUsed);
  }

  public boolean matches(String candidate) {
    if (candidate == null) {
      return false;
    }
    byte[] given = sha256(candidate);
    // Both compared every time, so the answer's timing does not tell which one a guess was near.
    boolean current = MessageDigest.isEqual(digest, given);
    boolean old = previous != null && MessageDigest.isEqual(previous, given);
    if (old && !current) {
      previousUsed.run();
    }
    return current || old;
  }

  /** What a request's token is. */
  public enum Verdict {
    OK(0, null),
    MISSING(401, "missing_token"),
    WRONG(403, "wrong_token");

    public final int status;
    /** The error kind of the answer (and of its counter). */
    public final String kind;

    Verdict(int status, String kind) {
      this.status = status;
      this.kind = kind;
    }
  }

  public Verdict check(String given) {
    if (given == null || given.isEmpty()) {
      return Verdict.MISSING;
    }
    return matches(given) ? Verdict.OK : Verdict.WRONG;
  }

  /**
   * The answer to a request whose token is missing or wrong.
   *
   * @param how where the token goes, for the 401's message ({@code ?token=SECRET})
   */
  public static Response refusal(Verdict v, String how) {
    return Json.error(v.status, v.kind, v == Verdict.MISSING ? "a token is required: " + how
        : "the token is not valid", "token");
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  @Override
  public String toString() {
    return "AccessToken(****)";
  }
}
