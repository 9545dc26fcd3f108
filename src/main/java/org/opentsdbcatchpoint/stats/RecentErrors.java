package org.opentsdbcatchpoint.stats;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The last few refused requests, with what was wrong, for the operator page; bounded. */
public final class RecentErrors {
  private final int capacity;
  private final Deque<Map<String, Object>> errors = new ArrayDeque<>();

  public RecentErrors(int capacity) {
    this.capacity = capacity;
  }

  public synchronized void add(long epochMillis, int status, String kind, String message, String where) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("time_ms", epochMillis);
    e.put("status", status);
    e.put("kind", kind);
    e.put("message", message);
    if (where != null) {
      e.put("where", where);
    }
    errors.addFirst(Collections.unmodifiableMap(e));
    while (errors.size() > capacity) {
      errors.removeLast();
    }
  }

  /** Newest first. */
  public synchronized List<Map<String, Object>> list() {
    return new ArrayList<>(errors);
  }
}
