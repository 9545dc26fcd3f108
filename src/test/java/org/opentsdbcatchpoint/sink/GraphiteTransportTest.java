package org.opentsdbcatchpoint.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentsdbcatchpoint.sink.FakeCarbon.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.stats.Stats;

/** TCP to carbon: delivery, the half-closed socket check and its replay, reconnects, several hosts, timeouts. */
class GraphiteTransportTest {
  private final long[] now = {0};
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private GraphiteTransport transport(GraphiteFormat format, int timeoutMillis, InetSocketAddress... hosts) {
    return new GraphiteTransport(Arrays.asList(hosts), format, timeoutMillis, 5000, 100_000, () -> now[0]);
  }

  private static int send(GraphiteTransport t, List<DataPoint> points) throws IOException {
    return t.send(Points.batch(points));
  }

  /** The plaintext lines a dead connection handed back. */
  private static List<String> replayed(ConnectionLostException lost) {
    List<String> out = new ArrayList<>();
    for (EncodedPoints e : lost.resend()) {
      for (int k = 0; k < e.points(); k++) {
        String line = new String(e.bytes(), e.start(k), e.end(k) - e.start(k), StandardCharsets.UTF_8);
        out.add(line.substring(0, line.length() - 1));
      }
    }
    return out;
  }

  private static GraphitePlaintext plaintext() {
    return new GraphitePlaintext(GraphiteNaming.tagged());
  }

  private static List<String> expectedLines(List<DataPoint> points) {
    List<String> out = new ArrayList<>();
    for (DataPoint p : points) {
      out.add(GraphiteNaming.tagged().name(p) + " " + Numbers.plain(p.value()) + " " + p.timestampSeconds());
    }
    return out;
  }

  @Test
  void deliversPlaintextLines() throws Exception {
    try (FakeCarbon carbon = new FakeCarbon(false)) {
      GraphiteTransport t = transport(plaintext(), 2000, carbon.address());
      assertFalse(t.connected(), "nothing is contacted before the first batch");
      List<DataPoint> batch = Points.series("catchpoint.timing.dns", 1705320873L, 3);
      assertEquals(0, send(t, batch));
      assertTrue(t.connected());
      await(() -> carbon.lines.size() == 3, 5000, "3 lines");
      assertEquals(Arrays.asList(
          "catchpoint.timing.dns;node_id=2;test_id=1 0 1705320873",
          "catchpoint.timing.dns;node_id=2;test_id=1 1 1705320874",
          "catchpoint.timing.dns;node_id=2;test_id=1 2 1705320875"), carbon.lines);
      assertEquals("carbon 127.0.0.1:" + carbon.port() + " (plaintext)", t.describe());
      t.close();
    }
  }

  @Test
  void deliversPickleFramesByteForByte() throws Exception {
    try (FakeCarbon carbon = new FakeCarbon(false)) {
      GraphitePickle pickle = new GraphitePickle(GraphiteNaming.tagged());
      GraphiteTransport t = transport(pickle, 2000, carbon.address());
      List<DataPoint> batch = Points.series("catchpoint.timing.dns", 1705320873L, 700);
      send(t, batch);
      byte[] expected = Points.wire(pickle, batch);
      await(() -> carbon.bytes().length == expected.length, 5000, "all bytes");
      assertArrayEquals(expected, carbon.bytes());
      t.close();
    }
  }

  @Test
  void aConnectionCarbonClosedIsNoticedBeforeWritingAndItsRecentPointsComeBack() throws Exception {
    try (FakeCarbon carbon = new FakeCarbon(false)) {
      GraphiteTransport t = transport(plaintext(), 2000, carbon.address());
      List<DataPoint> a = Points.series("m.a", 1, 5);
      List<DataPoint> b = Points.series("m.b", 1, 5);
      send(t, a);
      await(() -> carbon.lines.size() == 5, 5000, "a");
      carbon.dropConnections();
      await(() -> !t.open(0), 5000, "carbon's close to reach the transport");
      ConnectionLostException lost = assertThrows(ConnectionLostException.class, () -> send(t, b));
      assertTrue(lost.beforeWrite(), "b was not written on the dead connection");
      assertEquals(expectedLines(a), replayed(lost));
      assertFalse(t.connected());
      // The next send opens a new connection.
      send(t, b);
      await(() -> carbon.lines.size() == 10, 5000, "b");
      assertEquals(2, carbon.accepted());
      t.close();
    }
  }

  @Test
  void idleNoticesADeadConnectionAndTheReplayWindowLimitsWhatComesBack() throws Exception {
    try (FakeCarbon carbon = new FakeCarbon(false)) {
      GraphiteTransport t = transport(plaintext(), 2000, carbon.address());
      List<DataPoint> old = Points.series("m.old", 1, 3);
      List<DataPoint> recent = Points.series("m.recent", 1, 4);
      send(t, old);
      now[0] += 3 * SECOND;
      send(t, recent);
      now[0] += 3 * SECOND; // old: 6 s ago, out of the 5 s window; recent: 3 s ago
      t.idle();
      await(() -> carbon.lines.size() == 7, 5000, "7 lines");
      carbon.dropConnections();
      await(() -> !t.open(0), 5000, "carbon's close to reach the transport");
      ConnectionLostException lost = assertThrows(ConnectionLostException.class, t::idle);
      assertEquals(expectedLines(recent), replayed(lost));
      t.idle(); // nothing open any more: nothing to notice
      t.close();
    }
  }

  @Test
  void aRefusedConnectionIsAConnectFailureAndCarbonComingBackIsUsedAgain() throws Exception {
    FakeCarbon carbon = new FakeCarbon(false);
    GraphiteTransport t = transport(plaintext(), 2000, carbon.address());
    carbon.stop();
    assertThrows(ConnectException.class, () -> send(t, Points.series("m.a", 1, 1)));
    assertFalse(t.connected());
    carbon.restart();
    send(t, Points.series("m.a", 1, 1));
    await(() -> carbon.lines.size() == 1, 5000, "a line");
    t.close();
    carbon.close();
  }

  @Test
  void batchesGoToTheHostsInTurnPassingOverOneThatIsDown() throws Exception {
    try (FakeCarbon one = new FakeCarbon(false); FakeCarbon two = new FakeCarbon(false)) {
      GraphiteTransport t = transport(plaintext(), 2000, one.address(), two.address());
      for (int i = 0; i < 4; i++) {
        send(t, Points.series("m.b" + i, 1, 1));
      }
      await(() -> one.lines.size() == 2 && two.lines.size() == 2, 5000, "two each");
      two.stop();
      await(() -> !t.open(1), 5000, "two's close to reach the transport");
      // two's death is noticed at its turn; while it is down, everything goes to one.
      int lost = 0;
      for (int i = 0; i < 6; i++) {
        try {
          send(t, Points.series("m.c" + i, 1, 1));
        } catch (IOException e) {
          lost++;
        }
      }
      assertEquals(1, lost, "one failure notices the dead host");
      await(() -> one.lines.size() == 7, 5000, "the rest on one");
      t.close();
    }
  }

  @Test
  void aCarbonThatNeverReadsCostsATimeoutNotAHungSender() throws Exception {
    try (FakeCarbon carbon = new FakeCarbon(true)) {
      GraphiteTransport t = transport(plaintext(), 300, carbon.address());
      List<DataPoint> big = Points.series("catchpoint.timing.a_rather_long_metric_name_to_fill_buffers", 1, 20_000);
      IOException failure = null;
      for (int i = 0; i < 500 && failure == null; i++) {
        try {
          send(t, big);
        } catch (IOException e) {
          failure = e;
        }
      }
      assertTrue(failure != null, "the socket buffers filled up and the write timed out");
      assertEquals(Failure.TIMEOUT, Failure.classify(failure), failure.toString());
      t.close();
    }
  }

  @Test
  void pointsThatCannotBeNamedAreCountedNotSent() throws Exception {
    try (FakeCarbon carbon = new FakeCarbon(false)) {
      GraphiteTransport t = transport(plaintext(), 2000, carbon.address());
      assertEquals(2, send(t, Arrays.asList(Points.point("...", 1, 1), Points.point("a.b", 1, Double.NaN))));
      assertFalse(t.connected(), "nothing to write, nothing opened");
      t.close();
    }
  }

  /**
   * The forwarder and the transport together: carbon drops its connections in the middle of a stream;
   * every point arrives.
   */
  @Test
  void aStreamSurvivesCarbonDroppingItsConnections() throws Exception {
    try (FakeCarbon carbon = new FakeCarbon(false)) {
      Stats stats = new Stats();
      GraphiteTransport t = new GraphiteTransport(Collections.singletonList(carbon.address()), plaintext(), 2000,
          5000, 100_000);
      Forwarder f = new Forwarder("g", "graphite", t, new Forwarder.Options(10_000, 50, 20, 10_000,
          Forwarder.Drop.OLDEST, 2000), stats);
      f.start();
      List<DataPoint> points = Points.series("catchpoint.timing.dns", 1_700_000_000L, 3000);
      for (int i = 0; i < points.size(); i++) {
        f.offer(points.get(i));
        if (i == 1000 || i == 2000) {
          // Mid-stream: once carbon has most of what came before, so that some was written lately.
          int written = i - 100;
          await(() -> carbon.lines.size() >= written, 10_000, written + " lines before the drop");
          carbon.dropConnections();
        }
      }
      assertEquals(0, f.shutdown(5000).points);
      Set<String> expected = new HashSet<>(expectedLines(points));
      // The last bytes may still be on their way to the fake's reader.
      await(() -> new HashSet<>(carbon.linesSnapshot()).containsAll(expected), 10_000, "every point in carbon");
      assertTrue(carbon.accepted() >= 2, "reconnected");
      assertTrue(stats.get("catchpoint.forward.replayed", "target", "g") > 0, "replayed");
      long dropped = 0;
      for (String reason : Forwarder.DROP_REASONS) {
        dropped += stats.get("catchpoint.forward.dropped." + reason, "target", "g");
      }
      assertEquals(0, dropped);
      assertEquals(stats.get("catchpoint.forward.queued", "target", "g") + stats.get("catchpoint.forward.replayed",
          "target", "g"), stats.get("catchpoint.forward.sent", "target", "g"), "queued + replayed = sent + dropped");
    }
  }
}
