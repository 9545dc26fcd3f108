package org.opentsdbcatchpoint.bench.pull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * A Catchpoint raw answer of web tests, generated while it is read: v1 {@code /performance/raw} or v2
 * {@code /tests/explorer/raw}, in the shapes of the shared fixtures ({@code rest-v1-raw-web.json},
 * {@code rest-v2-raw.json}) and of {@code integration-tests/stack/FakeCatchpoint}: one run per test,
 * node and minute (each node at its own second of the minute), the eight web columns of FakeCatchpoint
 * ({@code "DNS (ms)"} ... {@code "Document Complete (ms)"}) with its values and its occasional nulls
 * (no SSL on one run in seven, no Document Complete on one in five). Rows come by minute, then node,
 * then test.
 *
 * <p>Only one row is in memory at a time, so an answer of any size costs the reader nothing but the
 * parse. With {@code maxBytes} the answer ends (well formed) after the first row that reaches that size.
 */
public final class SyntheticRaw extends InputStream {
  public static final String[] WEB_COLUMNS = {"DNS (ms)", "Connect (ms)", "SSL (ms)", "Wait (ms)", "Response (ms)",
      "# Connections", "% Downtime", "Document Complete (ms)"};
  private static final DateTimeFormatter SECONDS_Z =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MILLIS_Z =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter V2_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'.0000000Z'").withZone(ZoneOffset.UTC);

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
  private final List<Long> tests;
  private final List<Node> nodes;
  private final long start;
  private final long end;
  private final long maxBytes;

  private long minute;
  private int nodeIndex;
  private int testIndex;
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
    this.tests = tests;
    this.nodes = nodes;
    this.start = start;
    this.end = end;
    this.maxBytes = maxBytes;
    this.minute = Math.floorDiv(start, 60);
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
          text.append(v2 ? tailV2() : "]}}");
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
    if (!v2) {
      text.append("{\"start\":\"").append(MILLIS_Z.format(Instant.ofEpochSecond(start))).append("\",\"end\":\"")
          .append(MILLIS_Z.format(Instant.ofEpochSecond(end)))
          .append("\",\"timezone\":{\"id\":0,\"name\":\"UTC\"},\"detail\":{\"fields\":{\"synthetic_metrics\":[");
      for (int i = 0; i < WEB_COLUMNS.length; i++) {
        text.append(i > 0 ? "," : "").append("{\"name\":\"").append(WEB_COLUMNS[i]).append("\"}");
      }
      text.append("]},\"items\":[");
      return;
    }
    text.append("{\"data\":{\"responseItems\":[{\"startTimeUtc\":\"").append(SECONDS_Z.format(Instant.ofEpochSecond(start)))
        .append("\",\"endTimeUtc\":\"").append(SECONDS_Z.format(Instant.ofEpochSecond(end)))
        .append("\",\"timeZoneOffSet\":\"00:00:00\",\"hasMoreRecords\":false,\"dimensions\":[{\"id\":16,\"name\":\"Test\"},"
            + "{\"id\":1,\"name\":\"Node\"}],\"metrics\":[");
    for (int i = 0; i < WEB_COLUMNS.length; i++) {
      text.append(i > 0 ? "," : "").append("{\"index\":").append(i).append(",\"name\":\"").append(WEB_COLUMNS[i])
          .append("\"}");
    }
    text.append("],\"items\":[");
  }

  private static String tailV2() {
    return "]}],\"hasMore\":false},\"messages\":[],\"errors\":[],\"completed\":true,"
        + "\"traceId\":\"0af7651916cd43dd8448eb211c80319c\"}";
  }

  /** Appends the next row; false when the window (or the byte budget) is exhausted. */
  private boolean nextRow() {
    if (produced + text.length() >= maxBytes) {
      return false;
    }
    while (true) {
      if (minute * 60 >= end) {
        return false;
      }
      Node node = nodes.get(nodeIndex);
      long t = minute * 60 + Math.floorMod(node.id, 60);
      long test = tests.get(testIndex);
      if (++testIndex == tests.size()) {
        testIndex = 0;
        if (++nodeIndex == nodes.size()) {
          nodeIndex = 0;
          minute++;
        }
      }
      if (t < start || t >= end) {
        continue;
      }
      if (!first) {
        text.append(',');
      }
      first = false;
      Double[] values = values(test, node.id, Math.floorDiv(t, 60));
      if (v2) {
        v2Item(test, node, t, values);
      } else {
        v1Item(test, node, t, values);
      }
      rows++;
      return true;
    }
  }

  private void v1Item(long test, Node node, long t, Double[] values) {
    text.append("{\"breakdown_1\":{\"id\":").append(test).append(",\"name\":\"Test ").append(test)
        .append("\"},\"breakdown_2\":{\"id\":").append(node.id).append(",\"name\":\"").append(node.name)
        .append("\"},\"dimension\":{\"id\":0,\"name\":\"").append(SECONDS_Z.format(Instant.ofEpochSecond(t)))
        .append("\"},\"host_Ip\":\"203.0.113.10\",\"synthetic_metrics\":");
    numbers(values);
    text.append('}');
  }

  private void v2Item(long test, Node node, long t, Double[] values) {
    long reportDate = Math.floorDiv(t, 900) * 900;
    text.append("{\"dateTime\":\"").append(V2_TIME.format(Instant.ofEpochSecond(t))).append("\",\"reportDate\":\"")
        .append(SECONDS_Z.format(Instant.ofEpochSecond(reportDate))).append("\",\"values\":");
    numbers(values);
    text.append(",\"dimensions\":[{\"type\":{\"id\":16,\"name\":\"Test\"},\"id\":").append(test)
        .append(",\"name\":\"Test ").append(test).append("\"},{\"type\":{\"id\":1,\"name\":\"Node\"},\"id\":")
        .append(node.id).append(",\"name\":\"").append(node.name).append("\"}]}");
  }

  private void numbers(Double[] values) {
    text.append('[');
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        text.append(',');
      }
      Double v = values[i];
      if (v == null) {
        text.append("null");
      } else {
        text.append(v.longValue());
      }
    }
    text.append(']');
  }

  /** FakeCatchpoint's web values: they depend on (test, node, minute) only. */
  public static Double[] values(long test, long node, long minute) {
    long h = mix(test, node, minute);
    boolean noSsl = Math.floorMod(minute + node, 7) == 0;
    boolean noDocComplete = bits(h, 52, 5) == 0;
    return new Double[] {
      (double) (5 + bits(h, 0, 60)),
      (double) (3 + bits(h, 8, 80)),
      noSsl ? null : (double) (10 + bits(h, 16, 90)),
      (double) (100 + bits(h, 24, 400)),
      (double) (800 + bits(h, 32, 3000)),
      (double) (5 + bits(h, 40, 20)),
      bits(h, 46, 20) == 0 ? 100.0 : 0.0,
      noDocComplete ? null : (double) (1000 + bits(h, 56, 2500)),
    };
  }

  private static long mix(long test, long node, long minute) {
    long z = test * 0x9E3779B97F4A7C15L + node * 0xC2B2AE3D27D4EB4FL + minute * 0x165667B19E3779F9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static long bits(long h, int shift, int modulo) {
    return Math.floorMod(h >>> shift, modulo);
  }
}
