package org.opentsdbcatchpoint.push;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.opentsdbcatchpoint.pipeline.Run;

/**
 * Template payloads: JSON (or XML) the user wrote with {@code ${macro}} placeholders, which
 * Catchpoint fills in as text. Every value is a string, booleans are {@code True}/{@code False}, a
 * missing value is empty. Field names are matched without regard to case or separators, and wherever
 * the template puts them:
 * <ul>
 *   <li>the project's recommended template: identity at the top, results grouped
 *       ({@code "timing":{"dns":...}});
 *   <li>hand-written flat ones named like the macros ({@code "timingdns"}, {@code "TimingDns"},
 *       {@code "timing_dns"});
 *   <li>Grafana's catchpoint-prometheus-exporter template: identity nested under
 *       {@code TestDetails}, results flat under {@code Summary} ({@code TotalTime}, {@code AnyError},
 *       {@code ConnectionsCount}: see {@link Vocabulary#flatMetric}).
 * </ul>
 */
final class TemplateFormatDecoder {
  /** Measurement groups by the squashed prefix a template uses for them (macro names start with these). */
  private static final Map<String, String> GROUPS = new LinkedHashMap<>();

  static {
    GROUPS.put("timing", Vocabulary.TIMING);
    GROUPS.put("ping", Vocabulary.PING);
    GROUPS.put("error", Vocabulary.ERROR);
    GROUPS.put("bytes", Vocabulary.BYTES);
    GROUPS.put("byte", Vocabulary.BYTES);
    GROUPS.put("counter", Vocabulary.COUNT);
    GROUPS.put("count", Vocabulary.COUNT);
    GROUPS.put("score", Vocabulary.SCORE);
  }

  /**
   * Field names (squashed) that describe the run rather than measure it: never a metric, wherever
   * they are ({@code TestDetails.Asn}, {@code Summary.Timestamp}).
   */
  private static final Set<String> IDENTITY = new HashSet<>(Arrays.asList(
      "testid", "testname", "testtypeid", "typeid", "monitortypeid", "nodeid", "nodename", "asn", "divisionid",
      "clientid", "reportwindow", "testurl", "step", "stepid", "stepnumber", "ts", "tsepoch", "timestamp",
      "timestampepoch", "epoch", "runtime", "testruntime", "time", "src", "v", "version", "timingsource"));

  DecodedPush decode(JsonNode root, String format) throws PushException {
    Leaves leaves = Leaves.of(root);

    Leaves.Leaf test = leaves.first("testid");
    Leaves.Leaf node = leaves.first("nodeid");
    if (test == null) {
      throw PushException.badRequest("not_catchpoint_payload",
          "no test id: expected Catchpoint's default format (TestId, Summary) or a template with a testId field", "body");
    }
    long testId = Identity.require(test.value, "test id", test.path);
    if (node == null) {
      throw PushException.badRequest("missing_field", "the payload has no node id (nodeId)", "body");
    }
    long nodeId = Identity.require(node.value, "node id", node.path);
    long time = runTime(leaves);
    Leaves.Leaf type = leaves.first("testtypeid", "typeid");
    Leaves.Leaf step = leaves.first("step", "stepid", "stepnumber");
    Leaves.Leaf testName = leaves.first("testname");
    Leaves.Leaf nodeName = leaves.first("nodename");
    Run.Builder run = Run.builder(testId, nodeId, time).typeId(type == null ? null : Identity.optionalInt(type.value))
        .names(testName == null ? null : Identity.text(testName.value), nodeName == null ? null
            : Identity.text(nodeName.value));
    if (step != null && Values.wholeNumber(step.value) != null) {
      run.step(Values.wholeNumber(step.value).intValue());
    }

    RunCollector out = new RunCollector(run);
    for (Map.Entry<String, Leaves.Leaf> e : leaves.byPath().entrySet()) {
      Leaves.Leaf leaf = e.getValue();
      if (IDENTITY.contains(leaf.squashedName) || IDENTITY.contains(e.getKey())) {
        continue;
      }
      if (!grouped(e.getKey(), leaf, out)) {
        String metric = Vocabulary.flatMetric(leaf.squashedName);
        if (metric != null) {
          out.measure(metric, leaf.value, leaf.path);
        }
      }
    }
    return out.finish(format);
  }

  /** A field whose path starts with a group ({@code timing.dns}, {@code timingdns}): measured; else false. */
  private static boolean grouped(String squashedPath, Leaves.Leaf leaf, RunCollector out) {
    for (Map.Entry<String, String> g : GROUPS.entrySet()) {
      if (squashedPath.startsWith(g.getKey()) && squashedPath.length() > g.getKey().length()) {
        out.measure(g.getValue(), leaf.keyAfter(g.getKey()), leaf.value, leaf.path);
        return true;
      }
    }
    return false;
  }

  /** The epoch macro when it was filled in, else the {@code yyyyMMddHHmmssSSS} one. */
  private static long runTime(Leaves leaves) throws PushException {
    Leaves.Leaf epoch = leaves.first("tsepoch", "timestampepoch", "epoch");
    if (epoch != null && Identity.present(epoch.value) && Values.read(epoch.value).ok()) {
      return RunTimes.parse(epoch.value, epoch.path);
    }
    Leaves.Leaf ts = leaves.first("ts", "timestamp", "runtime", "testruntime", "time");
    if (ts == null || !Identity.present(ts.value)) {
      throw PushException.badRequest("missing_run_time",
          "the payload has no run time: expected ts (${timestamp}) or tsEpoch (${timestampepoch})",
          ts != null ? ts.path : "body");
    }
    return RunTimes.parse(ts.value, ts.path);
  }
}
