package org.opentsdbcatchpoint.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the import command prints, from an import's progress as the TSD answers it
 * ({@code /plugin/catchpoint/pull/import?id=}): the plan, a progress bar for a terminal, a plain line
 * for a log, and the last line.
 */
final class ProgressText {
  static final int BAR_WIDTH = 24;

  private ProgressText() {}

  /** The import and what it will take, before it starts. */
  static String plan(Map<String, Object> p) {
    return "import " + p.get("id") + ": account " + p.get("account") + ", tests " + tests(p) + ", "
        + p.get("from") + " to " + p.get("to") + "\n"
        + "plan: " + count(p, "windows_total") + " windows of " + duration(number(p, "window_seconds")) + ", "
        + count(p, "requests_planned") + " requests, about " + duration(number(p, "estimate_seconds"))
        + ("last_import".equals(p.get("estimate_from")) ? " at the speed of the account's last import"
            : " at the account's import pace (longer when Catchpoint or storage is slower)");
  }

  /** One line drawn over itself on a terminal ({@code \r} before it): bar, windows, runs, points, rate, time left. */
  static String bar(Map<String, Object> p) {
    long done = number(p, "windows_done");
    long total = number(p, "windows_total");
    int filled = total <= 0 ? BAR_WIDTH : (int) (BAR_WIDTH * Math.min(done, total) / total);
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < BAR_WIDTH; i++) {
      b.append(i < filled ? '#' : '.');
    }
    b.append("] ").append(body(p));
    return b.toString();
  }

  /** The same as a plain line, for a log or a pipe, with the time of day (UTC) first. */
  static String line(Map<String, Object> p, long nowMillis) {
    return timeOfDay(nowMillis) + " " + p.get("id") + " " + body(p);
  }

  /** HH:mm:ss, UTC. */
  static String timeOfDay(long millis) {
    return java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss").withZone(java.time.ZoneOffset.UTC)
        .format(java.time.Instant.ofEpochMilli(millis));
  }

  private static String body(Map<String, Object> p) {
    long done = number(p, "windows_done");
    long total = number(p, "windows_total");
    long pct = total <= 0 ? 100 : 100 * done / total;
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%3d%%", pct)).append("  ").append(count(p, "windows_done")).append('/')
        .append(count(p, "windows_total")).append(" windows  ").append(count(p, "runs")).append(" runs  ")
        .append(count(p, "points")).append(" points  ");
    long rate = number(p, "points_per_second");
    b.append(rate > 0 ? grouped(rate) + " points/s  " : "");
    Object eta = p.get("eta_seconds");
    String state = String.valueOf(p.get("state"));
    if ("running".equals(state)) {
      b.append(eta instanceof Number ? duration(((Number) eta).longValue()) + " left" : "time left not known yet");
    } else {
      b.append(state);
    }
    if (p.get("paused_until") != null) {
      b.append("  (rate limited until ").append(p.get("paused_until")).append(')');
    }
    return b.toString();
  }

  /** The last line: what was imported, or why it failed. */
  static String end(Map<String, Object> p) {
    String state = String.valueOf(p.get("state"));
    if ("failed".equals(state)) {
      return "import " + p.get("id") + " failed: " + p.get("last_error") + "\n(run the same command again to resume "
          + "it from where it stopped)";
    }
    return "import " + p.get("id") + " done: " + count(p, "runs") + " runs, " + count(p, "points") + " points in "
        + count(p, "windows_done") + " windows (" + count(p, "requests") + " requests, " + count(p, "rate_limited")
        + " rate limited)";
  }

  static String tests(Map<String, Object> p) {
    Object t = p.get("tests");
    if (!(t instanceof List)) {
      return String.valueOf(t);
    }
    StringBuilder b = new StringBuilder();
    for (Object o : (List<?>) t) {
      b.append(b.length() > 0 ? "," : "").append(o instanceof Number ? Long.toString(((Number) o).longValue()) : o);
    }
    return b.toString();
  }

  static long number(Map<String, Object> p, String key) {
    Object v = p.get(key);
    return v instanceof Number ? ((Number) v).longValue() : 0;
  }

  private static String count(Map<String, Object> p, String key) {
    return grouped(number(p, key));
  }

  static String grouped(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** 45 s, 12 min 5 s, 3 h 20 min, 2 d 4 h. */
  static String duration(long seconds) {
    if (seconds < 120) {
      return seconds + " s";
    }
    if (seconds < 3600) {
      return seconds / 60 + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
    }
    if (seconds < 86400) {
      return seconds / 3600 + " h" + (seconds % 3600 / 60 == 0 ? "" : " " + seconds % 3600 / 60 + " min");
    }
    return seconds / 86400 + " d" + (seconds % 86400 / 3600 == 0 ? "" : " " + seconds % 86400 / 3600 + " h");
  }
}
