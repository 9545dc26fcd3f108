package org.opentsdbcatchpoint.alert;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Notes kept as OpenTSDB keeps them: one a series and start second, a write replacing the note of the
 * same key. Series ids for the tags given to {@link #series(String, Map)} beforehand; a failure or a
 * hang on demand.
 */
final class MemoryAnnotations implements Annotations {
  /** {@code tsuid@start} (global: {@code @start}) to the note. */
  final Map<String, Note> notes = new TreeMap<>();
  final Map<String, String> tsuids = new LinkedHashMap<>();
  int writes;
  /** When set, every write fails with it. */
  RuntimeException failure;
  /** When true, writes are never acknowledged. */
  boolean hang;

  /** The TSUID of {@code catchpoint.run} with these tags. */
  MemoryAnnotations known(String tsuid, String... tags) {
    tsuids.put(key(tags), tsuid);
    return this;
  }

  private static String key(String... kv) {
    Map<String, String> m = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m.toString();
  }

  @Override
  public synchronized CompletableFuture<String> series(String metric, Map<String, String> tags) {
    return CompletableFuture.completedFuture(tsuids.get(new TreeMap<>(tags).toString()));
  }

  @Override
  public synchronized CompletableFuture<Void> write(Note note) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    if (hang) {
      return f;
    }
    if (failure != null) {
      f.completeExceptionally(failure);
      return f;
    }
    writes++;
    notes.put(note.tsuid + "@" + note.startSeconds, note);
    f.complete(null);
    return f;
  }

  @Override
  public synchronized CompletableFuture<List<Note>> global(long start, long end) {
    List<Note> out = new ArrayList<>();
    for (Note n : notes.values()) {
      if (n.isGlobal() && n.startSeconds >= start && n.startSeconds <= end) {
        out.add(n);
      }
    }
    return CompletableFuture.completedFuture(out);
  }

  synchronized Note at(String tsuid, long start) {
    return notes.get(tsuid + "@" + start);
  }
}
