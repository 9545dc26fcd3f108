package org.opentsdbcatchpoint.grafana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Grafana's built-in OpenTSDB datasource (type {@code opentsdb}, version setting 2.4: tsdbVersion 4)
 * sends for a dashboard, written from reading its source ({@code public/app/plugins/datasource/opentsdb/}
 * and {@code pkg/tsdb/opentsdb/} of grafana/grafana), so that the tests can send the same requests to a
 * real TSD without a Grafana:
 * <ul>
 *   <li>a panel target becomes one sub query of {@code POST /api/query}: {@code metric}, {@code aggregator},
 *       {@code downsample} = interval + "-" + downsampleAggregator (+ "-" + fill policy unless "none"),
 *       where a blank downsampleInterval takes the panel's interval; {@code filters} with variables
 *       replaced in the "pipe" format (several values joined by {@code |}); with shouldComputeRate,
 *       {@code rate} and {@code rateOptions} {@code {counter: isCounter, dropResets: true}} (no counterMax,
 *       no resetValue);
 *   <li>the request body is {@code {start, end, queries, msResolution, globalAnnotations: true}} with times
 *       in milliseconds and no end for a range that ends "now"; tsdbVersion 4 asks {@code ?arrays=true};
 *   <li>a variable query {@code tag_values(metric, tagk[, k=v, ...])} (variables replaced in the
 *       "distributed" format) is {@code GET /api/search/lookup?m=metric{tagk=*,k=v,...}&limit=1000}, whose
 *       answer's {@code results[].tags[tagk]} are the values;
 *   <li>an annotation query is {@code {aggregator: "sum", metric: target}} alone in the body; Grafana shows
 *       the {@code annotations} (or, for a global one, {@code globalAnnotations}) of the first series, at
 *       {@code startTime * 1000}.
 * </ul>
 */
public final class GrafanaOpenTsdb {
  public static final ObjectMapper JSON = new ObjectMapper();
  public static final Path DASHBOARDS = Paths.get("grafana", "dashboards");
  public static final List<String> FILES = Collections.unmodifiableList(Arrays.asList(
      "catchpoint-overview.json", "catchpoint-test.json", "catchpoint-ingestion.json"));
  /** The datasource reference every panel, target, variable and annotation uses. */
  public static final String DS_INPUT = "DS_OPENTSDB";
  /** The datasource's default lookup limit ({@code lookupLimit}). */
  public static final int LOOKUP_LIMIT = 1000;

  /** Grafana's variable syntaxes: {@code $name}, {@code ${name}} (with an optional format), {@code [[name]]}. */
  public static final Pattern VARIABLE = Pattern.compile("\\$(\\w+)|\\$\\{(\\w+)(?::\\w+)?}|\\[\\[(\\w+)]]");
  /** The datasource's own pattern for tag_values (metricFindQuery). */
  public static final Pattern TAG_VALUES = Pattern.compile("tag_values\\((.*?),\\s?(.*)\\)");

  private GrafanaOpenTsdb() {}

  public static JsonNode load(String file) throws IOException {
    return JSON.readTree(Files.readAllBytes(DASHBOARDS.resolve(file)));
  }

  /** Every panel that has targets, rows' nested panels included. */
  public static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode p : dashboard.path("panels")) {
      out.add(p);
      for (JsonNode nested : p.path("panels")) {
        out.add(nested);
      }
    }
    return out;
  }

  /** The name a variable reference names, or null. */
  public static String variableName(Matcher m) {
    return m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
  }

  /**
   * A text with its variables replaced as the datasource asks templateSrv to ("pipe": the values joined
   * with {@code |}); names Grafana reserves ({@code $__interval}, {@code $tag_x}) and unknown ones stay.
   */
  public static String pipe(String text, Map<String, List<String>> values) {
    return replace(text, values, false);
  }

  /** The "distributed" format of variable queries: one value stays as it is; several are refused. */
  public static String distributed(String text, Map<String, List<String>> values) {
    return replace(text, values, true);
  }

  private static String replace(String text, Map<String, List<String>> values, boolean single) {
    Matcher m = VARIABLE.matcher(text);
    StringBuffer out = new StringBuffer();
    while (m.find()) {
      String name = variableName(m);
      List<String> v = values.get(name);
      if (v == null) {
        m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
        continue;
      }
      if (single && v.size() != 1) {
        throw new IllegalArgumentException("a variable query uses $" + name + " with " + v.size()
            + " values: Grafana's 'distributed' format turns that into " + name + "=a," + name + "=b, which "
            + "/api/search/lookup does not read as 'a or b'");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(String.join("|", v)));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The sub query the datasource sends for one panel target, at a panel interval such as {@code 5m}. */
  public static ObjectNode subQuery(JsonNode target, String interval, Map<String, List<String>> values) {
    ObjectNode q = JSON.createObjectNode();
    q.put("metric", pipe(target.path("metric").asText(), values));
    q.put("aggregator", target.path("aggregator").asText("avg").isEmpty() ? "avg" : target.path("aggregator").asText());
    if (target.path("shouldComputeRate").asBoolean()) {
      q.put("rate", true);
      ObjectNode rate = q.putObject("rateOptions");
      rate.put("counter", target.path("isCounter").asBoolean());
      rate.put("dropResets", true);
    }
    if (!target.path("disableDownsampling").asBoolean()) {
      String ds = target.path("downsampleInterval").asText("");
      String downsample = (ds.isEmpty() ? interval : pipe(ds, values)) + "-" + target.path("downsampleAggregator").asText();
      String fill = target.path("downsampleFillPolicy").asText("");
      if (!fill.isEmpty() && !fill.equals("none")) {
        downsample += "-" + fill;
      }
      q.put("downsample", downsample);
    }
    ArrayNode filters = q.putArray("filters");
    for (JsonNode f : target.path("filters")) {
      ObjectNode copy = filters.addObject();
      copy.put("type", f.path("type").asText());
      copy.put("tagk", pipe(f.path("tagk").asText(), values));
      copy.put("filter", pipe(f.path("filter").asText(), values));
      copy.put("groupBy", f.path("groupBy").asBoolean());
    }
    return q;
  }

  /** The body of {@code POST /api/query}: times in ms, no end when the range ends now. */
  public static ObjectNode queryBody(List<ObjectNode> queries, long startMillis, Long endMillis) {
    ObjectNode body = JSON.createObjectNode();
    body.put("start", startMillis);
    if (endMillis != null) {
      body.put("end", endMillis);
    }
    ArrayNode qs = body.putArray("queries");
    queries.forEach(qs::add);
    body.put("msResolution", false);
    body.put("globalAnnotations", true);
    return body;
  }

  /** An annotation query's only sub query. */
  public static ObjectNode annotationQuery(String target) {
    ObjectNode q = JSON.createObjectNode();
    q.put("aggregator", "sum");
    q.put("metric", target);
    return q;
  }

  /** A {@code tag_values(...)} variable query, parsed as the datasource parses it. */
  public static final class TagValues {
    public final String metric;
    public final String tagk;
    /** The {@code k=v} pairs after the tag key, as written (variables not replaced). */
    public final List<String> filters;

    TagValues(String metric, String tagk, List<String> filters) {
      this.metric = metric;
      this.tagk = tagk;
      this.filters = filters;
    }

    /** The {@code m} parameter of {@code /api/search/lookup}. */
    public String lookup(Map<String, List<String>> values) {
      StringBuilder m = new StringBuilder(metric).append('{').append(tagk).append("=*");
      for (String f : filters) {
        m.append(',').append(distributed(f, values));
      }
      return m.append('}').toString();
    }
  }

  /** Null when the query is not a tag_values query the datasource understands. */
  public static TagValues tagValues(String query) {
    Matcher m = TAG_VALUES.matcher(query);
    if (!m.matches()) {
      return null;
    }
    List<String> keys = new ArrayList<>();
    for (String k : m.group(2).split(",")) {
      keys.add(k.trim());
    }
    return new TagValues(m.group(1).trim(), keys.get(0), keys.subList(1, keys.size()));
  }

  private static final long[] NICE_MILLIS = {
    1_000, 2_000, 5_000, 10_000, 15_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000,
    1_200_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000};

  /**
   * The panel interval Grafana would compute: the range over the data points a panel has room for
   * (about 1000), rounded to a round interval, and never below the panel's minimum interval.
   */
  public static String interval(long rangeMillis, String minInterval) {
    long raw = Math.max(1_000, rangeMillis / 1000);
    long chosen = NICE_MILLIS[NICE_MILLIS.length - 1];
    for (long nice : NICE_MILLIS) {
      if (nice >= raw) {
        chosen = nice;
        break;
      }
    }
    if (minInterval != null && !minInterval.isEmpty()) {
      chosen = Math.max(chosen, millis(minInterval));
    }
    return format(chosen);
  }

  /** {@code 5m} in ms; s, m, h and d. */
  public static long millis(String interval) {
    Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(interval);
    if (!m.matches()) {
      throw new IllegalArgumentException("not an interval: " + interval);
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "ms":
        return n;
      case "s":
        return n * 1_000;
      case "m":
        return n * 60_000;
      case "h":
        return n * 3_600_000;
      default:
        return n * 86_400_000;
    }
  }

  /** As the backend formats an interval for OpenTSDB: whole seconds, minutes, hours or days. */
  static String format(long ms) {
    if (ms < 1_000) {
      return ms + "ms";
    }
    if (ms < 60_000) {
      return ms / 1_000 + "s";
    }
    if (ms < 3_600_000) {
      return ms / 60_000 + "m";
    }
    if (ms < 86_400_000) {
      return ms / 3_600_000 + "h";
    }
    return ms / 86_400_000 + "d";
  }
}
