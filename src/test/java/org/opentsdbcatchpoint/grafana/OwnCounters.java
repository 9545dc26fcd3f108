package org.opentsdbcatchpoint.grafana;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.opentsdbcatchpoint.sink.Failure;
import org.opentsdbcatchpoint.sink.Forwarder;

/**
 * The plugin's own series in the TSD ({@code tsd.catchpoint.*}, stats.SelfReport), read from the code
 * that names them: every counter and gauge of {@code Stats} ({@code stats.increment("catchpoint.push.requests",
 * "status", ...)}, {@code stats.counter(METRIC + "queued", TAG, name)}, {@code stats.gauge(...)}) and the
 * gauges the service adds when it writes them ({@code gauges.put("catchpoint.pull.lag_seconds account=" ...)}).
 * Names that only {@code /api/stats} reports (its collector) are not written into the TSD and are not here.
 * A name built in a way this reader does not know fails loudly rather than being skipped.
 */
public final class OwnCounters {
  /** {@code SelfReport}: every point is named {@code tsd.<counter>} and tagged {@code host}. */
  public static final String PREFIX = "tsd.";
  public static final String HOST_TAG = "host";

  private static final Pattern CONSTANT = Pattern.compile("final\\s+String\\s+(\\w+)\\s*=\\s*\"([^\"]*)\"\\s*;");
  /** {@code .increment("catchpoint.x", "tagk", ...)}, {@code .add("catchpoint.x", n)}, counter, gauge. */
  private static final Pattern LITERAL = Pattern.compile(
      "\\.(increment|add|counter|gauge)\\(\\s*\"(catchpoint\\.(?:push|alert|pull|catalog|forward|stats)\\.[a-z0-9_.]*[a-z0-9_])\"\\s*(?:,\\s*\"([a-z_]+)\"\\s*,)?");
  /** {@code .counter(METRIC + "dropped." + reason, TAG, name)}. */
  private static final Pattern CONCATENATED = Pattern.compile(
      "\\.(increment|add|counter|gauge)\\(\\s*([A-Z_]+)\\s*\\+\\s*\"([a-z0-9_.]*)\"\\s*(?:\\+\\s*([\\w.()]+)\\s*)?,\\s*(?:([A-Z_]+)|\"([a-z_]+)\")");
  /** {@code gauges.put("catchpoint.pull.lag_seconds account=" + ...)}: the extra gauges of SelfReport.points. */
  private static final Pattern EXTRA_GAUGE = Pattern.compile(
      "gauges\\.put\\(\\s*\"(catchpoint\\.[a-z0-9_.]*[a-z0-9_])(?: ([a-z_]+)=[^\"]*)?\"");
  /** Any other way of naming a counter: a literal name this reader did not take. */
  private static final Pattern ANY_NAME = Pattern.compile("\"(catchpoint\\.(?:push|alert|pull|catalog|forward|stats)[a-z0-9_.]*)");

  /** One series name (without tsd.), its tag key (null for none) and whether it is a gauge. */
  public static final class Series {
    public final String name;
    public final String tagKey;
    public final boolean gauge;

    Series(String name, String tagKey, boolean gauge) {
      this.name = name;
      this.tagKey = tagKey;
      this.gauge = gauge;
    }

    @Override
    public String toString() {
      return PREFIX + name + (tagKey == null ? "" : " {" + tagKey + "}") + (gauge ? " gauge" : " counter");
    }
  }

  private final Map<String, Series> byMetric;

  private OwnCounters(Map<String, Series> byMetric) {
    this.byMetric = byMetric;
  }

  /** The series written into the TSD, by metric name ({@code tsd.catchpoint.push.requests}). */
  public Map<String, Series> all() {
    return Collections.unmodifiableMap(byMetric);
  }

  /** The series of a metric name as the TSD has it, or null when the plugin never writes it. */
  public Series get(String metric) {
    return byMetric.get(metric);
  }

  public static OwnCounters fromSource() throws IOException {
    return fromSource(Paths.get("src", "main", "java"));
  }

  public static OwnCounters fromSource(Path root) throws IOException {
    Map<String, Series> out = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files = s.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
    }
    for (Path file : files) {
      String src = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      Map<String, String> constants = new HashMap<>();
      Matcher c = CONSTANT.matcher(src);
      while (c.find()) {
        constants.put(c.group(1), c.group(2));
      }
      Matcher m = LITERAL.matcher(src);
      while (m.find()) {
        add(out, file, m.group(2), m.group(3), m.group(1).equals("gauge"));
      }
      m = CONCATENATED.matcher(src);
      while (m.find()) {
        String prefix = constants.get(m.group(2));
        if (prefix == null || !prefix.startsWith("catchpoint.")) {
          continue;
        }
        String tag = m.group(5) != null ? constants.get(m.group(5)) : m.group(6);
        if (tag == null) {
          throw new IllegalStateException(file + ": the tag key " + m.group(5) + " of " + m.group() + " is no constant of the file");
        }
        for (String suffix : expand(file, m.group(3), m.group(4))) {
          add(out, file, prefix + suffix, tag, m.group(1).equals("gauge"));
        }
      }
      m = EXTRA_GAUGE.matcher(src);
      while (m.find()) {
        add(out, file, m.group(1), m.group(2), true);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("no counter found under " + root + ": has the way counters are named changed?");
    }
    return new OwnCounters(out);
  }

  /** Literal counter names anywhere in the code that the patterns above did not read (for the test). */
  public static List<String> unread(OwnCounters counters, Path root) throws IOException {
    List<String> out = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files = s.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
    }
    for (Path file : files) {
      Matcher m = ANY_NAME.matcher(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
      while (m.find()) {
        String name = m.group(1);
        if (!name.endsWith(".") && counters.get(PREFIX + name) == null) {
          out.add(file.getFileName() + ": " + name);
        }
      }
    }
    return out;
  }

  /** The names a concatenation makes: {@code "dropped." + reason} is one per drop reason. */
  private static List<String> expand(Path file, String literal, String dynamic) {
    if (dynamic == null) {
      return Collections.singletonList(literal);
    }
    List<String> out = new ArrayList<>();
    if (dynamic.equals("reason") && literal.equals("dropped.")) {
      for (String r : Forwarder.DROP_REASONS) {
        out.add(literal + r);
      }
    } else if (dynamic.endsWith(".label()") && literal.equals("errors.")) {
      for (Failure f : Failure.values()) {
        out.add(literal + f.label());
      }
    } else {
      throw new IllegalStateException(file + ": cannot tell the counter names of \"" + literal + "\" + " + dynamic
          + ": teach OwnCounters.expand");
    }
    return out;
  }

  private static void add(Map<String, Series> out, Path file, String name, String tagKey, boolean gauge) {
    String metric = PREFIX + name;
    Series old = out.get(metric);
    if (old != null) {
      if (old.gauge != gauge || !java.util.Objects.equals(old.tagKey, tagKey)) {
        // One name is one series kind with one tag key; a counter and a gauge of one name cannot be told apart.
        if (old.tagKey == null && tagKey != null && old.gauge == gauge) {
          out.put(metric, new Series(name, tagKey, gauge));
          return;
        }
        if (tagKey == null && old.gauge == gauge) {
          return;
        }
        throw new IllegalStateException(file + ": " + metric + " is named twice differently: " + old + " and "
            + new Series(name, tagKey, gauge));
      }
      return;
    }
    out.put(metric, new Series(name, tagKey, gauge));
  }
}
