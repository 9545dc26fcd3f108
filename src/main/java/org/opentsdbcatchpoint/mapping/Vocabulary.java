package org.opentsdbcatchpoint.mapping;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The naming contract: every metric name and tag key the plugin writes comes from here. Dashboards
 * and alerts depend on these names, so they change only on purpose (and in the README's table).
 *
 * <p>Metric names are {@code catchpoint.<group>.<key>}, where the key is Catchpoint's own field name
 * in snake case ({@code DocumentComplete} becomes {@code document_complete}). Known keys are listed
 * here so that every spelling a source uses (default JSON {@code DocumentComplete}, template macro
 * {@code timingdocumentcomplete}, REST column {@code "Document Complete (ms)"}) lands on one name.
 */
public final class Vocabulary {
  public static final String PREFIX = "catchpoint.";

  /** Metric groups, the second segment of every metric name. */
  public static final String TIMING = "timing";
  public static final String BYTES = "bytes";
  public static final String COUNT = "count";
  public static final String ERROR = "error";
  public static final String PING = "ping";
  public static final String TRACEROUTE = "traceroute";
  public static final String SCORE = "score";
  /** Per-host and per-zone groups ({@code catchpoint.host.timing.dns}), only when switched on. */
  public static final String HOST = "host";
  public static final String ZONE = "zone";

  /** One point per run: 1 when the run succeeded, 0 when it reported an error. */
  public static final String RUN = PREFIX + "run";
  public static final String ERROR_CODE = PREFIX + ERROR + ".code";
  public static final String ERROR_ANY = PREFIX + ERROR + ".any";

  /** Traceroute values derived from the hops of {@code Diagnostic.TraceRoute}. */
  public static final String TRACEROUTE_HOP_COUNT = PREFIX + TRACEROUTE + ".hop_count";
  public static final String TRACEROUTE_LAST_HOP_RTT = PREFIX + TRACEROUTE + ".last_hop_rtt_avg";
  public static final String TRACEROUTE_LAST_HOP_LOSS = PREFIX + TRACEROUTE + ".last_hop_loss_pct";
  /** Per-hop series, written only when {@code push.traceroute.per_hop} is on; tagged {@code hop}. */
  public static final String TRACEROUTE_HOP_RTT = PREFIX + TRACEROUTE + ".hop_rtt_avg";
  public static final String TRACEROUTE_HOP_LOSS = PREFIX + TRACEROUTE + ".hop_loss_pct";

  /** Tag keys. */
  public static final String TAG_TEST_ID = "test_id";
  public static final String TAG_NODE_ID = "node_id";
  public static final String TAG_TEST_TYPE = "test_type";
  public static final String TAG_STEP = "step";
  public static final String TAG_HOP = "hop";
  public static final String TAG_HOST = "host";
  public static final String TAG_ZONE = "zone";

  /**
   * Node enrichment tags from the node catalog, highest priority first. When a point would exceed
   * {@code tsd.storage.max_tags}, tags are dropped from the end of this list.
   */
  public static final List<String> ENRICHMENT_TAGS = Collections.unmodifiableList(Arrays.asList(
      "asn", "city", "country", "isp", "region", "continent", "network_type", "node"));

  /** The content types of Catchpoint's per content type bytes and counts. */
  static final List<String> CONTENT_TYPES = Collections.unmodifiableList(Arrays.asList(
      "html", "script", "image", "css", "font", "media", "xml", "other"));

  /** Known keys per group, in snake case. Unknown keys still work: they are snake-cased as given. */
  private static final Map<String, List<String>> KNOWN_KEYS = new LinkedHashMap<>();

  static {
    KNOWN_KEYS.put(TIMING, Arrays.asList(
        "total", "dns", "connect", "ssl", "send", "wait", "load", "response", "content_load",
        "document_complete", "render_start", "webpage_response", "client", "wire", "dom_load",
        "first_paint_time", "first_contentful_paint_time", "time_to_interactive",
        "visually_complete_time", "largest_contentful_paint_time", "total_blocking_time", "redirect"));
    List<String> bytes = new ArrayList<>(Arrays.asList(
        "response_content", "response_headers", "response_total_content", "response_total_headers"));
    List<String> counts = new ArrayList<>(Arrays.asList(
        "connections", "hosts", "failed_requests", "requests", "cached", "redirections",
        "js_failures", "filmstrip_images", "tracepoints"));
    // Catchpoint's per content type breakdown, as its macros name it (byteresponsecontenttypeimage,
    // countercontenttypeimage): templates carry it flat; the default format's nested ContentType
    // objects are still skipped (nested_object).
    for (String type : CONTENT_TYPES) {
      bytes.add("response_content_type_" + type);
      counts.add("content_type_" + type);
    }
    KNOWN_KEYS.put(BYTES, bytes);
    KNOWN_KEYS.put(COUNT, counts);
    KNOWN_KEYS.put(ERROR, Arrays.asList(
        "any", "code", "dns", "connection", "ssl", "timeout", "load", "load_objects",
        "transaction"));
    KNOWN_KEYS.put(PING, Arrays.asList(
        "round_trip_time_avg", "round_trip_time_min", "round_trip_time_max", "packet_loss_pct"));
    KNOWN_KEYS.put(SCORE, Arrays.asList("speed_index", "average_frames_per_second"));
  }

  /** Squashed spelling (lower case, no separators) to canonical key, per group. */
  private static final Map<String, Map<String, String>> BY_SQUASHED = new HashMap<>();

  static {
    for (Map.Entry<String, List<String>> e : KNOWN_KEYS.entrySet()) {
      Map<String, String> m = new HashMap<>();
      for (String key : e.getValue()) {
        m.put(squash(key), key);
      }
      BY_SQUASHED.put(e.getKey(), m);
    }
    // Short spellings of the project's recommended template.
    alias(PING, "lossPct", "packet_loss_pct");
    alias(PING, "rttAvg", "round_trip_time_avg");
    alias(PING, "rttMin", "round_trip_time_min");
    alias(PING, "rttMax", "round_trip_time_max");
    alias(ERROR, "loadObject", "load_objects");
  }

  private static void alias(String group, String spelling, String key) {
    BY_SQUASHED.get(group).put(squash(spelling), key);
  }

  /** Most field names a group cache takes; beyond it, names are computed on every call. */
  static final int NAME_CACHE_SIZE = 512;

  /**
   * Metric names already computed, per group of {@link #KNOWN_KEYS}: every run names the same fields,
   * and computing a name (squash, look up, snake case, concatenate) was a third of what decoding a web
   * run allocated. Other groups are not cached.
   */
  private static final Map<String, NameCache> NAMES = new HashMap<>();

  static {
    for (String group : KNOWN_KEYS.keySet()) {
      NAMES.put(group, new NameCache(NAME_CACHE_SIZE));
    }
  }

  private Vocabulary() {}

  /** {@code catchpoint.<group>.<key>} for a field name as a source spells it. */
  public static String metric(String group, String sourceKey) {
    NameCache cache = NAMES.get(group);
    if (cache == null) {
      return uncachedMetric(group, sourceKey);
    }
    String name = cache.get(sourceKey);
    if (name == null) {
      name = uncachedMetric(group, sourceKey);
      cache.offer(sourceKey, name);
    }
    return name;
  }

  /** {@link #metric} computed afresh (the cache's source of truth, and for tests). */
  static String uncachedMetric(String group, String sourceKey) {
    return PREFIX + group + "." + canonicalKey(group, sourceKey);
  }

  /** How many names a group's cache holds (for tests); 0 for a group without a cache. */
  static int cachedNames(String group) {
    NameCache cache = NAMES.get(group);
    return cache == null ? 0 : cache.size();
  }

  /**
   * The canonical snake-case key for a field name in any spelling: a known key whatever its case
   * or separators, otherwise the name itself in snake case.
   */
  public static String canonicalKey(String group, String sourceKey) {
    Map<String, String> known = BY_SQUASHED.get(group);
    if (known != null) {
      String k = known.get(squash(sourceKey));
      if (k != null) {
        return k;
      }
    }
    return snakeCase(sourceKey);
  }

  /** Known keys of a group (for documentation and tests). */
  public static List<String> knownKeys(String group) {
    List<String> keys = KNOWN_KEYS.get(group);
    return keys != null ? Collections.unmodifiableList(keys) : Collections.<String>emptyList();
  }

  /** Lower case with every non-alphanumeric character removed: {@code Document_Complete} -> {@code documentcomplete}. */
  public static String squash(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        b.append(Character.toLowerCase(c));
      }
    }
    return b.toString();
  }

  /**
   * {@code FirstContentfulPaintTime} -> {@code first_contentful_paint_time}; {@code SSLTime} ->
   * {@code ssl_time}; anything outside {@code [a-z0-9]} becomes one underscore.
   */
  public static String snakeCase(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      char lower = Character.toLowerCase(c);
      if (Character.isUpperCase(c) && lower >= 'a' && lower <= 'z') {
        boolean prevLowerOrDigit = i > 0
            && (Character.isLowerCase(s.charAt(i - 1)) || Character.isDigit(s.charAt(i - 1)));
        boolean nextLower = i + 1 < s.length() && Character.isLowerCase(s.charAt(i + 1));
        boolean prevUpper = i > 0 && Character.isUpperCase(s.charAt(i - 1));
        if (b.length() > 0 && (prevLowerOrDigit || (prevUpper && nextLower))) {
          appendUnderscore(b);
        }
        b.append(lower);
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        b.append(c);
      } else if (b.length() > 0) {
        appendUnderscore(b);
      }
    }
    int end = b.length();
    while (end > 0 && b.charAt(end - 1) == '_') {
      end--;
    }
    b.setLength(end);
    return b.length() > 0 ? b.toString().toLowerCase(Locale.ROOT) : "unnamed";
  }

  // ---------------------------------------------------------------------------------------------
  // REST columns. Catchpoint's REST APIs (v1 synthetic_metrics, v2 metrics) name their values with
  // display strings: "DNS (ms)", "# Connections", "% Ping Packet Loss". They are mapped BY NAME (never
  // by position) to the same metrics push writes, so a run pulled after it was pushed writes the same
  // cells.
  //
  // Known columns are listed in COLUMNS. Any other column gets a derived name (see derivedColumnMetric):
  //   1. a trailing "(unit)" and a leading "#" or "%" are taken off; the rest is snake-cased
  //      ("Time To Title (ms)" -> time_to_title);
  //   2. the group: the rest's first word when it names a source group ("Ping ..." -> ping,
  //      "Traceroute ..." -> traceroute, that word then dropped), else by unit: "(ms)" -> timing,
  //      "#" -> count, "(bytes)" -> bytes, "%" or "(%)" -> rate, anything else -> other;
  //   3. a percentage's key ends in "_pct"; an unknown unit stays in the key ("Throughput (kbps)" ->
  //      catchpoint.other.throughput_kbps); a known key of the group wins in any spelling
  //      ("Document Complete (ms)" -> catchpoint.timing.document_complete).
  // ---------------------------------------------------------------------------------------------

  /** Percentages that belong to no source group ({@code "% Downtime"}). */
  public static final String RATE = "rate";
  /** REST columns whose unit says nothing about their group. */
  public static final String OTHER = "other";

  /** The per-run downtime REST reports ({@code "% Downtime"}: 0 or 100 for one run). */
  public static final String DOWNTIME_PCT = PREFIX + RATE + ".downtime_pct";

  /** Normalised REST column name to metric name. */
  private static final Map<String, String> COLUMNS = new LinkedHashMap<>();
  /** A metric of the table to the REST column it is read from (its first, when several). */
  private static final Map<String, String> COLUMN_OF_METRIC = new HashMap<>();
  /** The old name of every column of the table to the metric of the table. */
  private static final Map<String, String> LEGACY_OF_TABLE = new LinkedHashMap<>();

  static {
    column("DNS (ms)", TIMING, "dns");
    column("Connect (ms)", TIMING, "connect");
    column("SSL (ms)", TIMING, "ssl");
    column("Send (ms)", TIMING, "send");
    column("Wait (ms)", TIMING, "wait");
    column("Load (ms)", TIMING, "load");
    column("Response (ms)", TIMING, "response");
    column("Content Load (ms)", TIMING, "content_load");
    column("Document Complete (ms)", TIMING, "document_complete");
    column("Render Start (ms)", TIMING, "render_start");
    column("Webpage Response (ms)", TIMING, "webpage_response");
    column("Client (ms)", TIMING, "client");
    column("Wire (ms)", TIMING, "wire");
    column("DOM Load (ms)", TIMING, "dom_load");
    column("Total (ms)", TIMING, "total");
    column("# Connections", COUNT, "connections");
    column("# Hosts", COUNT, "hosts");
    column("# Requests", COUNT, "requests");
    column("# Failed Requests", COUNT, "failed_requests");
    column("# Redirections", COUNT, "redirections");
    column("# Cached", COUNT, "cached");
    column("Speed Index", SCORE, "speed_index");
    column("Ping Round Trip (ms)", PING, "round_trip_time_avg");
    column("% Ping Packet Loss", PING, "packet_loss_pct");
    column("% Downtime", RATE, "downtime_pct");
  }

  private static void column(String name, String group, String key) {
    String metric = PREFIX + group + "." + key;
    COLUMNS.put(normalizeColumn(name), metric);
    COLUMN_OF_METRIC.putIfAbsent(metric, name);
    LEGACY_OF_TABLE.put(legacyMetric(name), metric);
  }

  // ---------------------------------------------------------------------------------------------
  // The old scripts' names (tsd.plugin.catchpoint.naming = legacy | both). The Python REST script named
  // a metric after its REST column: catchpoint.testdata. + the column with '#' -> "numOf", '%' ->
  // "percent", '(' -> '.', ')' and spaces removed ("DNS (ms)" -> catchpoint.testdata.DNS.ms), tagged
  // TestId, NodeId and StepNumber / HopNumber.
  // ---------------------------------------------------------------------------------------------

  public static final String LEGACY_PREFIX = PREFIX + "testdata.";
  public static final String LEGACY_TAG_TEST = "TestId";
  public static final String LEGACY_TAG_NODE = "NodeId";
  public static final String LEGACY_TAG_STEP = "StepNumber";
  public static final String LEGACY_TAG_HOP = "HopNumber";

  /** The old scripts' name for a REST column: {@code "% Downtime"} -> {@code catchpoint.testdata.percentDowntime}. */
  public static String legacyMetric(String column) {
    StringBuilder b = new StringBuilder(LEGACY_PREFIX);
    for (int i = 0; i < column.length(); i++) {
      char c = column.charAt(i);
      if (c == '#') {
        b.append("numOf");
      } else if (c == '%') {
        b.append("percent");
      } else if (c == '(') {
        b.append('.');
      } else if (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' || c == '/') {
        b.append(c); // what OpenTSDB allows in a name; ')' and spaces (and anything else) go
      }
    }
    return b.toString();
  }

  /**
   * The old name of what a measurement was read from: its REST column, or for a push the column of
   * the table its metric comes from; null when the old scripts had no such column (push-only results,
   * hosts, zones).
   */
  public static String legacyMetric(String metric, String column) {
    if (column != null) {
      return legacyMetric(column);
    }
    String known = COLUMN_OF_METRIC.get(metric);
    return known != null ? legacyMetric(known) : null;
  }

  /** Every column of the table, its old name to its metric (for the migration table and tests). */
  public static Map<String, String> legacyTable() {
    return Collections.unmodifiableMap(LEGACY_OF_TABLE);
  }

  /** The metric a REST column's values are written as: from the table, else the derived name. */
  public static String columnMetric(String columnName) {
    String known = COLUMNS.get(normalizeColumn(columnName));
    return known != null ? known : derivedColumnMetric(columnName);
  }

  /** True when the column is in the table (its metric is not derived). */
  public static boolean isKnownColumn(String columnName) {
    return COLUMNS.containsKey(normalizeColumn(columnName));
  }

  /** The table of known REST columns, display name (normalised) to metric (for docs and tests). */
  public static Map<String, String> knownColumns() {
    return Collections.unmodifiableMap(COLUMNS);
  }

  /** The rule for columns the table does not know (see the comment above {@link #RATE}). */
  public static String derivedColumnMetric(String columnName) {
    String name = columnName.trim();
    String unit = null;
    if (name.endsWith(")")) {
      int open = name.lastIndexOf('(');
      if (open >= 0) {
        unit = name.substring(open + 1, name.length() - 1).trim().toLowerCase(Locale.ROOT);
        name = name.substring(0, open).trim();
      }
    }
    boolean count = name.startsWith("#");
    boolean percent = name.startsWith("%") || "%".equals(unit);
    if (count || name.startsWith("%")) {
      name = name.substring(1).trim();
    }
    String key = snakeCase(name);
    String group = null;
    for (String sourceGroup : Arrays.asList(PING, TRACEROUTE)) {
      if (key.startsWith(sourceGroup + "_")) {
        group = sourceGroup;
        key = key.substring(sourceGroup.length() + 1);
        break;
      }
    }
    if (group == null) {
      if ("ms".equals(unit)) {
        group = TIMING;
      } else if (count) {
        group = COUNT;
      } else if ("bytes".equals(unit) || "b".equals(unit)) {
        group = BYTES;
      } else if (percent) {
        group = RATE;
      } else {
        group = OTHER;
      }
    }
    if (percent && !key.endsWith("_pct")) {
      key = key + "_pct";
    } else if (group.equals(OTHER) && unit != null && !unit.isEmpty()) {
      key = key + "_" + snakeCase(unit);
    }
    return PREFIX + group + "." + canonicalKey(group, key);
  }

  /**
   * The metric of a value measured on one traceroute hop: the ping round trip and packet loss of a hop
   * row become {@link #TRACEROUTE_HOP_RTT} and {@link #TRACEROUTE_HOP_LOSS} (tagged {@code hop}), the
   * same series push writes per hop; any other metric keeps its name and gets the {@code hop} tag.
   */
  public static String hopMetric(String metric) {
    if (metric.equals(PREFIX + PING + ".round_trip_time_avg")) {
      return TRACEROUTE_HOP_RTT;
    }
    if (metric.equals(PREFIX + PING + ".packet_loss_pct")) {
      return TRACEROUTE_HOP_LOSS;
    }
    return metric;
  }

  /** Trimmed, lower case, runs of white space as one space: {@code " DNS  (MS)"} -> {@code "dns (ms)"}. */
  static String normalizeColumn(String name) {
    return name.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }

  // ---------------------------------------------------------------------------------------------
  // The naming table as a set, and the names derived from it. A metric in the table is one of
  // catchpoint.<group>.<known key>, a named metric above (run, traceroute, downtime), a REST column of
  // COLUMNS, or a per-host or per-zone metric of a known key; every other name the plugin makes
  // (an unknown Timing key, an unknown REST column) is derived, and derived names are bounded
  // (pipeline.MetricBudget): OpenTSDB never forgets a metric name.
  // ---------------------------------------------------------------------------------------------

  /** Keys of HostCollections and ContentZones that the top-level sections do not have. */
  private static final Map<String, List<String>> PART_ONLY_KEYS = new LinkedHashMap<>();

  static {
    PART_ONLY_KEYS.put(TIMING, Collections.singletonList("start_to_end"));
    PART_ONLY_KEYS.put(COUNT, Arrays.asList("request", "failure"));
    PART_ONLY_KEYS.put(ERROR, Collections.<String>emptyList());
  }

  private static final java.util.Set<String> TABLE = new java.util.HashSet<>();

  static {
    for (Map.Entry<String, List<String>> e : KNOWN_KEYS.entrySet()) {
      for (String key : e.getValue()) {
        TABLE.add(PREFIX + e.getKey() + "." + key);
      }
    }
    TABLE.addAll(Arrays.asList(RUN, TRACEROUTE_HOP_COUNT, TRACEROUTE_LAST_HOP_RTT, TRACEROUTE_LAST_HOP_LOSS,
        TRACEROUTE_HOP_RTT, TRACEROUTE_HOP_LOSS, DOWNTIME_PCT));
    TABLE.addAll(COLUMNS.values());
    for (String part : Arrays.asList(HOST, ZONE)) {
      for (Map.Entry<String, List<String>> e : PART_ONLY_KEYS.entrySet()) {
        List<String> keys = new ArrayList<>(KNOWN_KEYS.get(e.getKey()));
        keys.addAll(e.getValue());
        for (String key : keys) {
          TABLE.add(PREFIX + part + "." + e.getKey() + "." + key);
        }
      }
    }
  }

  /**
   * True for a metric of the naming table, or the old name of one of its columns; false for a derived
   * name (and for anything else).
   */
  public static boolean inTable(String metric) {
    return TABLE.contains(metric) || LEGACY_OF_TABLE.containsKey(metric);
  }

  /** Every metric of the naming table (for documentation and tests). */
  public static java.util.Set<String> table() {
    return Collections.unmodifiableSet(TABLE);
  }

  // ---------------------------------------------------------------------------------------------
  // Flat field names. Hand-written templates, and Grafana's catchpoint-prometheus-exporter template,
  // put Catchpoint's results side by side without a group: "TotalTime", "Dns", "AnyError",
  // "ConnectionsCount", "ImageContentType". Each such name (squashed: lower case, no separators) is
  // mapped here to the metric a default-format push writes for the same value.
  // ---------------------------------------------------------------------------------------------

  private static final Map<String, String> FLAT = new HashMap<>();

  static {
    for (String key : KNOWN_KEYS.get(TIMING)) {
      flat(squash(key), TIMING, key);
      if (!key.endsWith("_time")) {
        flat(squash(key) + "time", TIMING, key); // TotalTime, DnsTime
      }
    }
    flat("responsecontent", BYTES, "response_content");
    flat("responseheaders", BYTES, "response_headers");
    flat("totalcontent", BYTES, "response_total_content");
    flat("totalheaders", BYTES, "response_total_headers");
    for (String key : KNOWN_KEYS.get(ERROR)) {
      flat(squash(key) + "error", ERROR, key); // AnyError, DNSError
    }
    flat("errorobjectsloaded", ERROR, "load_objects");
    flat("errorcode", ERROR, "code");
    for (String key : KNOWN_KEYS.get(COUNT)) {
      if (!key.startsWith("content_type_")) {
        flat(squash(key) + "count", COUNT, key); // ConnectionsCount, FailedRequestsCount
      }
    }
    for (String type : CONTENT_TYPES) {
      flat(type + "contenttype", BYTES, "response_content_type_" + type); // ImageContentType
      flat(type + "count", COUNT, "content_type_" + type); // ImageCount
    }
    for (String key : KNOWN_KEYS.get(PING)) {
      flat("ping" + squash(key), PING, key);
    }
  }

  private static void flat(String squashed, String group, String key) {
    FLAT.put(squashed, PREFIX + group + "." + key);
  }

  /**
   * The metric of a flat field name in any spelling ({@code TotalTime}, {@code total_time}), or null
   * when the name is not one of Catchpoint's results.
   */
  public static String flatMetric(String fieldName) {
    return FLAT.get(squash(fieldName));
  }

  /** The flat names and their metrics, squashed name first (for documentation and tests). */
  public static Map<String, String> flatNames() {
    return Collections.unmodifiableMap(new java.util.TreeMap<>(FLAT));
  }

  // ---------------------------------------------------------------------------------------------
  // Value encodings. OpenTSDB stores a value as an integer (1 to 8 bytes a cell) or a float (4 or 8);
  // whole-number metrics (counts, bytes, error flags and codes, catchpoint.run, the hop count) are
  // written as integers, everything that may be fractional as doubles. The encoding comes from the
  // metric alone, never from the value: a series mixing both at one second is a "duplicate timestamp"
  // to OpenTSDB, and push and pull must write the identical cell. Derived names follow their group.
  // ---------------------------------------------------------------------------------------------

  /** How a metric's values are stored. */
  public enum Encoding {
    /** A whole number: OpenTSDB's integer cell, as few bytes as the value needs. */
    INTEGER,
    /** OpenTSDB's 8-byte double. */
    FLOAT
  }

  /** The plugin's own counters in the TSD ({@code stats.write_interval}): whole numbers. */
  public static final String OWN_COUNTERS = "tsd.catchpoint.";

  private static final String[] INTEGER_GROUPS = {
    PREFIX + COUNT + ".", PREFIX + BYTES + ".", PREFIX + ERROR + ".",
    PREFIX + HOST + "." + COUNT + ".", PREFIX + HOST + "." + ERROR + ".",
    PREFIX + ZONE + "." + COUNT + ".", PREFIX + ZONE + "." + ERROR + "."
  };

  /** The encoding of every value of {@code metric}. */
  public static Encoding encodingOf(String metric) {
    if (metric.startsWith(LEGACY_PREFIX)) {
      String mirrored = LEGACY_OF_TABLE.get(metric);
      return mirrored != null ? encodingOf(mirrored)
          : metric.startsWith(LEGACY_PREFIX + "numOf") ? Encoding.INTEGER : Encoding.FLOAT;
    }
    if (metric.equals(RUN) || metric.equals(TRACEROUTE_HOP_COUNT) || metric.startsWith(OWN_COUNTERS)) {
      return Encoding.INTEGER;
    }
    for (String group : INTEGER_GROUPS) {
      if (metric.startsWith(group)) {
        return Encoding.INTEGER;
      }
    }
    return Encoding.FLOAT;
  }

  private static void appendUnderscore(StringBuilder b) {
    if (b.charAt(b.length() - 1) != '_') {
      b.append('_');
    }
  }
}
