package org.opentsdbcatchpoint.sink;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentsdbcatchpoint.config.Key;
import org.opentsdbcatchpoint.config.SettingsReader;

/** A carbon (Graphite) target's own settings: where its receivers are and how series are named. */
public final class GraphiteSettings implements ForwardSettings.Kind {
  public static final String TYPE = "graphite";
  private static final String T = ForwardSettings.T;
  private static final String TARGET = ForwardSettings.TARGET;

  public static final Key HOSTS = Key.of(T + "hosts", "list", null,
      "graphite: carbon receivers, host:port, comma-separated; each batch goes to one of them in turn. "
      + "Required. Port by default 2003 (plaintext) or 2004 (pickle).");
  public static final Key PROTOCOL = Key.of(T + "protocol", "plaintext|pickle", "plaintext",
      "graphite: carbon's line protocol or its pickle protocol.");
  public static final Key NAMING = Key.of(T + "naming", "tagged|template", "tagged",
      "graphite: tagged series (name;tag=value, Graphite 1.1+) or a dotted path from forward.<name>.template.");
  public static final Key TEMPLATE = Key.of(T + "template", "string", GraphiteNaming.DEFAULT_TEMPLATE,
      "graphite with naming=template: the path; {metric} is the metric without catchpoint., {name} the "
      + "whole metric, any other {tag} that tag's value.");
  public static final Key REPLAY_WINDOW = Key.of(T + "replay_window_ms", "integer", "5000",
      "graphite: points written on a connection in the last this many ms are sent again when it turns out "
      + "dead (carbon-cache loses what it has not yet written when it stops); 0 turns it off.");

  public static final List<Key> KEYS = Collections.unmodifiableList(Arrays.asList(HOSTS, PROTOCOL, NAMING, TEMPLATE,
      REPLAY_WINDOW));

  /** Unresolved: a receiver's name is looked up at each connect, never at start. */
  final List<InetSocketAddress> hosts;
  final boolean pickle;
  final boolean tagged;
  final String template;
  final long replayWindowMillis;

  GraphiteSettings(SettingsReader r, String target) {
    pickle = "pickle".equals(r.choice(PROTOCOL.forItem(TARGET, target), "plaintext", "pickle"));
    hosts = hosts(r, HOSTS.forItem(TARGET, target), pickle ? 2004 : 2003);
    tagged = "tagged".equals(r.choice(NAMING.forItem(TARGET, target), "tagged", "template"));
    Key templateKey = TEMPLATE.forItem(TARGET, target);
    template = r.string(templateKey);
    if (!tagged) {
      try {
        GraphiteNaming.template(template);
      } catch (IllegalArgumentException e) {
        r.problem(templateKey, "is not usable: " + e.getMessage());
      }
    }
    replayWindowMillis = r.integer(REPLAY_WINDOW.forItem(TARGET, target), 0, 600_000);
  }

  /** {@code host:port} list (IPv6 in brackets); a missing port is the protocol's default. */
  private static List<InetSocketAddress> hosts(SettingsReader r, Key k, int defaultPort) {
    List<InetSocketAddress> out = new ArrayList<>();
    List<String> given = r.list(k);
    if (given.isEmpty()) {
      r.problem(k, r.isSet(k) ? "names no host" : "is required for a graphite target: host:port of carbon, comma-separated");
      return out;
    }
    for (String h : given) {
      String host = h;
      int port = defaultPort;
      int colon = h.lastIndexOf(':');
      if (h.startsWith("[") && h.contains("]")) {
        int end = h.indexOf(']');
        host = h.substring(1, end);
        colon = h.length() > end + 1 ? (h.charAt(end + 1) == ':' ? end + 1 : -2) : -1;
      } else if (colon >= 0 && h.indexOf(':') != colon) {
        colon = -1; // a bare IPv6 address
      } else if (colon >= 0) {
        host = h.substring(0, colon);
      }
      if (colon >= 0) {
        try {
          port = Integer.parseInt(h.substring(colon + 1));
        } catch (NumberFormatException e) {
          port = -1;
        }
      }
      if (colon == -2 || host.isEmpty() || port < 1 || port > 65535 || !host.matches("[A-Za-z0-9._:%-]+")) {
        r.problem(k, "has \"" + h + "\", which is not host:port");
        continue;
      }
      out.add(InetSocketAddress.createUnresolved(host, port));
    }
    return Collections.unmodifiableList(out);
  }

  @Override
  public Transport transport(ForwardSettings.Target t) {
    GraphiteNaming naming = tagged ? GraphiteNaming.tagged() : GraphiteNaming.template(template);
    GraphiteFormat format = pickle ? new GraphitePickle(naming) : new GraphitePlaintext(naming);
    return new GraphiteTransport(hosts, format, t.timeoutMillis, replayWindowMillis, t.retryBuffer);
  }

  @Override
  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    for (InetSocketAddress a : hosts) {
      String host = a.getHostString();
      names.add((host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort());
    }
    m.put("hosts", String.join(",", names));
    m.put("protocol", pickle ? "pickle" : "plaintext");
    m.put("naming", tagged ? "tagged" : "template");
    if (!tagged) {
      m.put("template", template);
    }
    m.put("replay_window_ms", replayWindowMillis);
    return m;
  }
}
