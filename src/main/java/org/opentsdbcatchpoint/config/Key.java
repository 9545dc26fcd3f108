package org.opentsdbcatchpoint.config;

/**
 * A documented setting: its name below {@link #PREFIX}, type, default (null: none), whether it is a
 * secret, and what it does. The README's configuration table has one row per key, with this type and
 * default. A key of a named item has a placeholder in its name ({@code pull.<account>.api_key}).
 */
public final class Key {
  public static final String PREFIX = "tsd.plugin.catchpoint.";

  public final String name;
  public final String type;
  public final String defaultValue;
  public final boolean secret;
  public final String description;

  private Key(String name, String type, String defaultValue, boolean secret, String description) {
    this.name = name;
    this.type = type;
    this.defaultValue = defaultValue;
    this.secret = secret;
    this.description = description;
  }

  public static Key of(String name, String type, String defaultValue, String description) {
    return new Key(name, type, defaultValue, false, description);
  }

  public static Key secret(String name, String type, String description) {
    return new Key(name, type, null, true, description);
  }

  public String fullName() {
    return PREFIX + name;
  }

  /** The key of one item: {@code pull.<account>.api} for the account {@code a} is {@code pull.a.api}. */
  public Key forItem(String placeholder, String item) {
    return new Key(name.replace(placeholder, item), type, defaultValue, secret, description);
  }

  /** True when {@code fullKey} is this key, the placeholder standing for any one dot-free name. */
  public boolean matches(String fullKey) {
    String full = fullName();
    int open = full.indexOf('<');
    if (open < 0) {
      return full.equals(fullKey);
    }
    int close = full.indexOf('>', open);
    String head = full.substring(0, open);
    String tail = full.substring(close + 1);
    if (!fullKey.startsWith(head) || !fullKey.endsWith(tail) || fullKey.length() <= head.length() + tail.length()) {
      return false;
    }
    String item = fullKey.substring(head.length(), fullKey.length() - tail.length());
    return item.indexOf('.') < 0;
  }

  @Override
  public String toString() {
    return name;
  }
}
