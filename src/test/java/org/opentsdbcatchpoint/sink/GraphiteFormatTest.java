package org.opentsdbcatchpoint.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentsdbcatchpoint.sink.Points.point;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.pipeline.DataPoint;

/** Graphite names, sanitising, and the exact bytes of both protocols. */
class GraphiteFormatTest {
  private static final DataPoint DNS = point("catchpoint.timing.dns", 1705320873L, 12.0, "test_id", "100001",
      "node_id", "540", "test_type", "web", "city", "Frankfurt", "isp", "Jinan_CN_-_Unicom");

  @Test
  void taggedNamesAreGraphite11SeriesWithTagsSortedAsCarbonStoresThem() {
    assertEquals("catchpoint.timing.dns;city=Frankfurt;isp=Jinan_CN_-_Unicom;node_id=540;test_id=100001;test_type=web",
        GraphiteNaming.tagged().name(DNS));
  }

  @Test
  void taggedNamesAreSanitisedToGraphitesRules() {
    DataPoint p = point("catchpoint.timing.dns time", 1, 1, "city", "São Paulo", "te st", "a;b=c", "bad", "~tilde",
        "empty", "!!!", "name", "x", "dots", "v.1");
    assertEquals("catchpoint.timing.dns_time;bad=tilde;city=Sao_Paulo;dots=v.1;name_=x;te_st=a_b_c",
        GraphiteNaming.tagged().name(p), "no ; ! ^ = space or leading ~ in tags; empty tags left out");
    assertNull(GraphiteNaming.tagged().name(point("...", 1, 1)), "nothing legal left");
    assertEquals("Jinan_CN_-_Unicom", GraphiteNaming.clean("Jinan, CN - Unicom", false));
    assertEquals("a_b", GraphiteNaming.clean("a _b", false));
    assertEquals("a.b.c", GraphiteNaming.path("a..b .c."));
  }

  @Test
  void templatesBuildDottedPaths() {
    GraphiteNaming t = GraphiteNaming.template("catchpoint.{test_id}.{node}.{metric}");
    DataPoint p = point("catchpoint.timing.dns", 1, 1, "test_id", "100001", "node", "Jinan, CN - Unicom.x");
    assertEquals("catchpoint.100001.Jinan_CN_-_Unicom_x.timing.dns", t.name(p), "a tag value is one node");
    assertEquals("catchpoint.100001.unknown.timing.dns", t.name(point("catchpoint.timing.dns", 1, 1,
        "test_id", "100001")), "a missing tag");
    assertEquals("cp.catchpoint.timing.dns.540", GraphiteNaming.template("cp.{name}.{node_id}").name(
        point("catchpoint.timing.dns", 1, 1, "node_id", "540")));
    assertEquals(GraphiteNaming.DEFAULT_TEMPLATE, "catchpoint.{test_id}.{node_id}.{metric}");
    assertThrows(IllegalArgumentException.class, () -> GraphiteNaming.template("catchpoint.{test_id}"));
    assertThrows(IllegalArgumentException.class, () -> GraphiteNaming.template("catch point.{metric}"));
  }

  @Test
  void plaintextIsOneLinePerPointWithPlainNumbers() {
    List<DataPoint> batch = Arrays.asList(DNS,
        point("catchpoint.ping.packet_loss_pct", 1705320873L, 0.25, "test_id", "7"),
        point("catchpoint.bytes.response_content", 1705320873L, 1.0e10, "test_id", "7"),
        point("catchpoint.timing.nan", 1705320873L, Double.NaN, "test_id", "7"),
        point("catchpoint.timing.neg", 1705320873L, -3.5e-7, "test_id", "7"));
    GraphitePlaintext plaintext = new GraphitePlaintext(GraphiteNaming.tagged());
    assertEquals("catchpoint.timing.dns;city=Frankfurt;isp=Jinan_CN_-_Unicom;node_id=540;test_id=100001;test_type=web"
        + " 12 1705320873\n"
        + "catchpoint.ping.packet_loss_pct;test_id=7 0.25 1705320873\n"
        + "catchpoint.bytes.response_content;test_id=7 10000000000 1705320873\n"
        + "catchpoint.timing.neg;test_id=7 -0.00000035 1705320873\n",
        new String(Points.wire(plaintext, batch), StandardCharsets.UTF_8));
    EncodedPoints e = plaintext.encode(Points.batch(batch));
    assertEquals(4, e.points(), "NaN cannot be sent: 1 of 5 left out");
    assertEquals("catchpoint.ping.packet_loss_pct;test_id=7 0.25 1705320873\n",
        new String(e.bytes(), e.start(1), e.end(1) - e.start(1), StandardCharsets.UTF_8), "each point in one piece");
  }

  @Test
  void pickleIsProtocol2ListOfNameTimestampValueTuplesWithABigEndianLength() {
    List<DataPoint> batch = Arrays.asList(
        point("catchpoint.timing.dns", 1705320873L, 12.5, "test_id", "100001", "city", "São Paulo"),
        point("catchpoint.run", 4102444800L, -0.25));
    byte[] bytes = Points.wire(new GraphitePickle(GraphiteNaming.tagged()), batch);
    // Checked with Python's pickle.loads and pickletools.dis: PROTO 2, EMPTY_LIST, MARK,
    // BINUNICODE name, BININT 1705320873 (LONG1 for 4102444800), BINFLOAT, TUPLE2, TUPLE2, ..., APPENDS, STOP
    // -> [('catchpoint.timing.dns;city=Sao_Paulo;test_id=100001', (1705320873, 12.5)),
    //     ('catchpoint.run', (4102444800, -0.25))]
    assertEquals("0000007680025d2858330000006361746368706f696e742e74696d696e672e646e733b636974793d53616f5f5061756c6f3b746573745f69643d3130303030314aa921a5654740290000000000008686580e0000006361746368706f696e742e72756e8a08005786f40000000047bfd00000000000008686652e", hex(bytes));
  }

  @Test
  void pickleCutsLargeBatchesIntoFramesCarbonAccepts() {
    List<DataPoint> batch = new ArrayList<>(Points.series("catchpoint.timing.dns", 1, 1201));
    batch.add(point("catchpoint.timing.inf", 1, Double.POSITIVE_INFINITY));
    GraphitePickle pickle = new GraphitePickle(GraphiteNaming.tagged());
    assertEquals(1201, pickle.encode(Points.batch(batch)).points(), "infinity left out");
    ByteBuffer b = ByteBuffer.wrap(Points.wire(pickle, batch));
    List<Integer> frames = new ArrayList<>();
    while (b.hasRemaining()) {
      int n = b.getInt();
      assertEquals((byte) 0x80, b.get(b.position()));
      assertEquals((byte) '.', b.get(b.position() + n - 1));
      b.position(b.position() + n);
      frames.add(n);
    }
    assertEquals(3, frames.size(), "500 + 500 + 201 points");
    assertTrue(frames.get(0) < GraphitePickle.MAX_FRAME_BYTES + 1000);
  }

  static String hex(byte[] bytes) {
    StringBuilder b = new StringBuilder();
    for (byte x : bytes) {
      b.append(String.format("%02x", x));
    }
    return b.toString();
  }
}
