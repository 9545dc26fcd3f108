package org.opentsdbcatchpoint.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** Scenario 5, parsing alone: what {@code PullParseBench} measured (MB/s, and the heap under its cap). */
final class PullParsing {
  private PullParsing() {}

  static void render(BenchReport r, JsonNode parse) {
    r.md.append("### Parsing alone\n\n");
    String what = "pull parsing >= 100 MB/s with the heap flat under a 64 MB cap";
    if (parse == null) {
      r.md.append("Not run.\n\n");
      r.target(what, "not run", null);
      return;
    }
    r.out.set("pull_parse", parse);
    JsonNode w = parse.path("workload");
    r.md.append(String.format(Locale.ROOT, "A synthetic raw answer (%d web tests × %d nodes × %d minutes, 8 "
        + "columns) through the production path: the client, the streaming parser, the run assembler, the "
        + "shared mapper and the window writer, into a writer that acknowledges at once (no TSD). Then, in a "
        + "JVM capped at the heap below, a much larger answer generated as it is read.%n%n", w.path("tests").asInt(),
        w.path("nodes").asInt(), w.path("minutes").asInt()));
    r.md.append("| API | answer | MB/s (min–max) | values/s | heap cap | streamed | heap after full GC at 10% / 50% "
        + "/ 100% | flat |\n|---|---:|---:|---:|---:|---:|---|---|\n");
    JsonNode t = parse.path("throughput");
    JsonNode h = parse.path("heap");
    boolean met = true;
    StringBuilder measured = new StringBuilder();
    for (String api : new String[] {"v1", "v2"}) {
      JsonNode a = t.path(api);
      JsonNode b = h.path(api);
      if (a.isMissingNode() && b.isMissingNode()) {
        continue;
      }
      double mbs = a.path("mb_per_s").path("median").asDouble(Double.NaN);
      JsonNode at = b.path("used_after_full_gc_bytes");
      boolean flat = b.path("flat").asBoolean(false);
      met &= mbs >= PullSection.PARSE_MB_PER_SECOND_TARGET && flat;
      measured.append(measured.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT,
          "%s %.0f MB/s, heap %.1f MiB at the end (%s)", api, mbs, at.path("at_100pct").asDouble() / 1048576,
          flat ? "flat" : "not flat"));
      r.md.append(String.format(Locale.ROOT, "| %s | %.1f MB | %.0f (%.0f–%.0f) | %,.0f | %d MB | %.0f MB | %.1f / "
          + "%.1f / %.1f MiB | %s |%n", api, a.path("answer_bytes").asDouble() / 1e6, mbs,
          a.path("mb_per_s").path("min").asDouble(), a.path("mb_per_s").path("max").asDouble(),
          a.path("values_per_s").path("median").asDouble(), h.path("heap_cap_mb").asInt(),
          b.path("answer_bytes").asDouble() / 1e6, at.path("at_10pct").asDouble() / 1048576,
          at.path("at_50pct").asDouble() / 1048576, at.path("at_100pct").asDouble() / 1048576,
          flat ? "yes" : "**no**" + (b.path("out_of_memory").asBoolean() ? " (OutOfMemoryError)" : "")));
    }
    r.md.append('\n');
    r.target(what, measured.length() == 0 ? "nothing measured" : measured.toString(),
        measured.length() == 0 ? null : met);
  }
}
