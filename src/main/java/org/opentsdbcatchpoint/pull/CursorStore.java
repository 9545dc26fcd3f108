package org.opentsdbcatchpoint.pull;

import java.io.IOException;

/**
 * Where pull cursors survive a restart: a file for a single TSD ({@link FileCursorStore}), the
 * plugin's HBase table when several TSDs share the work, memory in tests.
 */
public interface CursorStore {
  /** The cursor of one test, or null when it was never pulled. */
  PullCursor load(String account, long testId) throws IOException;

  /** Stores a cursor; called only after its window was acknowledged by storage. */
  void save(PullCursor cursor) throws IOException;
}
