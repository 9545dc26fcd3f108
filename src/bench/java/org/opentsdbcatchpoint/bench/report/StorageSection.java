package org.opentsdbcatchpoint.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Locale;

/** HBase bytes per run stored, with compact storage (0.2 on) and with every value a double (before). */
final class StorageSection {
  private StorageSection() {}

  static void add(BenchReport r) throws IOException {
    JsonNode s = r.input("storage.json");
    r.md.append("## HBase bytes per run stored\n\n");
    if (s == null) {
      r.md.append("Not run.\n\n");
      return;
    }
    r.out.set("storage", s);
    JsonNode compact = s.path("compact");
    JsonNode doubles = s.path("double");
    r.md.append(String.format(Locale.ROOT, "The same %,d runs (%,d datapoints) written twice under test ids of their "
        + "own: through the plugin's push, which since 0.2 writes whole-number metrics as OpenTSDB integers (1 to 8 "
        + "bytes a value), and through the benchmark's addPoint route with every value an 8-byte double, as the "
        + "plugin wrote them before 0.2. Before the first and after each, the `tsdb` table is flushed and "
        + "major-compacted and its store files summed: bytes per run = growth / runs. Plain cells as this stack "
        + "keeps them: no compression, no data block encoding, and the TSD's own row compaction off (each "
        + "datapoint is one HBase cell with its whole row key).%n%n", compact.path("runs").asLong(),
        compact.path("points").asLong()));
    r.md.append("| written as | bytes per run | bytes per datapoint | table growth |\n|---|---:|---:|---:|\n");
    for (JsonNode f : new JsonNode[] {compact, doubles}) {
      r.md.append(String.format(Locale.ROOT, "| %s | %,.0f | %.1f | %,d |%n", f.path("how").asText(),
          f.path("bytes_per_run").asDouble(), f.path("bytes_per_point").asDouble(), f.path("bytes").asLong()));
    }
    r.md.append(String.format(Locale.ROOT, "%nCompact / double: %.3f.%n%n", s.path("compact_over_double").asDouble()));
  }
}
