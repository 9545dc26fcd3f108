package org.opentsdbcatchpoint.catalog;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentsdbcatchpoint.config.Key;
import org.opentsdbcatchpoint.config.SettingsReader;

/** Where the node catalog comes from and how often it is refreshed. Immutable. */
public final class CatalogSettings {
  public static final Key FILE = Key.of("catalog.file", "path", null,
      "Node catalog in the shape of Catchpoint's REST /nodes answer (v1 or v2), for the enrichment tags.");
  public static final Key CACHE_FILE = Key.of("catalog.cache_file", "path", null,
      "Where the last node catalog fetched from Catchpoint is kept, so a TSD that restarts while Catchpoint is "
      + "unreachable still enriches. Unset: not kept.");
  public static final Key REFRESH = Key.of("catalog.refresh", "duration", "6h",
      "How often the node catalog is fetched from the pull accounts (v1 /nodes, v2 /nodes/all); 0 never.");

  public static final List<Key> KEYS = Collections.unmodifiableList(Arrays.asList(FILE, CACHE_FILE, REFRESH));

  public final Path file;
  /** The nodes of {@link #file}, read with the settings: a file that is not a node list stops the TSD. */
  public final List<Node> staticNodes;
  public final Path cacheFile;
  public final long refreshSeconds;

  public CatalogSettings(SettingsReader r) {
    file = r.readableFile(FILE);
    List<Node> nodes = Collections.emptyList();
    if (file != null) {
      try {
        nodes = Collections.unmodifiableList(NodeCatalogReader.read(file));
      } catch (IOException | RuntimeException e) {
        r.problem(FILE, "(" + file + ") is not a Catchpoint node list: " + e.getMessage());
      }
    }
    staticNodes = nodes;
    cacheFile = r.writableFile(CACHE_FILE);
    refreshSeconds = r.seconds(REFRESH, 0, 30L * 86400);
  }

  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(FILE.name, file == null ? "(none)" : file.toString());
    m.put(CACHE_FILE.name, cacheFile == null ? "(none)" : cacheFile.toString());
    m.put(REFRESH.name, refreshSeconds + "s");
    return m;
  }
}
