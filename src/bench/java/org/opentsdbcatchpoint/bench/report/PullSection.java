package org.opentsdbcatchpoint.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Locale;

/**
 * Scenario 5: the REST pull's parsing alone (MB/s, and the heap with the heap capped), and one big v1
 * window pulled into the real TSD through the plugin, new series included.
 */
final class PullSection {
  static final double PARSE_MB_PER_SECOND_TARGET = 100;
  static final double HEAP_CAP_MB = 64;
  static final long BIG_PULL_RUNS = 20_000;
  static final double BIG_PULL_SECONDS_TARGET = 3;

  private PullSection() {}

  static void add(BenchReport r) throws IOException {
    r.md.append("## REST pulls (scenario 5)\n\n");
    PullParsing.render(r, r.input("pull-parse.json"));
    intoTsd(r, r.input("pull.json"));
  }

  private static void intoTsd(BenchReport r, JsonNode pull) {
    r.md.append("### A big v1 window pulled into the TSD\n\n");
    String what = "a 20,000-run × 8-column v1 raw window pulled into the TSD, new series included, in < 3 s";
    if (pull == null) {
      r.md.append("Not run.\n\n");
      r.target(what, "not run", null);
      return;
    }
    r.out.set("pull_into_tsd", pull.path("pulls"));
    r.md.append("Each account has one web test never pulled before; its first pull asks the fake Catchpoint of "
        + "the stack for one interval back (every node of the catalog, a run a minute, 8 columns), so every "
        + "series it writes is new. Seconds: the plugin's own `last_window.seconds` in "
        + "`/plugin/catchpoint/pull/status`, from the request to the last datapoint acknowledged by HBase. "
        + "Every datapoint is counted back through `/api/query`. The first account runs in a TSD that has "
        + "never stored anything: its pull path runs for the first time and every metric, tag key and tag "
        + "value is a new UID, which the TSD allocates one after another (an atomic increment on one HBase "
        + "row per kind). The others add new series of known tag values (and their test id). New UIDs and "
        + "HBase RPCs: the TSD's own `/api/stats` counters, before and after the pull.\n\n");
    r.md.append("| account | runs | datapoints (read back) | answer | seconds | datapoints/s | new UIDs | HBase gets |\n"
        + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
    JsonNode first = null;
    JsonNode slowestLater = null;
    for (JsonNode p : pull.path("pulls")) {
      if (first == null) {
        first = p;
      } else if (slowestLater == null
          || p.path("window_seconds").asDouble() > slowestLater.path("window_seconds").asDouble()) {
        slowestLater = p;
      }
      String bytes = p.path("answer_bytes").isNumber()
          ? String.format(Locale.ROOT, "%.1f MB", p.path("answer_bytes").asDouble() / 1e6) : "–";
      JsonNode tsd = p.path("tsd");
      String uids = tsd.isObject() ? String.format(Locale.ROOT, "%,d", newUids(tsd)) : "–";
      String gets = tsd.isObject() ? String.format(Locale.ROOT, "%,d", tsd.path("hbase_rpcs.get").asLong()) : "–";
      r.md.append(String.format(Locale.ROOT, "| %s%s | %,d | %,d (%,d) | %s | %.2f | %,d | %s | %s |%n",
          p.path("account").asText(), "scheduler".equals(p.path("trigger").asText()) ? " (by its schedule)" : "",
          p.path("runs").asLong(), p.path("datapoints").asLong(), p.path("stored_datapoints").asLong(), bytes,
          p.path("window_seconds").asDouble(), p.path("values_per_second").asLong(), uids, gets));
    }
    r.md.append('\n');
    if (first == null) {
      r.target(what, "no pull measured", null);
      return;
    }
    // The target is new series; a TSD's very first data also pays for every UID, shown beside it.
    JsonNode judged = slowestLater != null ? slowestLater : first;
    long runs = judged.path("runs").asLong();
    double seconds = judged.path("window_seconds").asDouble();
    String measured = String.format(Locale.ROOT, "%s: %,d runs, %,d datapoints in %.2f s",
        slowestLater != null ? "new series, slowest of " + (pull.path("pulls").size() - 1) : "first pull", runs,
        judged.path("datapoints").asLong(), seconds);
    if (slowestLater != null) {
      measured += String.format(Locale.ROOT, "; the first pull into an empty TSD (%s new UIDs): %.2f s",
          first.path("tsd").isObject() ? String.format(Locale.ROOT, "%,d", newUids(first.path("tsd"))) : "all",
          first.path("window_seconds").asDouble());
    }
    r.target(what, runs < BIG_PULL_RUNS ? measured + " (a smaller window than the target's)" : measured,
        runs < BIG_PULL_RUNS ? null : seconds < BIG_PULL_SECONDS_TARGET);
  }

  private static long newUids(JsonNode tsd) {
    return tsd.path("new_uids.metrics").asLong() + tsd.path("new_uids.tagk").asLong()
        + tsd.path("new_uids.tagv").asLong();
  }
}
