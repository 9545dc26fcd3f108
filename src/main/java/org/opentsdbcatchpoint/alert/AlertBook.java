package org.opentsdbcatchpoint.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.opentsdbcatchpoint.push.Leaves;
import org.opentsdbcatchpoint.web.Json;

/**
 * Alerts as OpenTSDB notes, kept in step across the TSDs of one HBase through the {@link AlertStore}:
 * <ul>
 *   <li>a warning or critical alert opens a note on each of its series (from {@code since} on, no end);
 *       a change of level ends the open notes at that time and opens new ones; the same level again
 *       while open adds nothing;
 *   <li>an improved alert sets the end of the open notes (no second note); with none open it gets a
 *       note of its own, start and end at its time;
 *   <li>OpenTSDB keys a note by series and start second, so each note first takes its second in the store:
 *       a second another alert holds is skipped for the next free one (at most {@link #MAX_SHIFT} later),
 *       and the note says when the alert really was;
 *   <li>a retry of an alert (Catchpoint retries whatever did not get a 200) finds its own seconds and
 *       record, and writes the same notes again; a retry that comes after a later alert of its series
 *       changes nothing.
 * </ul>
 * Blocking: the store's calls, and the wait for storage's acknowledgements within the deadline.
 */
public final class AlertBook {
  /** The furthest a note moves from its second when others hold it (an alert storm on the global notes). */
  static final int MAX_SHIFT = 300;
  /** Tries when another TSD changed the same record meanwhile. */
  static final int MAX_ATTEMPTS = 5;
  /** In every note's custom fields: what wrote the note. */
  public static final String SOURCE = "catchpoint-alert";

  private final AlertStore store;
  private final Annotations annotations;
  private final LongSupplier nanoClock;

  public AlertBook(AlertStore store, Annotations annotations, LongSupplier nanoClock) {
    this.store = store;
    this.annotations = annotations;
    this.nanoClock = nanoClock;
  }

  /** A series an alert's notes go on: {@code test}, {@code node} or {@code global} (an empty TSUID). */
  public static final class Target {
    final String label;
    final String tsuid;

    public Target(String label, String tsuid) {
      this.label = label;
      this.tsuid = tsuid;
    }
  }

  /** What became of one alert. */
  public static final class Recorded {
    /**
     * {@code opened}, {@code level_changed}, {@code still_open}, {@code ended}, {@code improved},
     * {@code already_ended} (a retry of an alert whose notes were ended since), {@code already_recorded}
     * (a retry of an alert a later one of its series superseded).
     */
    public final String action;
    /** The notes written (or written again) for this alert, the ended ones included. */
    public final List<Note> notes;
    /** Targets that got no note, and why. */
    public final Map<String, String> skipped;

    Recorded(String action, List<Note> notes, Map<String, String> skipped) {
      this.action = action;
      this.notes = notes;
      this.skipped = skipped;
    }
  }

  /**
   * Records the alert on its targets, by the deadline (on the book's clock).
   *
   * @throws IOException when the store failed
   * @throws ExecutionException when storage refused a note
   * @throws TimeoutException when storage did not acknowledge by the deadline
   */
  public Recorded record(Alert alert, List<Target> targets, long deadlineNanos)
      throws IOException, ExecutionException, TimeoutException, InterruptedException {
    String openKey = "open/" + seriesKey(alert);
    String key = alertKey(alert);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      byte[] raw = store.read(openKey);
      ObjectNode rec = raw == null ? null : (ObjectNode) Json.MAPPER.readTree(raw);
      boolean open = rec != null && "open".equals(rec.path("state").asText());
      String holder = rec == null ? null : rec.path("alert").asText();
      Map<String, String> skipped = new LinkedHashMap<>();

      if (rec != null && (key.equals(holder) || key.equals(rec.path("closed_by").asText()))) {
        // This alert was recorded before (a retry): its notes once more, nothing else.
        List<Note> again = notes(rec.path("notes"));
        boolean ended = !open && !key.equals(rec.path("closed_by").asText());
        if (!ended) {
          writeAll(again, deadlineNanos);
        }
        return new Recorded(ended ? "already_ended" : rec.path("action").asText("opened"), again, skipped);
      }
      if (store.read("seen/" + key) != null) {
        // Recorded, and since superseded by a later alert of its series (a late retry): changes nothing.
        return new Recorded("already_recorded", new ArrayList<>(), skipped);
      }
      if (alert.level == AlertLevel.IMPROVED) {
        List<Note> written;
        String action;
        if (open) {
          written = ended(notes(rec.path("notes")), alert, "improved");
          action = "ended";
        } else {
          written = place(alert, targets, deadlineNanos, skipped);
          action = "improved";
        }
        writeAll(written, deadlineNanos);
        ObjectNode closed = record("closed", open ? holder : key, action, written);
        closed.put("closed_by", key);
        if (store.compareAndSet(openKey, raw, bytes(closed))) {
          seen(key);
          return new Recorded(action, written, skipped);
        }
        continue; // another TSD changed the record meanwhile: look again
      }
      if (open && alert.level.label().equals(rec.path("level").asText())) {
        seen(key);
        return new Recorded("still_open", notes(rec.path("notes")), skipped);
      }
      List<Note> written = new ArrayList<>();
      if (open) {
        written.addAll(ended(notes(rec.path("notes")), alert, "became " + alert.level.label()));
      }
      List<Note> opened = place(alert, targets, deadlineNanos, skipped);
      written.addAll(opened);
      writeAll(written, deadlineNanos);
      String action = open ? "level_changed" : "opened";
      ObjectNode next = record("open", key, action, opened);
      next.put("level", alert.level.label());
      if (store.compareAndSet(openKey, raw, bytes(next))) {
        seen(key);
        return new Recorded(action, written, skipped);
      }
    }
    throw new IOException("the alert record " + openKey + " kept changing under " + MAX_ATTEMPTS + " tries");
  }

  /** Marks the alert as recorded, so that a retry after a later alert of its series changes nothing. */
  private void seen(String key) throws IOException {
    store.compareAndSet("seen/" + key, null, new byte[] {1});
  }

  /** The alert's notes, one a target, each at the first second from the alert's that no other alert holds. */
  private List<Note> place(Alert alert, List<Target> targets, long deadlineNanos, Map<String, String> skipped)
      throws IOException, TimeoutException {
    String key = alertKey(alert);
    byte[] mine = key.getBytes(StandardCharsets.UTF_8);
    List<Note> out = new ArrayList<>();
    for (Target t : targets) {
      long second = -1;
      for (long s = alert.timeSeconds; s <= alert.timeSeconds + MAX_SHIFT; s++) {
        if (nanoClock.getAsLong() >= deadlineNanos) {
          // The seconds taken so far stay this alert's: its retry finds them at once.
          throw new TimeoutException("no free second found for the note on " + t.label + " by the deadline");
        }
        if (claim("slot/" + (t.tsuid.isEmpty() ? "global" : t.tsuid) + "/" + s, mine)) {
          second = s;
          break;
        }
      }
      if (second < 0) {
        skipped.put(t.label, "every second from the alert's to " + MAX_SHIFT + " s later holds another alert's note");
        continue;
      }
      out.add(new Note(t.tsuid, second, alert.level == AlertLevel.IMPROVED ? second : 0,
          description(alert, second), notesText(alert), custom(alert, key, t.label, second)));
    }
    return out;
  }

  /** True when the cell now holds this alert: it took it, or took it before (a retry). */
  private boolean claim(String slot, byte[] mine) throws IOException {
    if (store.compareAndSet(slot, null, mine)) {
      return true;
    }
    byte[] holder = store.read(slot);
    return holder != null && java.util.Arrays.equals(holder, mine);
  }

  /** The open notes, ended at the alert's time. */
  private static List<Note> ended(List<Note> open, Alert alert, String how) {
    List<Note> out = new ArrayList<>();
    for (Note n : open) {
      long end = Math.max(alert.timeSeconds, n.startSeconds);
      Map<String, String> custom = new LinkedHashMap<>(n.custom);
      custom.put("end_time", Long.toString(alert.timeSeconds));
      custom.put("ended_by", alert.level.label());
      out.add(n.ending(end, n.description + "; " + how + " at " + iso(alert.timeSeconds), custom));
    }
    return out;
  }

  private void writeAll(List<Note> notes, long deadlineNanos)
      throws ExecutionException, TimeoutException, InterruptedException {
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    for (Note n : notes) {
      acks.add(annotations.write(n));
    }
    CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0]))
        .get(Math.max(0, deadlineNanos - nanoClock.getAsLong()), TimeUnit.NANOSECONDS);
  }

  /** Test, node and alert type: one alert's life (open, level changes, improved). */
  static String seriesKey(Alert a) {
    String node = a.nodeId != null ? Long.toString(a.nodeId)
        : a.nodeName != null ? "name:" + Leaves.squash(a.nodeName) : "-";
    String type = a.alertTypeId != null ? Integer.toString(a.alertTypeId)
        : a.alertType != null ? "name:" + Leaves.squash(a.alertType) : "-";
    return a.testId + "/" + node + "/" + type;
  }

  /** One alert: its series, level and time. The same alert posted again has the same key. */
  static String alertKey(Alert a) {
    return seriesKey(a) + "/" + a.level.id + "/" + a.timeSeconds;
  }

  static String description(Alert a, long second) {
    StringBuilder b = new StringBuilder("Catchpoint ");
    b.append(a.level == AlertLevel.IMPROVED ? "alert improved" : a.level.label() + " alert");
    if (a.alertType != null) {
      b.append(" (").append(a.alertType).append(')');
    }
    b.append(": ").append(a.testName != null ? a.testName + " (test " + a.testId + ")" : "test " + a.testId);
    if (a.nodeName != null || a.nodeId != null) {
      b.append(" on ").append(a.nodeName != null ? a.nodeName + (a.nodeId != null ? " (node " + a.nodeId + ")" : "")
          : "node " + a.nodeId);
    }
    if (second != a.timeSeconds) {
      b.append("; raised at ").append(iso(a.timeSeconds)).append(", shown ").append(second - a.timeSeconds)
          .append(" s later (other alerts hold the seconds before)");
    }
    return b.toString();
  }

  private static String notesText(Alert a) {
    List<String> parts = new ArrayList<>();
    if (a.productName != null) {
      parts.add("product " + a.productName);
    }
    if (a.clientId != null) {
      parts.add("client " + a.clientId);
    }
    if (!a.timeGiven) {
      parts.add("the alert had no time: this is when it arrived");
    }
    return String.join("; ", parts);
  }

  static Map<String, String> custom(Alert a, String key, String target, long second) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("source", SOURCE);
    c.put("alert_key", key);
    c.put("target", target);
    c.put("test_id", Long.toString(a.testId));
    if (a.testName != null) {
      c.put("test_name", a.testName);
    }
    if (a.nodeId != null) {
      c.put("node_id", Long.toString(a.nodeId));
    }
    if (a.nodeName != null) {
      c.put("node_name", a.nodeName);
    }
    c.put("level", a.level.label());
    c.put("level_id", Integer.toString(a.level.id));
    if (a.alertTypeId != null) {
      c.put("alert_type_id", Integer.toString(a.alertTypeId));
    }
    if (a.alertType != null) {
      c.put("alert_type", a.alertType);
    }
    c.put("alert_time", Long.toString(a.timeSeconds));
    if (second != a.timeSeconds) {
      c.put("shifted_seconds", Long.toString(second - a.timeSeconds));
    }
    if (a.productName != null) {
      c.put("product_name", a.productName);
    }
    if (a.clientId != null) {
      c.put("client_id", Long.toString(a.clientId));
    }
    return c;
  }

  private static String iso(long seconds) {
    return Instant.ofEpochSecond(seconds).toString();
  }

  private static ObjectNode record(String state, String alert, String action, List<Note> notes) {
    ObjectNode r = Json.object();
    r.put("state", state);
    r.put("alert", alert);
    r.put("action", action);
    ArrayNode list = r.putArray("notes");
    for (Note n : notes) {
      ObjectNode o = list.addObject();
      o.put("tsuid", n.tsuid);
      o.put("start", n.startSeconds);
      o.put("end", n.endSeconds);
      o.put("description", n.description);
      o.put("notes", n.notes);
      ObjectNode c = o.putObject("custom");
      n.custom.forEach(c::put);
    }
    return r;
  }

  private static List<Note> notes(JsonNode list) {
    List<Note> out = new ArrayList<>();
    for (JsonNode o : list) {
      Map<String, String> custom = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = o.path("custom").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        custom.put(e.getKey(), e.getValue().asText());
      }
      out.add(new Note(o.path("tsuid").asText(), o.path("start").asLong(), o.path("end").asLong(),
          o.path("description").asText(), o.path("notes").asText(), custom));
    }
    return out;
  }

  private static byte[] bytes(JsonNode n) {
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }
}
