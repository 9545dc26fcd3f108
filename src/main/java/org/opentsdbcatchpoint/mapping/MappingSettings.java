package org.opentsdbcatchpoint.mapping;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.opentsdbcatchpoint.config.Key;
import org.opentsdbcatchpoint.config.SettingsReader;

/** How runs become datapoints: which enrichment tags, in which order. Immutable. */
public final class MappingSettings {
  public static final Key ENRICHMENT = Key.of("tags.enrichment", "list", String.join(",", Vocabulary.ENRICHMENT_TAGS),
      "Enrichment tags to write, highest priority first; the last ones are dropped when a point would exceed "
      + "tsd.storage.max_tags.");

  public static final Key NAMING = Key.of("naming", "contract|legacy|both", "contract",
      "Metric names: contract (the naming table), legacy (the old Python REST script's catchpoint.testdata.* names, "
      + "tagged TestId, NodeId, StepNumber, HopNumber, for dashboards built on them), or both while dashboards move "
      + "over (the metric-name budget counts both).");

  public static final List<Key> KEYS = Collections.unmodifiableList(java.util.Arrays.asList(ENRICHMENT, NAMING));

  public final List<String> enrichmentTags;
  public final Naming naming;

  public MappingSettings(SettingsReader r) {
    List<String> out = new ArrayList<>();
    for (String t : r.list(ENRICHMENT)) {
      String tag = t.toLowerCase(Locale.ROOT);
      if (!Vocabulary.ENRICHMENT_TAGS.contains(tag)) {
        r.problem(ENRICHMENT, "has an unknown tag \"" + tag + "\"; known: " + String.join(",", Vocabulary.ENRICHMENT_TAGS));
      } else if (!out.contains(tag)) {
        out.add(tag);
      }
    }
    enrichmentTags = Collections.unmodifiableList(out);
    naming = Naming.valueOf(r.choice(NAMING, "contract", "legacy", "both").toUpperCase(Locale.ROOT));
  }

  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(ENRICHMENT.name, String.join(",", enrichmentTags));
    m.put(NAMING.name, naming.name().toLowerCase(Locale.ROOT));
    return m;
  }
}
