package org.opentsdbcatchpoint.push;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.opentsdbcatchpoint.pipeline.Run;

/**
 * Template payloads: JSON (or XML) the user wrote with {@code ${macro}} placeholders, which
 * Catchpoint fills in as text. Every value is a string, booleans are {@code True}/{@code False}, a
 * missing value is empty. Field names are matched without regard to case or separators, so both the
 * project's recommended template ({@code "timing":{"dns":...}}) and hand-written flat ones
 * ({@code "timingdns"}, {@code "TimingDns"}, {@code "timing_dns"}) work.
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

  DecodedPush decode(JsonNode root, String format) throws PushException {
    Map<String, Leaf> leaves = new LinkedHashMap<>();
    flatten(root, "", leaves);

    Leaf test = first(leaves, "testid");
    Leaf node = first(leaves, "nodeid");
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
    Leaf type = first(leaves, "testtypeid", "typeid");
    Leaf step = first(leaves, "step", "stepid", "stepnumber");
    Run.Builder run = Run.builder(testId, nodeId, time).typeId(type == null ? null : Identity.optionalInt(type.value));
    if (step != null && Values.wholeNumber(step.value) != null) {
      run.step(Values.wholeNumber(step.value).intValue());
    }

    RunCollector out = new RunCollector(run);
    for (Map.Entry<String, Leaf> e : leaves.entrySet()) {
      String squashed = e.getKey();
      for (Map.Entry<String, String> g : GROUPS.entrySet()) {
        if (squashed.startsWith(g.getKey()) && squashed.length() > g.getKey().length()
            && !isIdentity(squashed)) {
          Leaf leaf = e.getValue();
          out.measure(g.getValue(), leaf.keyAfter(g.getKey()), leaf.value, leaf.path);
          break;
        }
      }
    }
    return out.finish(format);
  }

  /** Fields that start like a group but are not measurements ({@code timestamp}, {@code timestampepoch}). */
  private static boolean isIdentity(String squashed) {
    return squashed.startsWith("timestamp") || squashed.equals("timingsource");
  }

  /** The epoch macro when it was filled in, else the {@code yyyyMMddHHmmssSSS} one. */
  private static long runTime(Map<String, Leaf> leaves) throws PushException {
    Leaf epoch = first(leaves, "tsepoch", "timestampepoch", "epoch");
    if (epoch != null && Identity.present(epoch.value) && Values.read(epoch.value).ok()) {
      return RunTimes.parse(epoch.value, epoch.path);
    }
    Leaf ts = first(leaves, "ts", "timestamp", "runtime", "testruntime", "time");
    if (ts == null || !Identity.present(ts.value)) {
      throw PushException.badRequest("missing_run_time",
          "the payload has no run time: expected ts (${timestamp}) or tsEpoch (${timestampepoch})",
          ts != null ? ts.path : "body");
    }
    return RunTimes.parse(ts.value, ts.path);
  }

  private static Leaf first(Map<String, Leaf> leaves, String... squashedNames) {
    for (String n : squashedNames) {
      Leaf l = leaves.get(n);
      if (l != null) {
        return l;
      }
    }
    return null;
  }

  /** Leaves keyed by their squashed path ({@code timing.contentLoad} -> {@code timingcontentload}). */
  private static void flatten(JsonNode n, String path, Map<String, Leaf> out) {
    if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        flatten(f.getValue(), path.isEmpty() ? f.getKey() : path + "." + f.getKey(), out);
      }
    } else if (!n.isArray()) {
      String squashed = squash(path);
      if (!out.containsKey(squashed)) {
        out.put(squashed, new Leaf(path, n));
      }
    }
  }

  /** Template field names are matched like the vocabulary's keys: lower case, separators ignored. */
  static String squash(String s) {
    return Vocabulary.squash(s);
  }

  /** One scalar of the template, with its original path for messages and for naming. */
  private static final class Leaf {
    final String path;
    final JsonNode value;

    Leaf(String path, JsonNode value) {
      this.path = path;
      this.value = value;
    }

    /**
     * The field name after the group prefix, keeping the original spelling where the path has
     * one ({@code timing.contentLoad} -> {@code contentLoad}); for a flat macro-style name
     * ({@code timingcontentload}) the rest of the name, which the vocabulary resolves.
     */
    String keyAfter(String squashedPrefix) {
      int dot = path.indexOf('.');
      if (dot > 0 && squash(path.substring(0, dot)).equals(squashedPrefix)) {
        return path.substring(dot + 1);
      }
      // Skip as many letters of the original as the prefix has, ignoring separators.
      int letters = 0;
      int i = 0;
      while (i < path.length() && letters < squashedPrefix.length()) {
        if (Character.isLetterOrDigit(path.charAt(i))) {
          letters++;
        }
        i++;
      }
      return path.substring(i);
    }
  }
}
