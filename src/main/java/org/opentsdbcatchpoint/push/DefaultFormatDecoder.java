package org.opentsdbcatchpoint.push;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.opentsdbcatchpoint.pipeline.Run;
import org.opentsdbcatchpoint.pipeline.SkipReason;

/**
 * Catchpoint's default webhook format (versions 3 to 5): identity at the top level, results under
 * {@code Summary}, traceroute hops under {@code Diagnostic}. Every test type goes through the same
 * walk; ping and traceroute only add their own sections.
 */
final class DefaultFormatDecoder {
  private final DecodeOptions options;

  DefaultFormatDecoder(DecodeOptions options) {
    this.options = options;
  }

  /**
   * True when the tree is in this format rather than a template: it has a {@code Summary} object, and
   * its identity is at the top, as Catchpoint puts it. A template may use the same names but nests
   * the identity (Grafana's exporter template: {@code TestDetails.TestId} beside a flat
   * {@code Summary}); a default-format body that merely lacks its {@code TestId} stays one, so that
   * its error says so.
   */
  static boolean accepts(JsonNode root) {
    return root.path("Summary").isObject() && (root.has("TestId") || !nestsTestId(root));
  }

  /** True when an object at the top holds a test id ({@code TestDetails.TestId}, {@code test.testId}). */
  private static boolean nestsTestId(JsonNode root) {
    for (Iterator<JsonNode> it = root.elements(); it.hasNext(); ) {
      JsonNode child = it.next();
      if (child.isObject()) {
        for (Iterator<String> names = child.fieldNames(); names.hasNext(); ) {
          if (Vocabulary.squash(names.next()).equals("testid")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  DecodedPush decode(JsonNode root, String format) throws PushException {
    return decode(root, new TreeSummary(root.path("Summary")), format);
  }

  /**
   * The parts of {@code Summary} the decoder reads: from a tree ({@link TreeSummary}), or kept while
   * the body was parsed ({@link StreamedSummary}). Both give the decoder the same values.
   */
  interface Summary {
    /** A field read as a value ({@code Timestamp}, {@code Step}, {@code Error}...); missing node when absent. */
    JsonNode path(String field);

    boolean has(String field);

    /** The measurements and skips of a section of numbers ({@code Timing}, {@code Byte}...), into {@code out}. */
    void section(String field, RunCollector out);
  }

  /** The sections of numbers, in the order their measurements are added. */
  static final String[] SECTIONS = {"Timing", "Counter", "Score", "Ping", "Byte"};
  /** Where each section is ({@code Summary.Timing}...), built once. */
  static final String[] SECTION_WHERE = new String[SECTIONS.length];

  static {
    for (int i = 0; i < SECTIONS.length; i++) {
      SECTION_WHERE[i] = "Summary." + SECTIONS[i];
    }
  }

  /** The metric group of a section of {@link #SECTIONS}. */
  static String groupOf(String section) {
    switch (section) {
      case "Timing":
        return Vocabulary.TIMING;
      case "Counter":
        return Vocabulary.COUNT;
      case "Score":
        return Vocabulary.SCORE;
      case "Ping":
        return Vocabulary.PING;
      case "Byte":
        return Vocabulary.BYTES;
      default:
        throw new IllegalArgumentException(section);
    }
  }

  DecodedPush decode(JsonNode root, Summary summary, String format) throws PushException {
    long testId = Identity.require(root, "TestId");
    long nodeId = Identity.require(root, "NodeId");
    long time;
    if (Identity.present(summary.path("Timestamp"))) {
      time = RunTimes.parse(summary.path("Timestamp"), "Summary.Timestamp");
    } else if (Identity.present(root.path("TestRuntime"))) {
      time = RunTimes.parse(root.path("TestRuntime"), "TestRuntime");
    } else {
      throw PushException.badRequest("missing_run_time",
          "the payload has no run time (Summary.Timestamp or TestRuntime)", "Summary.Timestamp");
    }
    Run.Builder run = Run.builder(testId, nodeId, time)
        .typeId(Identity.optionalInt(root.path("TestDetail").path("TypeId")))
        .names(Identity.text(root.path("TestDetail").path("Name")), Identity.text(root.path("NodeName")));
    Long step = Values.wholeNumber(summary.path("Step"));
    if (step == null) {
      step = Values.wholeNumber(root.path("Step"));
    }
    if (step != null) {
      run.step(step.intValue());
    }

    RunCollector out = new RunCollector(run);
    for (String section : SECTIONS) {
      summary.section(section, out);
    }
    if (summary.has("AverageFramesPerSecond")) {
      out.measure(Vocabulary.SCORE, "AverageFramesPerSecond", summary.path("AverageFramesPerSecond"),
          "Summary.AverageFramesPerSecond");
    }
    error(summary.path("Error"), out);
    parts(summary, "HostCollections", Vocabulary.HOST, Vocabulary.TAG_HOST, options.hostCollections, out);
    parts(summary, "ContentZones", Vocabulary.ZONE, Vocabulary.TAG_ZONE, options.contentZones, out);

    JsonNode hops = root.path("Diagnostic").path("TraceRoute").path("Hops");
    if (!hops.isMissingNode()) {
      TraceRoutes.derive(hops, "Diagnostic.TraceRoute.Hops", options.traceroutePerHop, out);
    }
    return out.finish(format);
  }

  /** {@code Summary} as a tree: XML bodies, and JSON ones the streaming reader leaves to the tree. */
  private static final class TreeSummary implements Summary {
    private final JsonNode summary;

    TreeSummary(JsonNode summary) {
      this.summary = summary;
    }

    @Override
    public JsonNode path(String field) {
      return summary.path(field);
    }

    @Override
    public boolean has(String field) {
      return summary.has(field);
    }

    @Override
    public void section(String field, RunCollector out) {
      if (field.equals("Byte")) {
        bytes(summary.path("Byte"), out);
      } else {
        group(summary.path(field), groupOf(field), "", SECTION_WHERE[Arrays.asList(SECTIONS).indexOf(field)], out);
      }
    }
  }

  /** Numeric fields of an object become {@code catchpoint.<group>.<prefix><key>}; nested objects are skipped. */
  private static void group(JsonNode obj, String group, String prefix, String where, RunCollector out) {
    if (!obj.isObject()) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (f.getValue().isContainerNode()) {
        out.skip(where + "." + f.getKey(), SkipReason.NESTED_OBJECT, "not a measurement");
        continue;
      }
      out.measure(group, prefix.isEmpty() ? f.getKey() : prefix + f.getKey(), f.getValue(), where, f.getKey());
    }
  }

  /** {@code Byte.Response.Content} -> {@code catchpoint.bytes.response_content}. */
  private static void bytes(JsonNode bytes, RunCollector out) {
    if (!bytes.isObject()) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = bytes.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (f.getValue().isObject()) {
        group(f.getValue(), Vocabulary.BYTES, f.getKey() + "_", "Summary.Byte." + f.getKey(), out);
      } else {
        out.measure(Vocabulary.BYTES, f.getKey(), f.getValue(), "Summary.Byte." + f.getKey());
      }
    }
  }

  /** Flags ({@code {"Any":1,"Dns":1}}) or a code ({@code {"Code":12007}} or a bare number). */
  private static void error(JsonNode error, RunCollector out) {
    if (!Identity.present(error)) {
      // absent, null, or blank text (an empty XML <Error/> element): the run succeeded
      return;
    }
    // One rule for every format: a run failed when any error flag or code is non-zero (RunCollector
    // sees the values), or when the error says something that is not a number at all.
    if (error.isObject()) {
      for (Iterator<JsonNode> it = error.elements(); it.hasNext(); ) {
        JsonNode v = it.next();
        if (Identity.present(v) && !v.isContainerNode() && !Values.read(v).ok()) {
          out.markFailed();
        }
      }
      group(error, Vocabulary.ERROR, "", "Summary.Error", out);
    } else {
      if (!Values.read(error).ok()) {
        out.markFailed();
      }
      out.measure(Vocabulary.ERROR, "code", error, "Summary.Error");
    }
  }

  /**
   * High-cardinality sections keyed by host name or zone id. Off by default (reported as skipped);
   * when on, {@code HostCollections.<host>.Timing.Dns} becomes {@code catchpoint.host.timing.dns}
   * tagged {@code host=<host>}, and likewise for zones.
   */
  private static void parts(Summary summary, String name, String metricGroup, String tagKey,
      boolean enabled, RunCollector out) {
    JsonNode section = summary.path(name);
    if (section.isMissingNode()) {
      return;
    }
    String where = "Summary." + name;
    if (!enabled) {
      out.skip(where, SkipReason.DISABLED, "high cardinality; off by default");
      return;
    }
    if (!section.isObject()) {
      out.skip(where, SkipReason.NOT_NUMERIC, "expected an object keyed by " + tagKey);
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = section.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> part = it.next();
      String partWhere = where + "." + part.getKey();
      JsonNode body = part.getValue();
      partGroup(body.path("Timing"), metricGroup, Vocabulary.TIMING, tagKey, part.getKey(), partWhere + ".Timing", out);
      partGroup(body.path("Counter"), metricGroup, Vocabulary.COUNT, tagKey, part.getKey(), partWhere + ".Counter", out);
      JsonNode error = body.path("Error");
      if (error.isObject()) {
        partGroup(error, metricGroup, Vocabulary.ERROR, tagKey, part.getKey(), partWhere + ".Error", out);
      } else if (!error.isMissingNode()) {
        partValue(error, Vocabulary.metric(metricGroup + "." + Vocabulary.ERROR, "code"), tagKey,
            part.getKey(), partWhere + ".Error", out);
      }
    }
  }

  private static void partGroup(JsonNode obj, String metricGroup, String group, String tagKey,
      String tagValue, String where, RunCollector out) {
    if (!obj.isObject()) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      String metric = Vocabulary.PREFIX + metricGroup + "." + group + "."
          + Vocabulary.canonicalKey(group, f.getKey());
      partValue(f.getValue(), metric, tagKey, tagValue, where + "." + f.getKey(), out);
    }
  }

  private static void partValue(JsonNode value, String metric, String tagKey, String tagValue,
      String where, RunCollector out) {
    Values.Parsed v = Values.read(value);
    if (v.ok()) {
      out.addPart(metric, v.value, tagKey, tagValue);
    } else {
      out.skip(where, v.skipReason, v.detail);
    }
  }
}
