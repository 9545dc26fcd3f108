package org.opentsdbcatchpoint.alert;

import java.util.Locale;

/**
 * Catchpoint's notification levels: 0 warning, 1 critical, 3 improved (the alert cleared). Integrators'
 * templates send the number, or a word: {@code WARNING}, {@code CRITICAL}, {@code OK}.
 */
public enum AlertLevel {
  WARNING(0),
  CRITICAL(1),
  IMPROVED(3);

  /** Catchpoint's number for the level. */
  public final int id;

  AlertLevel(int id) {
    this.id = id;
  }

  /** The level of a number or a word, or null when it is neither of the known ones. */
  static AlertLevel parse(String raw) {
    String s = raw.trim().toLowerCase(Locale.ROOT);
    switch (s) {
      case "0":
      case "warning":
      case "warn":
        return WARNING;
      case "1":
      case "critical":
      case "crit":
        return CRITICAL;
      case "3":
      case "improved":
      case "ok":
      case "cleared":
      case "clear":
      case "resolved":
        return IMPROVED;
      default:
        return null;
    }
  }

  /** Lower case, as it is written in notes and answers. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
