package org.opentsdbcatchpoint.pipeline;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Catchpoint test types by {@code TypeId}. The lower-case name is the value of the {@code test_type}
 * tag, part of the public naming contract.
 */
public final class TestType {
  private static final Map<Integer, String> NAMES = new HashMap<>();

  static {
    String[] names = {
      "web", "transaction_legacy", "html_code", "ftp", "tcp", "dns", "ping", "smtp", "udp", "api",
      "streaming", "ssh", "traceroute", "websocket", "ntp", "imap", "mqtt", "bulk", "ssl", "wifi",
      "bgp", "node_to_node", "bandwidth", "wpt_web", "wpt_transaction", "playwright", "puppeteer",
      "transaction"
    };
    for (int i = 0; i < names.length; i++) {
      NAMES.put(i, names[i]);
    }
  }

  public static final int TRACEROUTE = 12;
  public static final int PING = 6;

  /** Tag value used when a payload carries no type id at all. */
  public static final String UNKNOWN = "unknown";

  private TestType() {}

  /** Known types by name; an id Catchpoint adds later becomes {@code type_<id>}, still a valid tag. */
  public static String nameOf(Integer typeId) {
    if (typeId == null) {
      return UNKNOWN;
    }
    String name = NAMES.get(typeId);
    return name != null ? name : "type_" + typeId;
  }

  /** Reverse lookup for configuration ({@code tests.web = ...}); null when the name is unknown. */
  public static Integer idOf(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    for (Map.Entry<Integer, String> e : NAMES.entrySet()) {
      if (e.getValue().equals(wanted)) {
        return e.getKey();
      }
    }
    return null;
  }
}
