package org.opentsdbcatchpoint.sink;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentsdbcatchpoint.Fixtures;
import org.opentsdbcatchpoint.catalog.NodeCatalog;
import org.opentsdbcatchpoint.catalog.NodeCatalogReader;
import org.opentsdbcatchpoint.catalog.StaticNodeCatalog;
import org.opentsdbcatchpoint.mapping.RunMapper;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.push.DecodeOptions;
import org.opentsdbcatchpoint.push.PushDecoder;

/**
 * The datapoints of every shared push fixture (every one that is a run: not the unfilled template), as
 * the pipeline makes them: node catalog, default tag limit, and the per-hop, per-host and per-zone
 * series switched on, so names with dots and odd characters in tag values are in the mix.
 */
final class FixturePoints {
  private static final long NOW = 1705400000L;

  private FixturePoints() {}

  /** By fixture file name, in name order. */
  static Map<String, List<DataPoint>> all() throws Exception {
    NodeCatalog catalog = new StaticNodeCatalog(NodeCatalogReader.read(Fixtures.path("rest-v1-nodes.json")));
    PushDecoder decoder = new PushDecoder(new DecodeOptions(true, true, true), 1 << 20, 3600);
    RunMapper mapper = new RunMapper(() -> catalog, Vocabulary.ENRICHMENT_TAGS, 8);
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> d = Files.newDirectoryStream(Fixtures.dir(), "push-*.json")) {
      for (Path p : d) {
        files.add(p);
      }
    }
    files.sort(null);
    if (files.size() < 5) {
      throw new IOException("expected the shared push-*.json fixtures in " + Fixtures.dir() + ", found " + files);
    }
    Map<String, List<DataPoint>> out = new LinkedHashMap<>();
    for (Path p : files) {
      String name = p.getFileName().toString();
      if (Fixtures.text(name).contains("${")) {
        continue; // the template Catchpoint fills in (push-template-recommended.json), not a run
      }
      List<DataPoint> points = mapper.map(decoder.decode(Fixtures.bytes(name), "application/json", NOW).run());
      if (points.isEmpty()) {
        throw new IllegalStateException(name + " gives no datapoint");
      }
      out.put(name, points);
    }
    return out;
  }

  static List<DataPoint> flat() throws Exception {
    List<DataPoint> all = new ArrayList<>();
    for (List<DataPoint> points : all().values()) {
      all.addAll(points);
    }
    return all;
  }
}
