package org.opentsdbcatchpoint.alert;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * One alert webhook of Catchpoint: which test (and node, when the alert is about one) crossed or left a
 * threshold, at what level, of which alert type, when. Immutable; names are bounded and may be null.
 */
public final class Alert {
  /** Alert types as integrators' templates number them; another id is shown as {@code type <id>}. */
  private static final Map<Integer, String> TYPES = new HashMap<>();

  static {
    TYPES.put(0, "unknown");
    TYPES.put(2, "byte length");
    TYPES.put(3, "content match");
    TYPES.put(4, "host failure");
    TYPES.put(7, "timing");
    TYPES.put(9, "test failure");
    TYPES.put(10, "insight");
    TYPES.put(11, "JavaScript failure");
    TYPES.put(12, "ping");
    TYPES.put(13, "requests");
  }

  final long testId;
  final String testName;
  /** Null when the body names no node id (it may still name the node). */
  final Long nodeId;
  final String nodeName;
  final AlertLevel level;
  /** Null when the body gives no numeric type. */
  final Integer alertTypeId;
  /** The type's name: the body's, else the one of {@link #alertTypeId}; null when neither is known. */
  final String alertType;
  final String productName;
  final Long clientId;
  /** When Catchpoint raised the alert, epoch seconds (the arrival time when the body has no time). */
  final long timeSeconds;
  /** False when the body had no time and {@link #timeSeconds} is the arrival. */
  final boolean timeGiven;
  /** {@code template-json}, {@code template-xml}, {@code default-xml}... */
  final String format;

  Alert(long testId, String testName, Long nodeId, String nodeName, AlertLevel level, Integer alertTypeId,
      String alertType, String productName, Long clientId, long timeSeconds, boolean timeGiven, String format) {
    this.testId = testId;
    this.testName = testName;
    this.nodeId = nodeId;
    this.nodeName = nodeName;
    this.level = level;
    this.alertTypeId = alertTypeId;
    this.alertType = alertType != null ? alertType : alertTypeId == null ? null
        : TYPES.getOrDefault(alertTypeId, "type " + alertTypeId);
    this.productName = productName;
    this.clientId = clientId;
    this.timeSeconds = timeSeconds;
    this.timeGiven = timeGiven;
    this.format = format;
  }

  /** The same alert, naming the node id the catalog or the names found for its node name. */
  Alert withNodeId(long id) {
    return new Alert(testId, testName, id, nodeName, level, alertTypeId, alertType, productName, clientId,
        timeSeconds, timeGiven, format);
  }

  public long testId() {
    return testId;
  }

  public Long nodeId() {
    return nodeId;
  }

  public String nodeName() {
    return nodeName;
  }

  public AlertLevel level() {
    return level;
  }

  public long timeSeconds() {
    return timeSeconds;
  }

  public String format() {
    return format;
  }

  /** Known alert type names by id (for docs and tests). */
  public static Map<Integer, String> types() {
    return Collections.unmodifiableMap(TYPES);
  }
}
