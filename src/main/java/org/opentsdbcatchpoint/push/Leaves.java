package org.opentsdbcatchpoint.push;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opentsdbcatchpoint.mapping.Vocabulary;

/**
 * Every scalar of a body someone wrote by hand (a template, an integrator's alert payload), found
 * however it is spelt and wherever it is: names are compared squashed (lower case, separators ignored:
 * {@code testId}, {@code TestId}, {@code test_id} are one name), by whole path ({@code timing.dns}) or
 * by last name alone ({@code TestDetails.TestId}). Arrays are not walked: a field inside one is no field
 * of the body.
 */
public final class Leaves {
  /** By squashed path ({@code testdetailstestid}), first one kept, in document order. */
  private final Map<String, Leaf> byPath = new LinkedHashMap<>();
  /** By squashed last name ({@code testid}), first one kept: identity nested under any object. */
  private final Map<String, Leaf> byName = new LinkedHashMap<>();

  private Leaves() {}

  /** The scalars of an object tree (as {@link PushBody#tree} gives it). */
  public static Leaves of(JsonNode root) {
    Leaves out = new Leaves();
    out.flatten(root, "");
    return out;
  }

  private void flatten(JsonNode n, String path) {
    if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        flatten(f.getValue(), path.isEmpty() ? f.getKey() : path + "." + f.getKey());
      }
    } else if (!n.isArray()) {
      add(new Leaf(path, n));
    }
  }

  private void add(Leaf leaf) {
    String squashed = squash(leaf.path);
    if (!byPath.containsKey(squashed)) {
      byPath.put(squashed, leaf);
    }
    if (!byName.containsKey(leaf.squashedName)) {
      byName.put(leaf.squashedName, leaf);
    }
  }

  /** Every scalar by its squashed path, in document order. */
  public Map<String, Leaf> byPath() {
    return Collections.unmodifiableMap(byPath);
  }

  /**
   * The first of the (squashed) names found, by whole path first ({@code testId}), then by name
   * ({@code TestDetails.TestId}); null when none is there.
   */
  public Leaf first(String... squashedNames) {
    for (String n : squashedNames) {
      Leaf l = byPath.get(n);
      if (l != null) {
        return l;
      }
    }
    for (String n : squashedNames) {
      Leaf l = byName.get(n);
      if (l != null) {
        return l;
      }
    }
    return null;
  }

  /** Field names are matched like the vocabulary's keys: lower case, separators ignored. */
  public static String squash(String s) {
    return Vocabulary.squash(s);
  }

  /** One scalar, with its original path for messages and for naming. */
  public static final class Leaf {
    /** As written ({@code TestDetails.TestId}), for messages. */
    public final String path;
    public final JsonNode value;
    /** The last segment of the path, squashed ({@code Summary.TotalTime} -> {@code totaltime}). */
    public final String squashedName;

    Leaf(String path, JsonNode value) {
      this.path = path;
      this.value = value;
      this.squashedName = squash(path.substring(path.lastIndexOf('.') + 1));
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
