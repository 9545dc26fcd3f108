package org.opentsdbcatchpoint.pull;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Cursors in memory: for tests, or a TSD that may start over after a restart. */
public final class InMemoryCursorStore implements CursorStore {
  private final Map<String, PullCursor> cursors = new ConcurrentHashMap<>();

  @Override
  public PullCursor load(String account, long testId) {
    return cursors.get(account + "/" + testId);
  }

  @Override
  public void save(PullCursor cursor) {
    cursors.put(cursor.account() + "/" + cursor.testId(), cursor);
  }
}
