package org.opentsdbcatchpoint.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.Fixtures;
import org.opentsdbcatchpoint.catalog.NodeCatalog;
import org.opentsdbcatchpoint.catalog.NodeCatalogReader;
import org.opentsdbcatchpoint.catalog.StaticNodeCatalog;
import org.opentsdbcatchpoint.mapping.RunMapper;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pipeline.Run;
import org.opentsdbcatchpoint.push.DecodeOptions;
import org.opentsdbcatchpoint.push.PushDecoder;

/**
 * A run pushed and the same run pulled write the same cells: same metric, tags, second and double, so
 * whichever arrives second rewrites identical values. The run is the first item of rest-v1-raw-web.json
 * (test 100001, node 540, 2024-01-15T12:04:33Z); the push is push-web-default.json moved to that time
 * (its own run is at 12:14:33).
 */
class PushPullSameCellsTest {
  private static final long RUN_TIME = 1705320273L;

  @Test
  void pushAndPullOfOneRunGiveIdenticalDataPointsForTheSharedMetrics() throws Exception {
    NodeCatalog nodes = new StaticNodeCatalog(NodeCatalogReader.read(Fixtures.path("rest-v1-nodes.json")));
    RunMapper mapper = new RunMapper(() -> nodes, Vocabulary.ENRICHMENT_TAGS, 8);

    String push = Fixtures.text("push-web-default.json").replace("20240115121433012", "20240115120433012");
    Run pushed = new PushDecoder(DecodeOptions.defaults(), 1 << 20, 86400)
        .decode(push.getBytes(StandardCharsets.UTF_8), "application/json", RUN_TIME + 60).run();
    assertEquals(RUN_TIME, pushed.timestampSeconds());

    Runs.Collect sink = new Runs.Collect();
    RunAssembler assembler = new RunAssembler(0, sink);
    V1RawParser.parse(new ByteArrayInputStream(Fixtures.bytes("rest-v1-raw-web.json")), assembler);
    Run pulled = sink.runs.get(0);

    Map<String, DataPoint> pushPoints = byMetric(mapper.map(pushed));
    Map<String, DataPoint> pullPoints = byMetric(mapper.map(pulled));
    Set<String> shared = new TreeSet<>(pushPoints.keySet());
    shared.retainAll(pullPoints.keySet());
    assertEquals(new TreeSet<>(Arrays.asList("catchpoint.count.connections", "catchpoint.timing.connect",
        "catchpoint.timing.dns", "catchpoint.timing.document_complete", "catchpoint.timing.ssl",
        "catchpoint.timing.wait")), shared);
    for (String metric : shared) {
      assertEquals(pushPoints.get(metric), pullPoints.get(metric), metric);
    }
    // Enriched alike, and a cell of the run's own second.
    DataPoint dns = pullPoints.get("catchpoint.timing.dns");
    assertEquals(RUN_TIME, dns.timestampSeconds());
    assertEquals("Frankfurt", dns.tags().get("city"));
    assertEquals("web", dns.tags().get("test_type"));
    // No catchpoint.run from a pull: a raw row does not say whether the run succeeded.
    assertTrue(!pullPoints.containsKey(Vocabulary.RUN));
  }

  private static Map<String, DataPoint> byMetric(List<DataPoint> points) {
    Map<String, DataPoint> m = new HashMap<>();
    for (DataPoint p : points) {
      if (m.put(p.metric(), p) != null) {
        throw new AssertionError("two points of " + p.metric());
      }
    }
    return m;
  }
}
