package org.opentsdbcatchpoint.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A secret a request must carry (the push token, the admin token), kept only as a digest and compared
 * in constant time. One rule for every route: no token is 401, a wrong one 403.
 */
public final class AccessToken {
  private final byte[] digest;

  public AccessToken(String secret) {
    this.digest = sha256(secret);
  }

  /** Null for null or empty: nothing to check against. */
  public static AccessToken of(String secret) {
    return secret == null || secret.isEmpty() ? null : new AccessToken(secret);
  }

  public boolean matches(String candidate) {
    return candidate != null && MessageDigest.isEqual(digest, sha256(candidate));
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
