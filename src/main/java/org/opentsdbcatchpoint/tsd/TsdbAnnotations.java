package org.opentsdbcatchpoint.tsd;

import com.stumbleupon.async.Callback;
import com.stumbleupon.async.Deferred;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import net.opentsdb.core.TSDB;
import net.opentsdb.meta.Annotation;
import net.opentsdb.meta.TSUIDQuery;
import net.opentsdb.uid.NoSuchUniqueName;
import net.opentsdb.uid.UniqueId;
import org.opentsdbcatchpoint.alert.Annotations;
import org.opentsdbcatchpoint.alert.Note;

/**
 * Alerts' notes through OpenTSDB's own {@link Annotation}: what {@code /api/annotation} writes, in the
 * data table, read back by {@code /api/query} and {@code /api/annotation}. A TSUID is the metric's and
 * tags' UIDs ({@link TSUIDQuery#tsuidFromMetric}), looked up, never assigned.
 */
final class TsdbAnnotations implements Annotations {
  /** Tries when {@code syncToStorage} lost its compare-and-set (someone wrote the same note meanwhile). */
  static final int MAX_TRIES = 3;

  private final TSDB tsdb;

  TsdbAnnotations(TSDB tsdb) {
    this.tsdb = tsdb;
  }

  @Override
  public CompletableFuture<String> series(String metric, Map<String, String> tags) {
    CompletableFuture<String> out = new CompletableFuture<>();
    try {
      TSUIDQuery.tsuidFromMetric(tsdb, metric, tags).addCallbacks(new Callback<Object, byte[]>() {
        @Override
        public Object call(byte[] tsuid) {
          out.complete(UniqueId.uidToString(tsuid));
          return null;
        }

        @Override
        public String toString() {
          return "catchpoint alert series found callback";
        }
      }, new Callback<Object, Exception>() {
        @Override
        public Object call(Exception e) {
          Throwable cause = unwrap(e);
          if (cause instanceof NoSuchUniqueName) {
            out.complete(null); // no run of that series was ever written
          } else {
            out.completeExceptionally(cause);
          }
          return null;
        }

        @Override
        public String toString() {
          return "catchpoint alert series lookup errback";
        }
      });
    } catch (RuntimeException e) {
      out.completeExceptionally(e);
    }
    return out;
  }

  @Override
  public CompletableFuture<Void> write(Note note) {
    CompletableFuture<Void> out = new CompletableFuture<>();
    sync(note, 1, out);
    return out;
  }

  private void sync(Note note, int attempt, CompletableFuture<Void> out) {
    Annotation a = new Annotation();
    a.setTSUID(note.tsuid);
    a.setStartTime(note.startSeconds);
    a.setEndTime(note.endSeconds);
    a.setDescription(note.description);
    a.setNotes(note.notes);
    a.setCustom(new HashMap<>(note.custom));
    Deferred<Boolean> stored;
    try {
      stored = a.syncToStorage(tsdb, true);
    } catch (RuntimeException e) {
      out.completeExceptionally(e);
      return;
    }
    stored.addCallbacks(new Callback<Object, Boolean>() {
      @Override
      public Object call(Boolean done) {
        if (Boolean.TRUE.equals(done)) {
          out.complete(null);
        } else if (attempt < MAX_TRIES) {
          sync(note, attempt + 1, out); // lost the compare-and-set: read the stored note and write again
        } else {
          out.completeExceptionally(new IllegalStateException("the note " + note + " kept changing under "
              + MAX_TRIES + " writes"));
        }
        return null;
      }

      @Override
      public String toString() {
        return "catchpoint alert note stored callback";
      }
    }, new Fail(out, "catchpoint alert note errback"));
  }

  @Override
  public CompletableFuture<List<Note>> global(long startSeconds, long endSeconds) {
    CompletableFuture<List<Note>> out = new CompletableFuture<>();
    try {
      Annotation.getGlobalAnnotations(tsdb, startSeconds, endSeconds).addCallbacks(
          new Callback<Object, List<Annotation>>() {
            @Override
            public Object call(List<Annotation> found) {
              List<Note> notes = new ArrayList<>(found.size());
              for (Annotation a : found) {
                Map<String, String> custom = a.getCustom() == null ? new HashMap<>() : a.getCustom();
                notes.add(new Note("", a.getStartTime(), a.getEndTime(), a.getDescription(), a.getNotes(), custom));
              }
              out.complete(notes);
              return null;
            }

            @Override
            public String toString() {
              return "catchpoint global notes callback";
            }
          }, new Fail(out, "catchpoint global notes errback"));
    } catch (RuntimeException e) {
      out.completeExceptionally(e);
    }
    return out;
  }

  /** An errback that fails the caller's future with the cause. */
  private static final class Fail implements Callback<Object, Exception> {
    private final CompletableFuture<?> out;
    private final String name;

    Fail(CompletableFuture<?> out, String name) {
      this.out = out;
      this.name = name;
    }

    @Override
    public Object call(Exception e) {
      out.completeExceptionally(unwrap(e));
      return null;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while (t instanceof com.stumbleupon.async.DeferredGroupException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
