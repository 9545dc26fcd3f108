package org.opentsdbcatchpoint.alert;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The TSD's annotations ({@code net.opentsdb.meta.Annotation} in the {@code tsd} package), the one seam
 * alerts have to OpenTSDB. Never blocks: every answer comes on the future.
 */
public interface Annotations {
  /**
   * The TSUID of a metric with exactly these tags, when the TSD has every one of the names; null when
   * it lacks one (no series of that test or node was ever written). Never assigns a name.
   */
  CompletableFuture<String> series(String metric, Map<String, String> tags);

  /**
   * Writes the note, replacing any note of the same series and start second (the caller holds that
   * second: {@link AlertBook}); completes once storage acknowledged it, exceptionally when it failed.
   */
  CompletableFuture<Void> write(Note note);

  /** The global notes whose start is within [start, end] seconds. */
  CompletableFuture<List<Note>> global(long startSeconds, long endSeconds);

  /** No annotations at all: every write fails (a platform without a TSD). */
  Annotations NONE = new Annotations() {
    @Override
    public CompletableFuture<String> series(String metric, Map<String, String> tags) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> write(Note note) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      f.completeExceptionally(new IllegalStateException("this platform has no annotation store"));
      return f;
    }

    @Override
    public CompletableFuture<List<Note>> global(long startSeconds, long endSeconds) {
      return CompletableFuture.completedFuture(java.util.Collections.<Note>emptyList());
    }
  };
}
