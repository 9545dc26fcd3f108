package org.opentsdbcatchpoint.names;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.opentsdbcatchpoint.pipeline.Run;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The names of tests and nodes, as the sources give them (a push's test and node name, a REST answer's
 * test and node breakdown): shown by the Grafana bridge and the dashboards instead of bare ids, never
 * written as tags, so a renamed test keeps its series and shows its new name. Kept in a
 * {@link NameStore} (the plugin's HBase table) so that every TSD and a restarted one know them;
 * {@link #sync} writes what changed and reads what the other TSDs wrote. Bounded in entries; cheap to
 * observe (a lookup per run).
 */
public final class Names {
  private static final Logger LOG = LoggerFactory.getLogger(Names.class);
  /**
   * Names remembered at most, tests and nodes together (a stored row of a few MB at most); names
   * beyond are not remembered, and those tests and nodes are shown by id.
   */
  static final int MAX_ENTRIES = 50_000;
  /** Longer names are cut: a name is only shown, and a source must not make an entry unbounded. */
  static final int MAX_NAME = 200;
  static final String TEST = "test/";
  static final String NODE = "node/";

  private final NameStore store;
  /** {@code test/<id>} -> {@code <type>\t<name>}, {@code node/<id>} -> {@code <name>}. */
  private final Map<String, String> entries = new ConcurrentHashMap<>();
  private final Map<String, String> unsaved = new LinkedHashMap<>();

  public Names(NameStore store) {
    this.store = store;
  }

  /** Notes the names a run came with; unchanged names cost one lookup each. */
  public void observe(Run run) {
    if (run.testName() != null) {
      put(TEST + run.testId(), run.testType() + "\t" + bounded(run.testName()));
    }
    if (run.nodeName() != null) {
      put(NODE + run.nodeId(), bounded(run.nodeName()));
    }
  }

  private static String bounded(String name) {
    String oneLine = name.replace('\t', ' ').replace('\n', ' ');
    return oneLine.length() > MAX_NAME ? oneLine.substring(0, MAX_NAME) : oneLine;
  }

  private void put(String key, String value) {
    String before = entries.get(key);
    if (value.equals(before) || (before == null && entries.size() >= MAX_ENTRIES)) {
      return;
    }
    entries.put(key, value);
    synchronized (unsaved) {
      unsaved.put(key, value);
    }
  }

  /** The test's name, or null when no source named it. */
  public String testName(long testId) {
    String v = entries.get(TEST + testId);
    return v == null ? null : v.substring(v.indexOf('\t') + 1);
  }

  /** The test's type ({@code web}...) as the source that named it said, or null. */
  public String testType(long testId) {
    String v = entries.get(TEST + testId);
    return v == null ? null : v.substring(0, v.indexOf('\t'));
  }

  /** The node's name, or null. */
  public String nodeName(long nodeId) {
    return entries.get(NODE + nodeId);
  }

  /** Every named test, id to name, by id. */
  public Map<Long, String> tests() {
    return byId(TEST, true);
  }

  /** Every named node, id to name, by id. */
  public Map<Long, String> nodes() {
    return byId(NODE, false);
  }

  private Map<Long, String> byId(String prefix, boolean typed) {
    Map<Long, String> out = new TreeMap<>();
    for (Map.Entry<String, String> e : entries.entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        String v = e.getValue();
        out.put(Long.parseLong(e.getKey().substring(prefix.length())), typed ? v.substring(v.indexOf('\t') + 1) : v);
      }
    }
    return out;
  }

  /** Writes the names that changed here, then takes in what the store holds (other TSDs' names too). */
  public void sync() {
    Map<String, String> batch;
    synchronized (unsaved) {
      batch = new LinkedHashMap<>(unsaved);
      unsaved.clear();
    }
    try {
      if (!batch.isEmpty()) {
        store.save(batch);
      }
      for (Map.Entry<String, String> e : store.loadAll().entrySet()) {
        boolean room = entries.containsKey(e.getKey()) || entries.size() < MAX_ENTRIES;
        if (room && valid(e.getKey(), e.getValue()) && !batchHas(e.getKey())) {
          entries.put(e.getKey(), e.getValue());
        }
      }
    } catch (IOException | RuntimeException e) {
      synchronized (unsaved) {
        for (Map.Entry<String, String> b : batch.entrySet()) {
          unsaved.putIfAbsent(b.getKey(), b.getValue()); // kept for the next sync
        }
      }
      LOG.warn("test and node names: could not sync with the store ({}); retried at the next sync", e.toString());
    }
  }

  /** A newer name observed here while the sync ran wins over the stored one. */
  private boolean batchHas(String key) {
    synchronized (unsaved) {
      return unsaved.containsKey(key);
    }
  }

  private static boolean valid(String key, String value) {
    if (value == null || !(key.startsWith(TEST) || key.startsWith(NODE))) {
      return false;
    }
    String id = key.substring(key.indexOf('/') + 1);
    for (int i = 0; i < id.length(); i++) {
      if (!Character.isDigit(id.charAt(i))) {
        return false;
      }
    }
    return !id.isEmpty() && (!key.startsWith(TEST) || value.indexOf('\t') >= 0);
  }
}
