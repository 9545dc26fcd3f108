package org.opentsdbcatchpoint.grafana;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Catchpoint's numeric error codes ({@code catchpoint.error.code}) mean, for the failed-run
 * annotations. Catchpoint's web nodes report network failures with the Windows Internet (WinINet)
 * error codes (12001 to 12175), and HTTP failures with the status code; any other code is shown as its
 * number. The table is documented in docs/grafana.md.
 */
public final class ErrorCodes {
  private static final Map<Long, String> MEANINGS = new LinkedHashMap<>();

  static {
    code(12001, "out of handles");
    code(12002, "the request timed out");
    code(12004, "internal error of the browser's network stack");
    code(12005, "the URL is invalid");
    code(12006, "the URL's scheme is not recognised");
    code(12007, "the server's name could not be resolved (DNS)");
    code(12009, "invalid option");
    code(12012, "the network stack is shutting down");
    code(12015, "login failed");
    code(12017, "the operation was cancelled");
    code(12028, "item not found");
    code(12029, "could not connect to the server");
    code(12030, "the connection was aborted");
    code(12031, "the connection was reset");
    code(12037, "the SSL certificate has expired or is not yet valid");
    code(12038, "the SSL certificate's name does not match the host");
    code(12044, "the server asks for a client certificate");
    code(12045, "the SSL certificate's authority is not trusted");
    code(12150, "an HTTP header was not found");
    code(12152, "the server's answer is invalid");
    code(12156, "a redirect failed");
    code(12157, "error in the secure channel (SSL/TLS)");
    code(12169, "the SSL certificate is invalid");
    code(12170, "the SSL certificate was revoked");
    code(12175, "SSL/TLS decoding failed");
  }

  private static void code(long code, String meaning) {
    MEANINGS.put(code, meaning);
  }

  private ErrorCodes() {}

  /** The meaning of an error code, as one might read it at 3 a.m. */
  public static String meaning(long code) {
    String m = MEANINGS.get(code);
    if (m != null) {
      return m + " (" + code + ")";
    }
    if (code >= 400 && code <= 599) {
      return "HTTP " + code + (code < 500 ? " (the server refused the request)" : " (server error)");
    }
    return "error code " + code;
  }

  /** The table (for documentation and tests). */
  public static Map<Long, String> table() {
    return Collections.unmodifiableMap(MEANINGS);
  }
}
