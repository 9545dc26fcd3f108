package org.opentsdbcatchpoint.sink;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.opentsdbcatchpoint.pipeline.DataPoint;

/**
 * Graphite names for datapoints, made legal for Graphite.
 *
 * <p><b>Tagged</b> (the default): a Graphite 1.1 tagged series, {@code catchpoint.timing.dns;asn=AS16509;
 * city=Frankfurt;...;test_id=100001}: the metric name, then every tag sorted by key, as carbon itself
 * normalises them (so the name sent is the name stored). <b>Template</b>: a dotted path such as
 * {@code catchpoint.{test_id}.{node}.{metric}}, where {@code {metric}} is the metric name without its
 * {@code catchpoint.} prefix ({@code timing.dns}), {@code {name}} the whole metric name, and any other
 * {@code {key}} the value of that tag ({@code unknown} when a point lacks it).
 *
 * <p>Sanitising: letters with accents lose them ({@code São Paulo} -> {@code Sao_Paulo}); every run of
 * characters other than {@code A-Z a-z 0-9 _ -} (and {@code .} in names, tag keys and tag values)
 * becomes one {@code _}, with none added at either end; in a template a tag value is one path node, so
 * its dots become {@code _} too; empty path nodes are left out. Graphite's own rules are thereby kept
 * with room to spare: no {@code ; ! ^ =} or space in a tag, no {@code ;} or leading {@code ~} in a
 * value, no whitespace anywhere. A tag whose key or value has nothing legal left is left out; a tag
 * named {@code name} (Graphite's own tag for the metric name) is written as {@code name_}.
 */
public final class GraphiteNaming {
  public static final String DEFAULT_TEMPLATE = "catchpoint.{test_id}.{node_id}.{metric}";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)\\}");
  private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9_.\\-]*");
  private static final String MISSING = "unknown";

  private final List<String> parts;

  private GraphiteNaming(List<String> parts) {
    this.parts = parts;
  }

  /** Graphite 1.1 tagged series. */
  public static GraphiteNaming tagged() {
    return new GraphiteNaming(null);
  }

  /**
   * A dotted path from a template.
   *
   * @throws IllegalArgumentException when the template has characters Graphite does not take, or no
   *     {@code {metric}} or {@code {name}} (every metric would land on one series)
   */
  public static GraphiteNaming template(String template) {
    List<String> parts = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(template);
    int at = 0;
    boolean hasMetric = false;
    while (m.find()) {
      literal(parts, template.substring(at, m.start()), template);
      parts.add(m.group());
      hasMetric |= "{metric}".equals(m.group()) || "{name}".equals(m.group());
      at = m.end();
    }
    literal(parts, template.substring(at), template);
    if (!hasMetric) {
      throw new IllegalArgumentException("the template \"" + template + "\" must contain {metric} or {name}");
    }
    return new GraphiteNaming(parts);
  }

  private static void literal(List<String> parts, String literal, String template) {
    if (!LITERAL.matcher(literal).matches()) {
      throw new IllegalArgumentException("the template \"" + template + "\" may contain only placeholders such as "
          + "{test_id} and the characters A-Z a-z 0-9 _ - . between them, not \"" + literal + "\"");
    }
    if (!literal.isEmpty()) {
      parts.add(literal);
    }
  }

  public boolean isTagged() {
    return parts == null;
  }

  /** The Graphite name of a point, or null when nothing legal is left of its metric name. */
  public String name(DataPoint p) {
    return name(p.metric(), p.tags());
  }

  /** The Graphite name of a point of this metric and tags, or null when nothing legal is left of the metric. */
  public String name(String metric, Map<String, String> tags) {
    return parts == null ? tagged(metric, tags) : templated(metric, tags);
  }

  private static String tagged(String metric, Map<String, String> pointTags) {
    String name = path(metric);
    if (name.isEmpty()) {
      return null;
    }
    Map<String, String> tags = new TreeMap<>();
    for (Map.Entry<String, String> t : pointTags.entrySet()) {
      String key = clean(t.getKey(), true);
      String value = clean(t.getValue(), true);
      if (key.isEmpty() || value.isEmpty()) {
        continue;
      }
      tags.put("name".equals(key) ? "name_" : key, value);
    }
    StringBuilder b = new StringBuilder(name.length() + 24 * tags.size());
    b.append(name);
    for (Map.Entry<String, String> t : tags.entrySet()) {
      b.append(';').append(t.getKey()).append('=').append(t.getValue());
    }
    return b.toString();
  }

  private String templated(String metric, Map<String, String> tags) {
    StringBuilder b = new StringBuilder(64);
    for (String part : parts) {
      String text;
      if ("{metric}".equals(part)) {
        text = path(metric.startsWith(Vocabulary.PREFIX) ? metric.substring(Vocabulary.PREFIX.length()) : metric);
      } else if ("{name}".equals(part)) {
        text = path(metric);
      } else if (part.startsWith("{")) {
        String value = tags.get(part.substring(1, part.length() - 1));
        text = value == null ? MISSING : clean(value, false);
        if (text.isEmpty()) {
          text = MISSING;
        }
      } else {
        text = part;
      }
      b.append(text);
    }
    String name = path(b.toString());
    return name.isEmpty() ? null : name;
  }

  /** A dotted path: every node cleaned, empty nodes left out. */
  static String path(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (String node : s.split("\\.")) {
      String clean = clean(node, false);
      if (!clean.isEmpty()) {
        if (b.length() > 0) {
          b.append('.');
        }
        b.append(clean);
      }
    }
    return b.toString();
  }

  /** Accents off, every run of other characters one {@code _}, none added at either end. */
  static String clean(String s, boolean keepDots) {
    String folded = ascii(s) ? s : Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
    StringBuilder b = new StringBuilder(folded.length());
    boolean gap = false;
    for (int i = 0; i < folded.length(); i++) {
      char c = folded.charAt(i);
      boolean legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
          || c == '-' || (keepDots && c == '.');
      if (!legal) {
        gap = true;
        continue;
      }
      if (gap && b.length() > 0 && c != '_' && b.charAt(b.length() - 1) != '_') {
        b.append('_');
      }
      gap = false;
      b.append(c);
    }
    return b.toString();
  }

  private static boolean ascii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 127) {
        return false;
      }
    }
    return true;
  }
}
