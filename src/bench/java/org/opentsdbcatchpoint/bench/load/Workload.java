package org.opentsdbcatchpoint.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.opentsdbcatchpoint.tsd.PutJsonPoints;
import org.opentsdbcatchpoint.catalog.Node;
import org.opentsdbcatchpoint.catalog.NodeCatalog;
import org.opentsdbcatchpoint.catalog.NodeCatalogReader;
import org.opentsdbcatchpoint.catalog.StaticNodeCatalog;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.push.PushException;

/**
 * The benchmark's runs: {@code tests} Catchpoint tests (ids from {@code firstTestId} on), each of one fixture type (in {@link #MIX}
 * proportions) and each run by {@code nodesPerTest} nodes of the catalog. Run k of a sequence is
 * template {@code k mod size()} at second {@code first + k / size()}, so every run is a new cell of
 * an existing series and the tag values (test ids, node ids, enrichment) are as many as in a
 * mid-sized Catchpoint account.
 *
 * <p>The datapoints of each run come from the plugin's own {@link PushDecoder} and {@link RunMapper}
 * with the plugin's default settings, so the native paths carry exactly what the plugin writes.
 */
final class Workload {
  /** Fixture and its share of runs: web tests dominate accounts, then API, ping, traceroute, DNS. */
  static final Map<String, Integer> MIX = new LinkedHashMap<>();

  static {
    MIX.put("push-web-default.json", 8);
    MIX.put("push-template-filled.json", 4);
    MIX.put("push-ping.json", 3);
    MIX.put("push-traceroute.json", 2);
    MIX.put("push-dns-v3.json", 2);
    MIX.put("push-dns-error.json", 1);
  }

  /** The load's first test id; other measurements (StorageBench) take test ids of their own. */
  static final long FIRST_TEST_ID = 200_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<RunTemplate> runs;
  private final int catalogNodes;

  private Workload(List<RunTemplate> runs, int catalogNodes) {
    this.runs = runs;
    this.catalogNodes = catalogNodes;
  }

  int catalogNodes() {
    return catalogNodes;
  }

  int size() {
    return runs.size();
  }

  RunTemplate run(long k) {
    return runs.get((int) (k % runs.size()));
  }

  long second(long firstSecond, long k) {
    return firstSecond + k / runs.size();
  }

  /** Seconds of run time that {@code runCount} runs take up. */
  long secondsFor(long runCount) {
    return (runCount + runs.size() - 1) / runs.size();
  }

  double pointsPerRun() {
    return (double) points() / runs.size();
  }

  double tagsPerPoint() {
    long tags = 0;
    for (RunTemplate r : runs) {
      tags += r.tags;
    }
    return (double) tags / points();
  }

  long points() {
    long points = 0;
    for (RunTemplate r : runs) {
      points += r.points.size();
    }
    return points;
  }

  /** Runs per fixture, and the datapoints each fixture maps to. */
  Map<String, int[]> mix() {
    Map<String, int[]> m = new LinkedHashMap<>();
    for (RunTemplate r : runs) {
      int[] c = m.computeIfAbsent(r.fixture, k -> new int[2]);
      c[0]++;
      c[1] = r.points.size();
    }
    return m;
  }

  static Workload build(Path fixtures, Path catalogFile, int tests, int nodesPerTest, long seed, long firstTestId)
      throws IOException, PushException {
    List<Node> catalogNodes = NodeCatalogReader.read(catalogFile);
    if (catalogNodes.size() < nodesPerTest) {
      throw new IllegalArgumentException("the catalog has " + catalogNodes.size() + " nodes, fewer than "
          + nodesPerTest);
    }
    List<Long> nodeIds = new ArrayList<>();
    for (Node n : catalogNodes) {
      nodeIds.add(n.id());
    }
    Templates templates = new Templates(new StaticNodeCatalog(catalogNodes));
    List<String> pattern = new ArrayList<>();
    MIX.forEach((fixture, weight) -> pattern.addAll(Collections.nCopies(weight, fixture)));
    Collections.shuffle(pattern, new Random(seed));
    Map<String, ObjectNode> bodies = new HashMap<>();
    for (String name : MIX.keySet()) {
      bodies.put(name, (ObjectNode) JSON.readTree(Files.readAllBytes(fixtures.resolve(name))));
    }

    Random random = new Random(seed);
    List<List<RunTemplate>> byTest = new ArrayList<>();
    for (int t = 0; t < tests; t++) {
      String fixture = pattern.get(t % pattern.size());
      List<Long> nodes = new ArrayList<>(nodeIds);
      Collections.shuffle(nodes, random);
      List<RunTemplate> testRuns = new ArrayList<>();
      for (long nodeId : nodes.subList(0, nodesPerTest)) {
        testRuns.add(templates.make(fixture, bodies.get(fixture), firstTestId + t, nodeId));
      }
      byTest.add(testRuns);
    }
    // Interleave tests, so consecutive runs belong to different tests as they do in the field.
    List<RunTemplate> runs = new ArrayList<>(tests * nodesPerTest);
    for (int n = 0; n < nodesPerTest; n++) {
      for (List<RunTemplate> testRuns : byTest) {
        runs.add(testRuns.get(n));
      }
    }
    return new Workload(Collections.unmodifiableList(runs), catalogNodes.size());
  }

  /** Makes run templates with the plugin's own decoding and mapping. */
  private static final class Templates {
    /** Any time in range; the templates replace it. */
    private static final long REFERENCE_SECOND = 1_705_320_000L;
    private final DefaultPipeline plugin;

    Templates(NodeCatalog catalog) {
      plugin = new DefaultPipeline(catalog);
    }

    RunTemplate make(String fixture, ObjectNode fixtureBody, long testId, long nodeId)
        throws IOException, PushException {
      TimedText push = new TimedText(JSON.writeValueAsString(withIdentity(fixtureBody, testId, nodeId)));
      List<DataPoint> mapped = map(push.render(REFERENCE_SECOND));
      List<TimedText> points = new ArrayList<>(mapped.size());
      int tags = 0;
      for (DataPoint p : mapped) {
        points.add(new TimedText(putJson(p)));
        tags += p.tags().size();
      }
      RunTemplate run = new RunTemplate(fixture, testId, nodeId, push, points, tags);
      check(run, REFERENCE_SECOND + 3_600 + 61);
      return run;
    }

    List<DataPoint> map(byte[] body) throws PushException {
      return plugin.map(body, System.currentTimeMillis() / 1000);
    }

    /** The body of a run of this test on this node, the run time left open. */
    private static ObjectNode withIdentity(ObjectNode fixture, long testId, long nodeId) {
      ObjectNode body = fixture.deepCopy();
      if (body.has("TestId")) { // Catchpoint's default format
        body.put("TestId", testId);
        body.put("NodeId", nodeId);
        ((ObjectNode) body.get("Summary")).put("Timestamp", TimedText.COMPACT);
        if (body.has("TestRuntime")) {
          body.put("TestRuntime", TimedText.COMPACT);
        }
      } else { // the project's template
        body.put("testId", Long.toString(testId));
        body.put("nodeId", Long.toString(nodeId));
        body.put("ts", TimedText.COMPACT);
        body.put("tsEpoch", TimedText.EPOCH_TEXT);
      }
      return body;
    }

    private static String putJson(DataPoint p) throws IOException {
      ObjectNode o = JSON.createObjectNode();
      o.put("metric", p.metric());
      o.put("timestamp", TimedText.EPOCH_NUMBER.replace("\"", ""));
      o.put("value", p.value());
      ObjectNode tags = o.putObject("tags");
      p.tags().forEach(tags::put);
      return JSON.writeValueAsString(o);
    }

    /**
     * The claim the benchmark rests on: at any run time, the /api/put points (read as the addPoint loop
     * reads them) are exactly what the plugin makes of the push body, time included.
     */
    private void check(RunTemplate run, long second) throws PushException {
      List<DataPoint> fromPush = map(run.push.render(second));
      ByteArrayOutputStream array = new ByteArrayOutputStream();
      array.write('[');
      for (TimedText t : run.points) {
        if (array.size() > 1) {
          array.write(',');
        }
        t.render(second, array);
      }
      array.write(']');
      List<DataPoint> fromPut = PutJsonPoints.parse(array.toByteArray());
      if (!fromPush.equals(fromPut) || fromPush.isEmpty() || fromPush.get(0).timestampSeconds() != second) {
        throw new IllegalStateException("the /api/put points of test " + run.testId + " node " + run.nodeId
            + " differ from what the plugin maps its push to:\n" + fromPush + "\n" + fromPut + "\n"
            + new String(run.push.render(second), StandardCharsets.UTF_8));
      }
    }
  }
}
