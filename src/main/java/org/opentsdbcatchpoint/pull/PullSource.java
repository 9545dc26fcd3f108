package org.opentsdbcatchpoint.pull;

import java.io.IOException;
import java.util.List;
import org.opentsdbcatchpoint.catalog.Node;
import org.opentsdbcatchpoint.catalog.NodeSource;

/** What a {@link PullJob} needs from one account's API, whatever its version. */
public interface PullSource extends NodeSource {
  /** True when any time window can be asked for; false for v1 LastRaw (the last 15 minutes only). */
  boolean windowed();

  /** For a source that is not windowed: how far back an answer reaches, in seconds. */
  long reachSeconds();

  /**
   * The runs of some tests of one type. A windowed source asks for [start, end); LastRaw ignores the
   * window (the job filters by cursor).
   */
  RowCounts fetch(List<Long> tests, Integer typeId, long startSeconds, long endSeconds, RunSink sink)
      throws IOException, InterruptedException;

  /** The source for an account's API version. */
  static PullSource of(PullAccountSettings account, CatchpointHttp http) {
    if (account.isV2()) {
      V2Client v2 = new V2Client(account, http);
      return new PullSource() {
        @Override
        public String name() {
          return account.name;
        }

        @Override
        public boolean windowed() {
          return true;
        }

        @Override
        public long reachSeconds() {
          return Long.MAX_VALUE;
        }

        @Override
        public RowCounts fetch(List<Long> tests, Integer typeId, long start, long end, RunSink sink)
            throws IOException, InterruptedException {
          return v2.raw(tests, typeId, start, end, sink);
        }

        @Override
        public List<Node> nodes() throws IOException, InterruptedException {
          return v2.nodes();
        }
      };
    }
    V1Client v1 = new V1Client(account, http);
    return new PullSource() {
      @Override
      public String name() {
        return account.name;
      }

      @Override
      public boolean windowed() {
        return account.windowed;
      }

      @Override
      public long reachSeconds() {
        return account.windowed ? Long.MAX_VALUE : V1Client.LAST_RAW_SECONDS;
      }

      @Override
      public RowCounts fetch(List<Long> tests, Integer typeId, long start, long end, RunSink sink)
          throws IOException, InterruptedException {
        if (!account.windowed) {
          return v1.lastRaw(tests, typeId, sink);
        }
        // The windowed form takes one test per call.
        RowCounts total = new RowCounts();
        for (Long test : tests) {
          total.add(v1.rawWindow(test, typeId, start, end, sink));
        }
        return total;
      }

      @Override
      public List<Node> nodes() throws IOException, InterruptedException {
        return v1.nodes();
      }
    };
  }
}
