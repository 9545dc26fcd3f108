package org.opentsdbcatchpoint.grafana;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opentsdbcatchpoint.mapping.Vocabulary;

/**
 * What a dashboard must be for Grafana (9 and later) to load it and for the built-in OpenTSDB datasource
 * to send queries the TSD answers with the plugin's series: the structure, the datasource references,
 * every metric and tag key against the naming contract ({@link Vocabulary}) and the plugin's own
 * counters ({@link OwnCounters}), the query options, and the variables. {@link #problems} lists what is
 * wrong, one line each; an empty list is a good dashboard.
 */
public final class DashboardCheck {
  /** OpenTSDB's tsd.storage.max_tags by default. */
  public static final int DEFAULT_MAX_TAGS = 8;
  /**
   * The enrichment tags every point keeps under the default tag limit: test_id, node_id, test_type and one
   * more identity tag (step, hop, host or zone) leave room for this many, in the order of tags.enrichment.
   */
  public static final List<String> SAFE_ENRICHMENT =
      Vocabulary.ENRICHMENT_TAGS.subList(0, DEFAULT_MAX_TAGS - 4);

  /** OpenTSDB 2.4's aggregators that the dashboards may use (a subset of /api/aggregators). */
  static final Set<String> AGGREGATORS = new HashSet<>(Arrays.asList(
      "avg", "count", "dev", "first", "last", "max", "min", "mimmax", "mimmin", "none", "p50", "p75", "p90",
      "p95", "p99", "p999", "sum", "zimsum"));
  static final Set<String> DOWNSAMPLERS = new HashSet<>(Arrays.asList(
      "avg", "count", "dev", "first", "last", "max", "min", "p50", "p75", "p90", "p95", "p99", "p999", "sum"));
  static final Set<String> FILL_POLICIES = new HashSet<>(Arrays.asList("none", "nan", "null", "zero"));
  /** OpenTSDB 2.4's filter types (/api/config/filters). */
  static final Set<String> FILTER_TYPES = new HashSet<>(Arrays.asList(
      "literal_or", "iliteral_or", "not_literal_or", "not_iliteral_or", "wildcard", "iwildcard", "regexp", "not_key"));
  static final Set<String> PANEL_TYPES = new HashSet<>(Arrays.asList("row", "timeseries", "stat", "bargauge", "table"));
  /** Datasource references as objects ({type, uid}) arrived with schema 33; the dashboards are at 36. */
  static final int MIN_SCHEMA_VERSION = 36;

  private static final Pattern UID = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
  private static final Pattern TAG_ALIAS = Pattern.compile("\\$tag_(\\w+)");
  /** The form the dashboards write tag_values in: {@code tag_values(metric, tagk[, k=$v, ...])}. */
  private static final Pattern TAG_VALUES_FORM =
      Pattern.compile("tag_values\\(([\\w.]+), ([a-z_]+)((?:, [a-z_]+=[^,()\\s]+)*)\\)");

  private final OwnCounters own;
  private final List<String> problems = new ArrayList<>();
  private final Map<String, JsonNode> variables = new HashMap<>();
  /** Query variables: name to the tag key it lists. */
  private final Map<String, String> variableTagKey = new HashMap<>();

  private DashboardCheck(OwnCounters own) {
    this.own = own;
  }

  public static List<String> problems(JsonNode dashboard, OwnCounters own) {
    DashboardCheck c = new DashboardCheck(own);
    c.check(dashboard);
    return c.problems;
  }

  private void problem(String where, String what) {
    problems.add(where + ": " + what);
  }

  /** The reference of the DS_OPENTSDB input, the one way panels name the datasource. */
  static boolean isDatasourceRef(JsonNode ds) {
    return ds.isObject() && ds.size() == 2 && "opentsdb".equals(ds.path("type").asText())
        && ("${" + GrafanaOpenTsdb.DS_INPUT + "}").equals(ds.path("uid").asText());
  }

  private void check(JsonNode d) {
    String uid = d.path("uid").asText("");
    if (!UID.matcher(uid).matches()) {
      problem("uid", "'" + uid + "' is not a fixed uid of lower case letters, digits and dashes (at most 40)");
    }
    if (d.path("title").asText("").isEmpty()) {
      problem("title", "missing");
    }
    if (!d.path("schemaVersion").isInt() || d.path("schemaVersion").asInt() < MIN_SCHEMA_VERSION) {
      problem("schemaVersion", d.path("schemaVersion") + ", expected a number of at least " + MIN_SCHEMA_VERSION);
    }
    if (!d.path("time").path("from").isTextual() || !d.path("time").path("to").isTextual()) {
      problem("time", "needs from and to");
    }
    checkInputs(d);
    if (!d.path("templating").path("list").isArray()) {
      problem("templating", "no templating.list");
    } else {
      checkVariables(d.path("templating").path("list"));
    }
    if (!d.path("annotations").path("list").isArray()) {
      problem("annotations", "no annotations.list");
    } else {
      checkAnnotations(d.path("annotations").path("list"));
    }
    if (!d.path("panels").isArray() || d.path("panels").size() == 0) {
      problem("panels", "none");
    } else {
      checkPanels(d);
    }
  }

  private void checkInputs(JsonNode d) {
    int found = 0;
    for (JsonNode in : d.path("__inputs")) {
      if (GrafanaOpenTsdb.DS_INPUT.equals(in.path("name").asText())) {
        found++;
        if (!"datasource".equals(in.path("type").asText()) || !"opentsdb".equals(in.path("pluginId").asText())) {
          problem("__inputs", GrafanaOpenTsdb.DS_INPUT + " must be a datasource input of plugin opentsdb: " + in);
        }
      }
    }
    if (found != 1) {
      problem("__inputs", "expected one input " + GrafanaOpenTsdb.DS_INPUT + ", found " + found);
    }
    boolean requiresOpenTsdb = false;
    for (JsonNode r : d.path("__requires")) {
      requiresOpenTsdb |= "datasource".equals(r.path("type").asText()) && "opentsdb".equals(r.path("id").asText());
    }
    if (!requiresOpenTsdb) {
      problem("__requires", "does not name the opentsdb datasource");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Metrics and tag keys
  // ---------------------------------------------------------------------------------------------

  /** The tag keys a metric's points can carry, or null when no such metric is written. */
  Set<String> tagKeys(String metric) {
    if (metric.startsWith(Vocabulary.PREFIX)) {
      if (!Vocabulary.inTable(metric)) {
        return null;
      }
      Set<String> keys = new LinkedHashSet<>(Arrays.asList(
          Vocabulary.TAG_TEST_ID, Vocabulary.TAG_NODE_ID, Vocabulary.TAG_TEST_TYPE, Vocabulary.TAG_STEP));
      if (metric.equals(Vocabulary.TRACEROUTE_HOP_RTT) || metric.equals(Vocabulary.TRACEROUTE_HOP_LOSS)) {
        keys.add(Vocabulary.TAG_HOP);
      }
      if (metric.startsWith(Vocabulary.PREFIX + Vocabulary.HOST + ".")) {
        keys.add(Vocabulary.TAG_HOST);
      }
      if (metric.startsWith(Vocabulary.PREFIX + Vocabulary.ZONE + ".")) {
        keys.add(Vocabulary.TAG_ZONE);
      }
      keys.addAll(SAFE_ENRICHMENT);
      return keys;
    }
    OwnCounters.Series s = own.get(metric);
    if (s == null) {
      return null;
    }
    Set<String> keys = new LinkedHashSet<>();
    keys.add(OwnCounters.HOST_TAG);
    if (s.tagKey != null) {
      keys.add(s.tagKey);
    }
    return keys;
  }

  private String unknownMetric(String metric) {
    if (metric.startsWith(Vocabulary.PREFIX)) {
      return "metric " + metric + " is not in the naming contract (Vocabulary.inTable)";
    }
    if (metric.startsWith(OwnCounters.PREFIX + "catchpoint.")) {
      return "metric " + metric + " is not one of the plugin's own series written into the TSD (stats.SelfReport)";
    }
    return "metric " + metric + " is neither catchpoint.* nor tsd.catchpoint.*";
  }

  private void checkTagKey(String where, String metric, Set<String> allowed, String tagk) {
    if (!allowed.contains(tagk)) {
      String why = Vocabulary.ENRICHMENT_TAGS.contains(tagk)
          ? " (an enrichment tag the default limit of " + DEFAULT_MAX_TAGS + " tags may drop: use " + SAFE_ENRICHMENT + ")"
          : "";
      problem(where, "tag key " + tagk + " is not a tag of " + metric + why + "; its tags: " + allowed);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Panels and targets
  // ---------------------------------------------------------------------------------------------

  private void checkPanels(JsonNode dashboard) {
    Set<Integer> ids = new HashSet<>();
    List<int[]> boxes = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (JsonNode p : GrafanaOpenTsdb.panels(dashboard)) {
      String where = "panel " + p.path("id") + " '" + p.path("title").asText() + "'";
      if (!p.path("id").isInt() || !ids.add(p.path("id").asInt())) {
        problem(where, "needs an id of its own");
      }
      String type = p.path("type").asText();
      if (!PANEL_TYPES.contains(type)) {
        problem(where, "type '" + type + "' is not one of " + PANEL_TYPES);
      }
      if (p.path("title").asText("").isEmpty()) {
        problem(where, "no title");
      }
      JsonNode g = p.path("gridPos");
      if (!g.path("x").isInt() || !g.path("y").isInt() || !g.path("w").isInt() || !g.path("h").isInt()) {
        problem(where, "gridPos needs x, y, w and h: " + g);
      } else {
        int x = g.path("x").asInt();
        int y = g.path("y").asInt();
        int w = g.path("w").asInt();
        int h = g.path("h").asInt();
        if (x < 0 || y < 0 || w < 1 || h < 1 || x + w > 24) {
          problem(where, "gridPos outside Grafana's 24 columns: " + g);
        }
        for (int i = 0; i < boxes.size(); i++) {
          int[] b = boxes.get(i);
          if (x < b[0] + b[2] && b[0] < x + w && y < b[1] + b[3] && b[1] < y + h) {
            problem(where, "overlaps " + names.get(i));
          }
        }
        boxes.add(new int[] {x, y, w, h});
        names.add(where);
      }
      if (type.equals("row")) {
        if (p.path("targets").size() > 0) {
          problem(where, "a row has no queries");
        }
        continue;
      }
      if (!isDatasourceRef(p.path("datasource"))) {
        problem(where, "datasource must be {\"type\": \"opentsdb\", \"uid\": \"${DS_OPENTSDB}\"}, not " + p.path("datasource"));
      }
      String interval = p.path("interval").asText("");
      if (!interval.isEmpty() && !interval.matches("\\d+(s|m|h)")) {
        problem(where, "interval '" + interval + "' is not a minimum interval such as 5m");
      }
      if (!p.path("targets").isArray() || p.path("targets").size() == 0) {
        problem(where, "no targets");
        continue;
      }
      Set<String> refIds = new HashSet<>();
      Set<String> metrics = new HashSet<>();
      for (JsonNode t : p.path("targets")) {
        String tw = where + " target " + t.path("refId").asText();
        if (t.path("refId").asText("").isEmpty() || !refIds.add(t.path("refId").asText())) {
          problem(tw, "needs a refId of its own");
        }
        if (!metrics.add(t.path("metric").asText())) {
          // With tsdbVersion 4 the datasource maps every series to the first target of its metric, so a second
          // target of the same metric would show with the first one's alias.
          problem(tw, "a second target of " + t.path("metric").asText() + " in one panel");
        }
        checkTarget(tw, t);
      }
    }
  }

  private void checkTarget(String where, JsonNode t) {
    if (!isDatasourceRef(t.path("datasource"))) {
      problem(where, "datasource must be the DS_OPENTSDB reference, not " + t.path("datasource"));
    }
    String metric = t.path("metric").asText("");
    if (metric.isEmpty()) {
      problem(where, "no metric");
      return;
    }
    if (metric.contains("$")) {
      problem(where, "metric " + metric + " uses a variable: the names are the contract's, write them out");
    }
    Set<String> tags = tagKeys(metric);
    if (tags == null) {
      problem(where, unknownMetric(metric));
    }
    if (!AGGREGATORS.contains(t.path("aggregator").asText())) {
      problem(where, "aggregator '" + t.path("aggregator").asText() + "' is not one of " + AGGREGATORS);
    }
    if (t.path("disableDownsampling").asBoolean()) {
      problem(where, "downsampling is off: a long range would fetch every point");
    }
    if (!t.path("downsampleInterval").isTextual() || !t.path("downsampleInterval").asText().isEmpty()) {
      problem(where, "downsampleInterval must be \"\" (the panel's interval, as the datasource does when it is blank), not "
          + t.path("downsampleInterval"));
    }
    if (!DOWNSAMPLERS.contains(t.path("downsampleAggregator").asText())) {
      problem(where, "downsampleAggregator '" + t.path("downsampleAggregator").asText() + "' is not one of " + DOWNSAMPLERS
          + " (the datasource appends it as it is: a missing one is '5m-undefined')");
    }
    if (!FILL_POLICIES.contains(t.path("downsampleFillPolicy").asText())) {
      problem(where, "downsampleFillPolicy '" + t.path("downsampleFillPolicy").asText() + "' is not one of " + FILL_POLICIES
          + " (written out: a missing one makes a bad downsample in some Grafana versions)");
    }
    if (t.has("counterMax") || t.has("counterResetValue")) {
      problem(where, "counterMax and counterResetValue are left out (a present empty one is read as 0 by some versions)");
    }
    if (t.path("tags").size() > 0) {
      problem(where, "tags and filters are exclusive with tsdbVersion 4: use filters");
    }
    boolean counter = metric.startsWith(OwnCounters.PREFIX) && own.get(metric) != null && !own.get(metric).gauge;
    boolean rate = t.path("shouldComputeRate").asBoolean();
    if (counter && (!rate || !t.path("isCounter").asBoolean())) {
      problem(where, metric + " is a cumulative counter: shouldComputeRate and isCounter");
    }
    if (!counter && (rate || t.path("isCounter").asBoolean())) {
      problem(where, metric + " is no counter: no rate");
    }
    Set<String> groupBy = new HashSet<>();
    if (!t.path("filters").isArray()) {
      problem(where, "filters must be a list");
    }
    Set<String> filtered = new HashSet<>();
    for (JsonNode f : t.path("filters")) {
      String tagk = f.path("tagk").asText("");
      String fw = where + " filter " + tagk;
      if (!FILTER_TYPES.contains(f.path("type").asText())) {
        problem(fw, "type '" + f.path("type").asText() + "' is not one of " + FILTER_TYPES);
      }
      if (!f.path("groupBy").isBoolean()) {
        problem(fw, "groupBy must be true or false");
      }
      if (!filtered.add(tagk)) {
        problem(fw, "two filters on one tag key");
      }
      if (tags != null) {
        checkTagKey(fw, metric, tags, tagk);
      }
      String value = f.path("filter").asText("");
      if (value.isEmpty()) {
        problem(fw, "no filter value");
      }
      checkVariableUse(fw, value, tagk, f.path("type").asText());
      if (f.path("groupBy").asBoolean()) {
        groupBy.add(tagk);
      }
    }
    Matcher alias = TAG_ALIAS.matcher(t.path("alias").asText(""));
    while (alias.find()) {
      if (!groupBy.contains(alias.group(1))) {
        problem(where, "alias uses $tag_" + alias.group(1) + " but the target does not group by " + alias.group(1));
      }
    }
    Matcher v = GrafanaOpenTsdb.VARIABLE.matcher(t.path("alias").asText(""));
    while (v.find()) {
      String name = GrafanaOpenTsdb.variableName(v);
      if (!name.startsWith("tag_") && !variables.containsKey(name)) {
        problem(where, "alias uses $" + name + ", which is no variable of the dashboard");
      }
    }
  }

  /**
   * A filter value with a variable: the variable exists and lists the same tag key, and the filter is
   * literal_or, the one type that reads the datasource's "a|b" of several values (and of "All").
   */
  private void checkVariableUse(String where, String value, String tagk, String type) {
    Matcher m = GrafanaOpenTsdb.VARIABLE.matcher(value);
    while (m.find()) {
      String name = GrafanaOpenTsdb.variableName(m);
      if (name.startsWith("__")) {
        continue;
      }
      if (!variables.containsKey(name)) {
        problem(where, "uses $" + name + ", which is no variable of the dashboard");
        continue;
      }
      if (!tagk.equals(variableTagKey.get(name))) {
        problem(where, "filters " + tagk + " with $" + name + ", which lists " + variableTagKey.get(name));
      }
      if (!type.equals("literal_or")) {
        problem(where, "a variable's values (a|b) need a literal_or filter, not " + type);
      }
      if (!m.group().equals(value)) {
        problem(where, "the filter is the variable alone, not '" + value + "'");
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Variables and annotations
  // ---------------------------------------------------------------------------------------------

  private void checkVariables(JsonNode list) {
    boolean datasource = false;
    for (JsonNode v : list) {
      String name = v.path("name").asText("");
      String where = "variable " + name;
      if (name.isEmpty() || variables.containsKey(name)) {
        problem(where, "needs a name of its own");
      }
      String type = v.path("type").asText();
      if (type.equals("datasource")) {
        if (!name.equals(GrafanaOpenTsdb.DS_INPUT) || !"opentsdb".equals(v.path("query").asText())) {
          problem(where, "the datasource variable is " + GrafanaOpenTsdb.DS_INPUT + " of type opentsdb "
              + "(it resolves ${DS_OPENTSDB} when the dashboard is provisioned rather than imported)");
        }
        datasource = true;
      } else if (type.equals("query")) {
        checkQueryVariable(where, v);
      } else {
        problem(where, "type " + type + " is neither datasource nor query");
      }
      variables.put(name, v);
    }
    if (!datasource) {
      problem("templating", "no datasource variable " + GrafanaOpenTsdb.DS_INPUT);
    }
  }

  private void checkQueryVariable(String where, JsonNode v) {
    if (!isDatasourceRef(v.path("datasource"))) {
      problem(where, "datasource must be the DS_OPENTSDB reference, not " + v.path("datasource"));
    }
    String query = v.path("query").asText("");
    if (!query.equals(v.path("definition").asText())) {
      problem(where, "definition differs from the query");
    }
    int refresh = v.path("refresh").asInt(0);
    if (refresh != 1 && refresh != 2) {
      problem(where, "refresh " + refresh + ": the values are looked up on load (1) or on time range change (2)");
    }
    if (v.path("multi").asBoolean() != v.path("includeAll").asBoolean()) {
      problem(where, "multi and includeAll go together ('All' is every value, joined by |)");
    }
    if (!TAG_VALUES_FORM.matcher(query).matches()) {
      problem(where, "query '" + query + "' is not tag_values(metric, tagk[, k=$v, ...])");
      return;
    }
    GrafanaOpenTsdb.TagValues tv = GrafanaOpenTsdb.tagValues(query);
    if (tv == null) {
      problem(where, "the datasource would not read '" + query + "' as tag_values");
      return;
    }
    Set<String> tags = tagKeys(tv.metric);
    if (tags == null) {
      problem(where, unknownMetric(tv.metric));
    } else {
      checkTagKey(where, tv.metric, tags, tv.tagk);
    }
    for (String f : tv.filters) {
      String[] kv = f.split("=", 2);
      if (tags != null) {
        checkTagKey(where, tv.metric, tags, kv[0]);
      }
      Matcher m = GrafanaOpenTsdb.VARIABLE.matcher(kv[1]);
      while (m.find()) {
        String name = GrafanaOpenTsdb.variableName(m);
        JsonNode other = variables.get(name);
        if (other == null) {
          problem(where, "uses $" + name + ", which is no variable defined before it");
        } else if (other.path("multi").asBoolean() || other.path("includeAll").asBoolean()) {
          problem(where, "uses $" + name + ", which can have several values: /api/search/lookup reads one");
        } else if (!kv[0].equals(variableTagKey.get(name))) {
          problem(where, "filters " + kv[0] + " with $" + name + ", which lists " + variableTagKey.get(name));
        }
      }
    }
    variableTagKey.put(v.path("name").asText(), tv.tagk);
  }

  private void checkAnnotations(JsonNode list) {
    for (JsonNode a : list) {
      if (a.path("builtIn").asInt(0) == 1) {
        continue;
      }
      String where = "annotation '" + a.path("name").asText() + "'";
      if (a.path("name").asText("").isEmpty()) {
        problem(where, "no name");
      }
      if (!isDatasourceRef(a.path("datasource"))) {
        problem(where, "datasource must be the DS_OPENTSDB reference, not " + a.path("datasource"));
      }
      if (!a.path("target").isTextual()) {
        problem(where, "target must be a metric name (the datasource's annotation query)");
        continue;
      }
      if (!a.path("isGlobal").isBoolean()) {
        problem(where, "isGlobal must be true or false");
      }
      if (tagKeys(a.path("target").asText()) == null) {
        problem(where, unknownMetric(a.path("target").asText()));
      }
    }
  }
}
