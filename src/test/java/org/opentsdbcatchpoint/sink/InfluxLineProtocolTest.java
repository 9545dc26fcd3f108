package org.opentsdbcatchpoint.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.opentsdbcatchpoint.sink.Points.point;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.pipeline.DataPoint;

/** Measurements, fields, one line per run and tag set, escaping. */
class InfluxLineProtocolTest {
  private static String lines(List<DataPoint> batch) {
    return new String(new InfluxLineProtocol().encode(Points.batch(batch)).bytes(), StandardCharsets.UTF_8);
  }

  @Test
  void theMetricsLastPartIsTheFieldAndTheRestTheMeasurement() {
    assertEquals("catchpoint_timing", InfluxLineProtocol.measurement("catchpoint.timing.dns"));
    assertEquals("dns", InfluxLineProtocol.field("catchpoint.timing.dns"));
    assertEquals("catchpoint_host_timing", InfluxLineProtocol.measurement("catchpoint.host.timing.dns"));
    assertEquals("catchpoint", InfluxLineProtocol.measurement("catchpoint.run"));
    assertEquals("run", InfluxLineProtocol.field("catchpoint.run"));
    assertEquals("plain", InfluxLineProtocol.measurement("plain"));
    assertEquals("value", InfluxLineProtocol.field("plain"));
  }

  @Test
  void pointsOfOneRunAndTagSetBecomeOneLineWithSeveralFields() {
    String[] tags = {"test_id", "100001", "node_id", "540", "city", "Frankfurt"};
    List<DataPoint> batch = Arrays.asList(
        point("catchpoint.timing.dns", 1705320873L, 12, tags),
        point("catchpoint.timing.connect", 1705320873L, 20.5, tags),
        point("catchpoint.bytes.response_content", 1705320873L, 48000, tags),
        point("catchpoint.timing.dns", 1705320933L, 13, tags),
        point("catchpoint.timing.wait", 1705320873L, 7, tags),
        point("catchpoint.timing.dns", 1705320873L, 11, "test_id", "100001", "node_id", "541"),
        point("catchpoint.run", 1705320873L, 1, tags));
    assertEquals(
        "catchpoint_timing,city=Frankfurt,node_id=540,test_id=100001 dns=12,connect=20.5,wait=7 1705320873\n"
        + "catchpoint_bytes,city=Frankfurt,node_id=540,test_id=100001 response_content=48000 1705320873\n"
        + "catchpoint_timing,city=Frankfurt,node_id=540,test_id=100001 dns=13 1705320933\n"
        + "catchpoint_timing,node_id=541,test_id=100001 dns=11 1705320873\n"
        + "catchpoint,city=Frankfurt,node_id=540,test_id=100001 run=1 1705320873\n",
        lines(batch));
  }

  @Test
  void escapesWhatLineProtocolEscapesAndReplacesWhatItCannotCarry() {
    DataPoint p = point("catchpoint.we ird,m.fi=eld x", 1, 0.1, "k ey", "a,b=c d", "nl", "a\nb\\c", "empty", "");
    assertEquals("catchpoint_we\\ ird\\,m,k\\ ey=a\\,b\\=c\\ d,nl=a_b_c fi\\=eld\\ x=0.1 1\n", lines(Arrays.asList(p)));
    assertEquals("_#x,t=1 v=1 1\n", lines(Arrays.asList(point("#x.v", 1, 1, "t", "1"))),
        "a leading # would make the line a comment");
  }

  @Test
  void nonFiniteValuesAreLeftOutAndCounted() {
    Encoded e = new InfluxLineProtocol().encode(Points.batch(Arrays.asList(point("a.b", 1, Double.NaN),
        point("a.c", 1, 2), point("a.d", 1, Double.NEGATIVE_INFINITY))));
    assertEquals(2, e.invalid());
    assertEquals("a c=2 1\n", new String(e.bytes(), StandardCharsets.UTF_8));
  }
}
