package org.opentsdbcatchpoint.config;

import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads typed values from the settings and collects every problem instead of stopping at the first,
 * so a bad configuration is reported whole (the key's full name first). It remembers every key it was
 * asked for: a key under the plugin's prefix that no feature read is misspelt or misplaced, and is
 * refused by {@link #reportUnread} rather than silently ignored.
 */
public final class SettingsReader {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*([smhd]?)");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

  private final Settings settings;
  private final List<String> problems = new ArrayList<>();
  private final Set<String> read = new HashSet<>();

  public SettingsReader(Settings settings) {
    this.settings = settings;
  }

  /** The trimmed value as set, or null when unset or blank. */
  public String explicit(Key k) {
    String full = k.fullName();
    read.add(full);
    String v = settings.get(full);
    if (v == null) {
      return null;
    }
    v = v.trim();
    return v.isEmpty() ? null : v;
  }

  /** The trimmed value, or the key's default when unset or blank. */
  public String string(Key k) {
    String v = explicit(k);
    return v != null ? v : k.defaultValue;
  }

  public boolean isSet(Key k) {
    return explicit(k) != null;
  }

  public void problem(Key k, String what) {
    problems.add(k.fullName() + " " + what);
  }

  /** A problem of a key that is not one key of the table ({@code pull.a.tests.*}). */
  public void problem(String fullKey, String what) {
    problems.add(fullKey + " " + what);
  }

  public boolean bool(Key k) {
    String v = string(k);
    if ("true".equalsIgnoreCase(v)) {
      return true;
    }
    if (!"false".equalsIgnoreCase(v)) {
      problem(k, "must be true or false, not \"" + v + "\"");
    }
    return false;
  }

  public long integer(Key k, long min, long max) {
    String v = string(k);
    long fallback = k.defaultValue == null ? min : Long.parseLong(k.defaultValue);
    if (v == null) {
      return fallback;
    }
    try {
      long n = Long.parseLong(v);
      if (n < min || n > max) {
        problem(k, "must be between " + min + " and " + max + ", not " + n);
        return fallback;
      }
      return n;
    } catch (NumberFormatException e) {
      problem(k, "must be a whole number, not \"" + v + "\"");
      return fallback;
    }
  }

  /** {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or plain seconds; null when it is none of these. */
  static Long parseDuration(String v) {
    Matcher m = DURATION.matcher(v.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return null;
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "m":
        return n * 60;
      case "h":
        return n * 3600;
      case "d":
        return n * 86400;
      default:
        return n;
    }
  }

  /** A duration in seconds. */
  public long seconds(Key k, long minSeconds, long maxSeconds) {
    String v = string(k);
    Long fallback = k.defaultValue == null ? Long.valueOf(minSeconds) : parseDuration(k.defaultValue);
    Long n = parseDuration(v);
    if (n == null) {
      problem(k, "must be a duration such as 30s, 5m, 2h or 1d, not \"" + v + "\"");
      return fallback;
    }
    if (n < minSeconds || n > maxSeconds) {
      problem(k, "must be between " + minSeconds + "s and " + maxSeconds + "s, not " + v);
      return fallback;
    }
    return n;
  }

  /** One of the choices (case-insensitive, returned as written here), else the default. */
  public String choice(Key k, String... choices) {
    String v = string(k);
    if (v == null) {
      return null;
    }
    for (String c : choices) {
      if (c.equalsIgnoreCase(v)) {
        return c;
      }
    }
    problem(k, "must be " + String.join(" or ", choices) + ", not \"" + v + "\"");
    return k.defaultValue;
  }

  public Path readableFile(Key k) {
    String v = string(k);
    if (v == null) {
      return null;
    }
    Path p = Paths.get(v);
    if (!Files.isReadable(p) || Files.isDirectory(p)) {
      problem(k, "names a file that cannot be read: " + v);
      return null;
    }
    return p;
  }

  /** A file the plugin may write: an existing writable file, or a new one in an existing writable directory. */
  public Path writableFile(Key k) {
    String v = string(k);
    if (v == null) {
      return null;
    }
    Path p = Paths.get(v);
    Path dir = p.toAbsolutePath().getParent();
    boolean ok = Files.exists(p) ? Files.isRegularFile(p) && Files.isWritable(p)
        : dir != null && Files.isDirectory(dir) && Files.isWritable(dir);
    if (!ok) {
      problem(k, "names a file that cannot be written: " + v);
      return null;
    }
    return p;
  }

  /** An http or https URL without a query; null (and a problem, when {@code required}) otherwise. */
  public String url(Key k, String requiredBecause) {
    String v = string(k);
    if (v == null) {
      if (requiredBecause != null) {
        problem(k, "is required " + requiredBecause);
      }
      return null;
    }
    try {
      URL u = new URL(v);
      String protocol = u.getProtocol().toLowerCase(Locale.ROOT);
      if ((!"http".equals(protocol) && !"https".equals(protocol)) || u.getHost().isEmpty() || u.getQuery() != null) {
        throw new MalformedURLException();
      }
      return v;
    } catch (MalformedURLException e) {
      problem(k, "must be an http or https URL without a query, not \"" + v + "\"");
      return null;
    }
  }

  /** Comma-separated, trimmed, empty parts left out. */
  public List<String> list(Key k) {
    List<String> out = new ArrayList<>();
    String v = string(k);
    if (v != null) {
      for (String part : v.split(",")) {
        String s = part.trim();
        if (!s.isEmpty()) {
          out.add(s);
        }
      }
    }
    return out;
  }

  /** Names of items ({@code pull.accounts}, {@code forward}): letters, digits, - and _; each once. */
  public List<String> names(Key k, String what) {
    List<String> out = new ArrayList<>();
    for (String name : list(k)) {
      if (!NAME.matcher(name).matches()) {
        problem(k, "has the " + what + " name \"" + name + "\": use letters, digits, - and _ only");
      } else if (out.contains(name)) {
        problem(k, "names the " + what + " " + name + " twice");
      } else {
        out.add(name);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** Positive whole numbers, comma-separated, each once. */
  public List<Long> ids(Key k, String what) {
    List<Long> out = new ArrayList<>();
    for (String id : list(k)) {
      try {
        long n = Long.parseLong(id);
        if (n <= 0) {
          throw new NumberFormatException();
        }
        if (!out.contains(n)) {
          out.add(n);
        }
      } catch (NumberFormatException e) {
        problem(k, "must list " + what + " (positive whole numbers), not \"" + id + "\"");
      }
    }
    return out;
  }

  /** Keys that are set and start with {@code fullPrefix}, sorted. */
  public List<String> keysUnder(String fullPrefix) {
    List<String> out = new ArrayList<>();
    for (String key : new TreeSet<>(settings.keys())) {
      if (key.startsWith(fullPrefix)) {
        out.add(key);
      }
    }
    return out;
  }

  /** Marks a key as handled (a feature reported it already, or reads it under another name). */
  public void handled(String fullKey) {
    read.add(fullKey);
  }

  /** A problem for every key set under the plugin's prefix that no feature read. */
  public void reportUnread() {
    for (String key : keysUnder(Key.PREFIX)) {
      if (!read.contains(key)) {
        problems.add(key + " is not a setting of this plugin (misspelt?)");
      }
    }
  }

  public List<String> problems() {
    return Collections.unmodifiableList(problems);
  }

  /** Throws {@link InvalidSettingsException} with every problem, when there is any. */
  public void check() {
    if (!problems.isEmpty()) {
      throw new InvalidSettingsException(new ArrayList<>(problems));
    }
  }
}
