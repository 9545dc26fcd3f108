package org.opentsdbcatchpoint.mapping;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers names already computed, up to a fixed number: the keys are field names from untrusted
 * payloads, so the cache stops taking new ones when full (those are then computed every time, which
 * is slower but gives the same name). Thread-safe.
 */
final class NameCache {
  private final int capacity;
  private final ConcurrentHashMap<String, String> names;

  NameCache(int capacity) {
    this.capacity = capacity;
    this.names = new ConcurrentHashMap<>();
  }

  /** The remembered name, or null. */
  String get(String key) {
    return names.get(key);
  }

  /** Remembers a name unless the cache is full. The size check races, so it may end a few above capacity. */
  void offer(String key, String name) {
    if (names.size() < capacity) {
      names.putIfAbsent(key, name);
    }
  }

  int size() {
    return names.size();
  }
}
