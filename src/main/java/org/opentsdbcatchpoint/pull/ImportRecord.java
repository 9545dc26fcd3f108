package org.opentsdbcatchpoint.pull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * One import: what it pulls (an account's tests over [from, to), in windows of {@code window}
 * seconds aligned on {@code from}) and how far it got, in one record that is stored whole after every
 * window. The per-test cursors and the counters are in the same record, so one write moves them
 * together: a TSD killed between two windows resumes at the last stored one with counters that match,
 * and a window is never stored twice (at most the window in flight is fetched again).
 *
 * <p>Its id is made of what it pulls, so the same import asked again finds the stored one.
 */
public final class ImportRecord {
  /** Where an import is. */
  public enum State {
    /** Waiting for the TSD that holds the account's lease to take it. */
    QUEUED,
    /** Being pulled (or was, by a TSD that stopped: the next holder resumes it). */
    RUNNING,
    DONE,
    /** Stopped on an error that retrying did not cure; asking for it again resumes it from its cursors. */
    FAILED;

    String text() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  final String id;
  final String account;
  /** Test id to its type name (a {@code tests.<type>} list name), in the order asked. */
  final Map<Long, String> tests;
  final long fromSeconds;
  final long toSeconds;
  final long windowSeconds;
  final int batchSize;
  /** Requests planned: one per batch of tests and window (v2), one per test and window (v1). */
  final long requestsPlanned;
  final long windowsTotal;
  /**
   * The seconds the plan expects: at the account's import pace, or at the speed of the account's last
   * import when that was slower (storage, or Catchpoint's answers, set the pace then).
   */
  final long estimateSeconds;
  /** What the estimate is based on: {@code pace} or {@code last_import}. */
  final String estimateFrom;

  volatile State state = State.QUEUED;
  /** Per test: every run before this second is stored. Absent: nothing yet (from {@link #fromSeconds}). */
  final Map<Long, Long> cursors = new LinkedHashMap<>();
  volatile long windowsDone;
  volatile long runs;
  volatile long points;
  volatile long requests;
  volatile long rateLimited;
  volatile long createdMillis;
  volatile long startedMillis;
  volatile long updatedMillis;
  volatile long finishedMillis;
  volatile long pausedUntilMillis;
  volatile String lastError;
  volatile String runner;
  /** Measured by the TSD that runs it, since it took it: windows and points a second. */
  volatile double windowsPerSecond;
  volatile double pointsPerSecond;

  ImportRecord(String account, Map<Long, String> tests, long fromSeconds, long toSeconds, long windowSeconds,
      int batchSize, boolean oneTestPerRequest, long requestGapMillis, double lastWindowsPerSecond) {
    this.account = account;
    this.tests = Collections.unmodifiableMap(new LinkedHashMap<>(tests));
    this.fromSeconds = fromSeconds;
    this.toSeconds = toSeconds;
    this.windowSeconds = windowSeconds;
    this.batchSize = Math.max(1, batchSize);
    this.id = idOf(account, tests.keySet(), fromSeconds, toSeconds);
    long windowsPerBatch = windowsIn(fromSeconds, toSeconds, windowSeconds);
    long batches = batches().size();
    this.windowsTotal = windowsPerBatch * batches;
    this.requestsPlanned = oneTestPerRequest ? windowsPerBatch * tests.size() : windowsTotal;
    long atPace = (requestsPlanned * requestGapMillis + 999) / 1000;
    long atLastSpeed = lastWindowsPerSecond > 0 ? (long) Math.ceil(windowsTotal / lastWindowsPerSecond) : 0;
    this.estimateSeconds = Math.max(atPace, atLastSpeed);
    this.estimateFrom = atLastSpeed > atPace ? "last_import" : "pace";
  }

  private ImportRecord(Map<String, String> f) {
    account = f.get("account");
    Map<Long, String> t = new LinkedHashMap<>();
    for (String part : f.get("tests").split(",")) {
      int colon = part.indexOf(':');
      t.put(Long.parseLong(part.substring(0, colon)), part.substring(colon + 1));
    }
    tests = Collections.unmodifiableMap(t);
    fromSeconds = Long.parseLong(f.get("from"));
    toSeconds = Long.parseLong(f.get("to"));
    windowSeconds = Long.parseLong(f.get("window"));
    batchSize = Integer.parseInt(f.get("batch_size"));
    requestsPlanned = Long.parseLong(f.get("requests_planned"));
    windowsTotal = Long.parseLong(f.get("windows_total"));
    estimateSeconds = Long.parseLong(f.get("estimate_seconds"));
    estimateFrom = f.getOrDefault("estimate_from", "pace");
    id = f.get("id");
    state = State.valueOf(f.get("state").toUpperCase(Locale.ROOT));
    String c = f.getOrDefault("cursors", "");
    for (String part : c.isEmpty() ? new String[0] : c.split(",")) {
      int colon = part.indexOf(':');
      cursors.put(Long.parseLong(part.substring(0, colon)), Long.parseLong(part.substring(colon + 1)));
    }
    windowsDone = num(f, "windows_done");
    runs = num(f, "runs");
    points = num(f, "points");
    requests = num(f, "requests");
    rateLimited = num(f, "rate_limited");
    createdMillis = num(f, "created_ms");
    startedMillis = num(f, "started_ms");
    updatedMillis = num(f, "updated_ms");
    finishedMillis = num(f, "finished_ms");
    pausedUntilMillis = num(f, "paused_until_ms");
    lastError = f.get("last_error");
    runner = f.get("runner");
    windowsPerSecond = Double.parseDouble(f.getOrDefault("windows_per_second", "0"));
    pointsPerSecond = Double.parseDouble(f.getOrDefault("points_per_second", "0"));
  }

  private static long num(Map<String, String> f, String k) {
    String v = f.get(k);
    return v == null || v.isEmpty() ? 0 : Long.parseLong(v);
  }

  /** The windows of {@code window} seconds that cover [from, to), the last one shorter. */
  static long windowsIn(long from, long to, long window) {
    return to <= from ? 0 : (to - from + window - 1) / window;
  }

  /** The same account, tests (in any order) and range always give the same id. */
  static String idOf(String account, java.util.Collection<Long> tests, long from, long to) {
    List<Long> sorted = new ArrayList<>(tests);
    Collections.sort(sorted);
    CRC32 crc = new CRC32();
    crc.update((account + "|" + sorted + "|" + from + "|" + to).getBytes(StandardCharsets.UTF_8));
    return account + "-" + String.format(Locale.ROOT, "%08x", crc.getValue());
  }

  /** Tests of one type asked for together, as the live pulls batch them ({@code other}: one per request). */
  List<List<Long>> batches() {
    Map<String, List<Long>> byType = new LinkedHashMap<>();
    for (Map.Entry<Long, String> e : tests.entrySet()) {
      byType.computeIfAbsent(e.getValue(), k -> new ArrayList<>()).add(e.getKey());
    }
    List<List<Long>> out = new ArrayList<>();
    for (Map.Entry<String, List<Long>> e : byType.entrySet()) {
      int size = PullAccountSettings.OTHER_TESTS.equals(e.getKey()) ? 1 : batchSize;
      List<Long> ids = e.getValue();
      for (int i = 0; i < ids.size(); i += size) {
        out.add(new ArrayList<>(ids.subList(i, Math.min(ids.size(), i + size))));
      }
    }
    return out;
  }

  long cursor(long test) {
    Long c = cursors.get(test);
    return c == null ? fromSeconds : c;
  }

  boolean finished() {
    return state == State.DONE || state == State.FAILED;
  }

  /** The record as stored: one {@code key=value} a line. */
  String serialize() {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> e : fields().entrySet()) {
      if (e.getValue() != null) {
        b.append(e.getKey()).append('=').append(e.getValue().replace('\n', ' ').replace('\r', ' ')).append('\n');
      }
    }
    return b.toString();
  }

  private Map<String, String> fields() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("id", id);
    f.put("account", account);
    StringBuilder t = new StringBuilder();
    for (Map.Entry<Long, String> e : tests.entrySet()) {
      t.append(t.length() > 0 ? "," : "").append(e.getKey()).append(':').append(e.getValue());
    }
    f.put("tests", t.toString());
    f.put("from", Long.toString(fromSeconds));
    f.put("to", Long.toString(toSeconds));
    f.put("window", Long.toString(windowSeconds));
    f.put("batch_size", Integer.toString(batchSize));
    f.put("requests_planned", Long.toString(requestsPlanned));
    f.put("windows_total", Long.toString(windowsTotal));
    f.put("estimate_seconds", Long.toString(estimateSeconds));
    f.put("estimate_from", estimateFrom);
    f.put("state", state.text());
    StringBuilder c = new StringBuilder();
    synchronized (cursors) {
      for (Map.Entry<Long, Long> e : cursors.entrySet()) {
        c.append(c.length() > 0 ? "," : "").append(e.getKey()).append(':').append(e.getValue());
      }
    }
    f.put("cursors", c.toString());
    f.put("windows_done", Long.toString(windowsDone));
    f.put("runs", Long.toString(runs));
    f.put("points", Long.toString(points));
    f.put("requests", Long.toString(requests));
    f.put("rate_limited", Long.toString(rateLimited));
    f.put("created_ms", Long.toString(createdMillis));
    f.put("started_ms", Long.toString(startedMillis));
    f.put("updated_ms", Long.toString(updatedMillis));
    f.put("finished_ms", Long.toString(finishedMillis));
    f.put("paused_until_ms", Long.toString(pausedUntilMillis));
    f.put("last_error", lastError);
    f.put("runner", runner);
    f.put("windows_per_second", Double.toString(windowsPerSecond));
    f.put("points_per_second", Double.toString(pointsPerSecond));
    return f;
  }

  /** A stored record; null when it cannot be read (a record of another version, say), which is logged by the caller. */
  static ImportRecord parse(String text) {
    Map<String, String> f = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        f.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    try {
      return new ImportRecord(f);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** What the status pages and the command line show. */
  public Map<String, Object> progress(long nowMillis) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("account", account);
    m.put("tests", new ArrayList<>(tests.keySet()));
    m.put("from", RestTimes.iso(fromSeconds));
    m.put("to", RestTimes.iso(toSeconds));
    m.put("window_seconds", windowSeconds);
    m.put("state", state.text());
    m.put("windows_done", windowsDone);
    m.put("windows_total", windowsTotal);
    m.put("requests", requests);
    m.put("requests_planned", requestsPlanned);
    m.put("estimate_seconds", estimateSeconds);
    m.put("estimate_from", estimateFrom);
    m.put("runs", runs);
    m.put("points", points);
    m.put("rate_limited", rateLimited);
    m.put("windows_per_second", Math.round(windowsPerSecond * 1000) / 1000.0);
    m.put("points_per_second", Math.round(pointsPerSecond));
    long left = windowsTotal - windowsDone;
    m.put("eta_seconds", state == State.DONE ? Long.valueOf(0) : windowsPerSecond > 0
        ? Long.valueOf(Math.round(left / windowsPerSecond)) : null);
    m.put("paused_until", pausedUntilMillis > nowMillis ? RestTimes.iso(pausedUntilMillis / 1000) : null);
    m.put("created", createdMillis == 0 ? null : RestTimes.iso(createdMillis / 1000));
    m.put("started", startedMillis == 0 ? null : RestTimes.iso(startedMillis / 1000));
    m.put("updated", updatedMillis == 0 ? null : RestTimes.iso(updatedMillis / 1000));
    m.put("finished", finishedMillis == 0 ? null : RestTimes.iso(finishedMillis / 1000));
    m.put("runner", runner);
    m.put("last_error", lastError);
    return m;
  }
}
