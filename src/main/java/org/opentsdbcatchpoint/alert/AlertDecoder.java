package org.opentsdbcatchpoint.alert;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.opentsdbcatchpoint.push.Identity;
import org.opentsdbcatchpoint.push.Leaves;
import org.opentsdbcatchpoint.push.PushBody;
import org.opentsdbcatchpoint.push.PushException;
import org.opentsdbcatchpoint.push.RunTimes;

/**
 * Reads an alert webhook body leniently: Catchpoint's default JSON or XML (whose shape is not
 * published: read as any tree whose fields are named like the macros), the project's recommended
 * template, and the templates integrators publish. Field names match in any case and separator style,
 * nested or flat ({@code testId}, {@code TestId}, {@code Test.Id}, {@code test_id}); the level is a
 * number (0, 1, 3) or a word ({@code WARNING}, {@code CRITICAL}, {@code OK}, {@code IMPROVED}). The body
 * limits, the JSON and XML readers and their errors are the push's ({@link PushBody}). Stateless.
 */
public final class AlertDecoder {
  static final String[] TEST_ID = {"testid"};
  static final String[] TEST_NAME = {"testname"};
  static final String[] NODE_ID = {"nodeid"};
  static final String[] NODE_NAME = {"nodename", "node"};
  static final String[] LEVEL = {"notificationlevelid", "notificationlevel", "alertlevel", "levelid", "level",
      "eventstate", "severity"};
  static final String[] TYPE_ID = {"alerttypeid", "alerttype"};
  static final String[] TYPE_NAME = {"alerttypename", "alerttype"};
  static final String[] PRODUCT = {"productname", "product"};
  static final String[] CLIENT = {"clientid", "divisionid"};
  /** Epoch fields first: exact and free of time zones. */
  static final String[] EPOCH = {"alertprocessingtimestamputcepoch", "alertcreatedateutcepoch",
      "alerttimestampepoch", "timestampepoch", "tsepoch", "epoch"};
  static final String[] TIME = {"alertcreatedateutc", "alertprocessingtimestamputc", "alertcreatedate",
      "alerttimestamp", "timestamp", "ts", "time", "date"};
  /** US-style dates as .NET writes them, which a date macro may give. */
  private static final List<DateTimeFormatter> OTHER_TIMES = Arrays.asList(
      DateTimeFormatter.ofPattern("M/d/yyyy h:mm:ss a", Locale.ROOT),
      DateTimeFormatter.ofPattern("M/d/yyyy H:mm:ss", Locale.ROOT),
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT));

  private final int maxBodyBytes;
  private final int maxFields;
  private final long maxFutureSeconds;

  /** The push's limits: {@code push.max_body_bytes}, {@code push.max_fields}, {@code push.max_future_seconds}. */
  public AlertDecoder(int maxBodyBytes, int maxFields, long maxFutureSeconds) {
    this.maxBodyBytes = maxBodyBytes;
    this.maxFields = maxFields;
    this.maxFutureSeconds = maxFutureSeconds;
  }

  /**
   * @param nowSeconds the arrival time: the alert's time when the body has none, and the bound on
   *     times in the future
   */
  public Alert decode(byte[] body, String contentType, long nowSeconds) throws PushException {
    PushBody raw = PushBody.of(body, contentType, maxBodyBytes);
    JsonNode root = raw.tree(maxFields);
    if (!root.isObject()) {
      throw PushException.badRequest("not_catchpoint_alert", "expected a JSON object (one alert), found "
          + (root.isArray() ? "an array" : "a " + root.getNodeType().name().toLowerCase(Locale.ROOT)), "body");
    }
    Leaves leaves = Leaves.of(root);
    Leaves.Leaf test = leaves.first(TEST_ID);
    if (test == null) {
      throw PushException.badRequest("not_catchpoint_alert",
          "no test id: expected an alert with a testId field (see docs/alerts.md for the recommended template)",
          "body");
    }
    long testId = Identity.require(test.value, "test id", test.path);
    AlertLevel level = level(leaves.first(LEVEL));
    Leaves.Leaf nodeId = leaves.first(NODE_ID);
    Long node = null;
    if (nodeId != null && Identity.present(nodeId.value) && !unreplaced(nodeId.value)) {
      node = Identity.require(nodeId.value, "node id", nodeId.path);
    }
    Leaves.Leaf typeId = leaves.first(TYPE_ID);
    Integer type = typeId == null ? null : Identity.optionalInt(typeId.value);
    String typeName = type == null ? text(leaves.first(TYPE_NAME)) : text(leaves.first("alerttypename"));
    Leaves.Leaf client = leaves.first(CLIENT);
    Long clientId = client == null ? null : Identity.wholeNumber(client.value);
    Long time = time(leaves);
    boolean given = time != null;
    long t = given ? time : nowSeconds;
    RunTimes.checkRange(t, nowSeconds, maxFutureSeconds, "alert");
    String format = (raw.isXml() ? "xml" : "json");
    format = (leaves.first("src") != null ? "template-" : "alert-") + format;
    return new Alert(testId, text(leaves.first(TEST_NAME)), node, text(leaves.first(NODE_NAME)), level, type,
        typeName, text(leaves.first(PRODUCT)), clientId, t, given, format);
  }

  private static AlertLevel level(Leaves.Leaf leaf) throws PushException {
    if (leaf == null || !Identity.present(leaf.value)) {
      throw PushException.badRequest("missing_field", "the alert has no notification level (notificationLevelId: "
          + "0 warning, 1 critical, 3 improved; or WARNING, CRITICAL, OK)", leaf == null ? "body" : leaf.path);
    }
    AlertLevel level = leaf.value.isValueNode() ? AlertLevel.parse(leaf.value.asText()) : null;
    if (level == null) {
      throw PushException.badRequest("invalid_field", "the notification level " + abbreviate(leaf.value.asText())
          + " is none of 0 (warning), 1 (critical), 3 (improved), WARNING, CRITICAL, OK", leaf.path);
    }
    return level;
  }

  /** The epoch field when it was filled in, else a date field; null when the body has no time. */
  private static Long time(Leaves leaves) throws PushException {
    Leaves.Leaf epoch = leaves.first(EPOCH);
    if (epoch != null && Identity.present(epoch.value) && !unreplaced(epoch.value)) {
      return RunTimes.parse(epoch.value, epoch.path);
    }
    Leaves.Leaf date = leaves.first(TIME);
    if (date == null || !Identity.present(date.value) || unreplaced(date.value)) {
      return null;
    }
    try {
      return RunTimes.parse(date.value, date.path);
    } catch (PushException notIso) {
      String s = date.value.asText().trim();
      for (DateTimeFormatter f : OTHER_TIMES) {
        try {
          return LocalDateTime.parse(s.toUpperCase(Locale.ROOT), f).toEpochSecond(ZoneOffset.UTC);
        } catch (DateTimeParseException next) {
          // the next form
        }
      }
      throw PushException.badRequest("invalid_alert_time", "the alert time \"" + abbreviate(s) + "\" is not epoch "
          + "seconds, ISO-8601 (UTC) or M/d/yyyy h:mm:ss AM/PM (UTC)", date.path);
    }
  }

  /** A macro Catchpoint left as it was ({@code ${nodeId}}): no value. */
  private static boolean unreplaced(JsonNode n) {
    return n.isTextual() && n.textValue().trim().startsWith("${");
  }

  private static String text(Leaves.Leaf leaf) {
    return leaf == null ? null : Identity.text(leaf.value.isNumber() ? null : leaf.value);
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }
}
