package org.opentsdbcatchpoint.mapping;

/**
 * Makes any string a legal OpenTSDB tag value, deterministically and readably. OpenTSDB takes
 * {@code a-z A-Z 0-9 - _ . /} and Unicode letters; every run of other characters becomes one
 * underscore, and underscores at either end are trimmed: {@code "Jinan, CN - Unicom"} ->
 * {@code "Jinan_CN_-_Unicom"}, {@code "São Paulo"} -> {@code "São_Paulo"}.
 */
public final class TagValues {
  private TagValues() {}

  /** The sanitised value, or null when nothing legal is left (the caller then omits the tag). */
  public static String sanitize(String raw) {
    if (raw == null) {
      return null;
    }
    if (alreadyClean(raw)) {
      return raw; // most catalog values: nothing to build
    }
    StringBuilder b = new StringBuilder(raw.length());
    boolean pendingUnderscore = false;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (isLegal(c)) {
        if (pendingUnderscore && b.length() > 0) {
          b.append('_');
        }
        pendingUnderscore = false;
        b.append(c);
      } else {
        pendingUnderscore = true;
      }
    }
    // Trim underscores that came from the value itself too, so " x " and "_x_" read the same.
    int start = 0;
    int end = b.length();
    while (start < end && b.charAt(start) == '_') {
      start++;
    }
    while (end > start && b.charAt(end - 1) == '_') {
      end--;
    }
    return start < end ? b.substring(start, end) : null;
  }

  /** True when {@link #sanitize} would return the value unchanged: not empty, all legal, no underscore at either end. */
  private static boolean alreadyClean(String raw) {
    int n = raw.length();
    if (n == 0 || raw.charAt(0) == '_' || raw.charAt(n - 1) == '_') {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (!isLegal(raw.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** OpenTSDB's own rule (Tags.validateString without special characters). */
  public static boolean isLegal(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '_' || c == '.' || c == '/' || Character.isLetter(c);
  }
}
