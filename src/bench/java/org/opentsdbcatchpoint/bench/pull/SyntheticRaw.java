package org.opentsdbcatchpoint.bench.pull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.opentsdbcatchpoint.synthetic.RawAnswerJson;
import org.opentsdbcatchpoint.synthetic.SyntheticRuns;

/**
 * A Catchpoint raw answer of web tests, generated while it is read: v1 {@code /performance/raw} or v2
 * {@code /tests/explorer/raw}, the runs of the stack's fake Catchpoint ({@link SyntheticRuns}: one run per
 * test, node and minute, each node at its own second of the minute, with the eight web columns and their
 * occasional nulls) written as the fake writes them ({@link RawAnswerJson}). Rows come by minute, then node
 * (in the order given), then test.
 *
 * <p>Only one row is in memory at a time, so an answer of any size costs the reader nothing but the
 * parse. With {@code maxBytes} the answer ends (well formed) after the first row that reaches that size.
 */
public final class SyntheticRaw extends InputStream {
  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

  /** A node of the answer: its id and display name. */
  static final class Node {
    final long id;
    final String name;

    Node(long id, String name) {
      this.id = id;
      this.name = name;
    }
  }

  private final boolean v2;
  private final List<Node> nodes;
  private final long start;
  private final long end;
  private final long maxBytes;
  private final SyntheticRuns.Window runs;

  private boolean first = true;
  private int state; // 0 head, 1 rows, 2 tail written, 3 done
  private long produced;
  private long rows;
  private final StringBuilder text = new StringBuilder(64 * 1024);
  private byte[] chunk = new byte[0];
  private int pos;

  /**
   * @param start first second of the window (inclusive)
   * @param end last second of the window (exclusive)
   * @param maxBytes stop after the row that reaches this many bytes; Long.MAX_VALUE for the whole window
   */
  SyntheticRaw(boolean v2, List<Long> tests, List<Node> nodes, long start, long end, long maxBytes) {
    this.v2 = v2;
    this.nodes = nodes;
    this.start = start;
    this.end = end;
    this.maxBytes = maxBytes;
    long[] nodeIds = new long[nodes.size()];
    for (int i = 0; i < nodeIds.length; i++) {
      nodeIds[i] = nodes.get(i).id;
    }
    this.runs = new SyntheticRuns.Window(nodeIds, tests, test -> SyntheticRuns.WEB, start, end - 1);
  }

  long rows() {
    return rows;
  }

  long produced() {
    return produced;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    while (pos >= chunk.length) {
      if (state == 3) {
        return -1;
      }
      refill();
    }
    int n = Math.min(len, chunk.length - pos);
    System.arraycopy(chunk, pos, b, off, n);
    pos += n;
    return n;
  }

  private void refill() {
    text.setLength(0);
    if (state == 0) {
      head();
      state = 1;
    }
    if (state == 1) {
      while (text.length() < 60_000) {
        if (!nextRow()) {
          tail();
          state = 2;
          break;
        }
      }
    } else if (state == 2) {
      state = 3;
    }
    chunk = text.toString().getBytes(StandardCharsets.UTF_8);
    pos = 0;
    produced += chunk.length;
    if (state == 2) {
      state = 3;
    }
  }

  private void head() {
    if (v2) {
      RawAnswerJson.v2Start(text);
      RawAnswerJson.v2ResponseItem(text, start, end, false, false, SyntheticRuns.WEB_COLUMNS);
    } else {
      RawAnswerJson.v1Start(text, start, end);
      RawAnswerJson.v1Columns(text, SyntheticRuns.WEB_COLUMNS);
    }
  }

  private void tail() {
    if (v2) {
      text.append(RawAnswerJson.V2_RESPONSE_ITEM_END);
      RawAnswerJson.v2End(text, TRACE_ID);
    } else {
      text.append(RawAnswerJson.V1_END);
    }
  }

  /** Appends the next row; false when the window (or the byte budget) is exhausted. */
  private boolean nextRow() {
    if (produced + text.length() >= maxBytes || !runs.next()) {
      return false;
    }
    if (!first) {
      text.append(',');
    }
    first = false;
    String name = nodes.get(runs.nodeIndex()).name;
    if (v2) {
      RawAnswerJson.v2Item(text, runs.test(), runs.node(), name, runs.time(), 0, runs.values());
    } else {
      RawAnswerJson.v1Item(text, runs.test(), runs.node(), name, runs.time(), 0, runs.values());
    }
    rows++;
    return true;
  }
}
