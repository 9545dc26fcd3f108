package org.opentsdbcatchpoint.mapping;

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

  /** Known keys per group, in snake case. Unknown keys still work: they are snake-cased as given. */
  private static final Map<String, List<String>> KNOWN_KEYS = new LinkedHashMap<>();

  static {
    KNOWN_KEYS.put(TIMING, Arrays.asList(
        "total", "dns", "connect", "ssl", "send", "wait", "load", "response", "content_load",
        "document_complete", "render_start", "webpage_response", "client", "wire", "dom_load",
        "first_paint_time", "first_contentful_paint_time", "time_to_interactive",
        "visually_complete_time", "largest_contentful_paint_time", "total_blocking_time"));
    KNOWN_KEYS.put(BYTES, Arrays.asList(
        "response_content", "response_headers", "response_total_content", "response_total_headers"));
    KNOWN_KEYS.put(COUNT, Arrays.asList(
        "connections", "hosts", "failed_requests", "requests", "cached", "redirections",
        "js_failures", "filmstrip_images"));
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

  private Vocabulary() {}

  /** {@code catchpoint.<group>.<key>} for a field name as a source spells it. */
  public static String metric(String group, String sourceKey) {
    return PREFIX + group + "." + canonicalKey(group, sourceKey);
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
    return keys != null ? keys : Collections.<String>emptyList();
  }

  /** Lower case with every non-alphanumeric character removed: {@code Document_Complete} -> {@code documentcomplete}. */
  static String squash(String s) {
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
      if (Character.isUpperCase(c)) {
        boolean prevLowerOrDigit = i > 0
            && (Character.isLowerCase(s.charAt(i - 1)) || Character.isDigit(s.charAt(i - 1)));
        boolean nextLower = i + 1 < s.length() && Character.isLowerCase(s.charAt(i + 1));
        boolean prevUpper = i > 0 && Character.isUpperCase(s.charAt(i - 1));
        if (b.length() > 0 && (prevLowerOrDigit || (prevUpper && nextLower))) {
          appendUnderscore(b);
        }
        b.append(Character.toLowerCase(c));
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

  private static void appendUnderscore(StringBuilder b) {
    if (b.charAt(b.length() - 1) != '_') {
      b.append('_');
    }
  }
}
