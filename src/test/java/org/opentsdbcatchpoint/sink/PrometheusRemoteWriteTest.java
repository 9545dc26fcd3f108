package org.opentsdbcatchpoint.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentsdbcatchpoint.sink.Points.point;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.pipeline.DataPoint;

/**
 * The remote-write body, read back by an independent decoder ({@link RemoteWriteDecoder}: the reference
 * snappy and protobuf-java): names and labels by Prometheus's rules, series and samples, and the bytes
 * exactly as protobuf-java itself writes the same message.
 */
class PrometheusRemoteWriteTest {
  private final PrometheusRemoteWrite encoder = new PrometheusRemoteWrite();

  @Test
  void metricNamesTakeUnderscoresForDotsAndEveryOtherIllegalCharacter() {
    assertEquals("catchpoint_timing_dns", PrometheusRemoteWrite.metricName("catchpoint.timing.dns"));
    assertEquals("catchpoint_host_timing_dns", PrometheusRemoteWrite.metricName("catchpoint.host.timing.dns"));
    assertEquals("catchpoint_testdata_Dns", PrometheusRemoteWrite.metricName("catchpoint.testdata.Dns"));
    assertEquals("a:b_c_d_", PrometheusRemoteWrite.metricName("a:b-c d\u00e9"));
    assertEquals("_9lives", PrometheusRemoteWrite.metricName("9lives"));
    assertEquals("", PrometheusRemoteWrite.metricName(""));
  }

  @Test
  void labelNamesAreSnakeCaseWithNoReservedPrefix() {
    assertEquals("test_id", PrometheusRemoteWrite.labelName("test_id"));
    assertEquals("test_id", PrometheusRemoteWrite.labelName("TestId"));
    assertEquals("node_id", PrometheusRemoteWrite.labelName("NodeId"));
    assertEquals("step_number", PrometheusRemoteWrite.labelName("StepNumber"));
    assertEquals("http_code", PrometheusRemoteWrite.labelName("HTTPCode"));
    assertEquals("asn", PrometheusRemoteWrite.labelName("asn"));
    assertEquals("ip_v4", PrometheusRemoteWrite.labelName("ipV4"));
    assertEquals("a_b_c", PrometheusRemoteWrite.labelName("a.b-c"));
    assertEquals("_name__", PrometheusRemoteWrite.labelName("__name__"));
    assertEquals("_3rd", PrometheusRemoteWrite.labelName("3rd"));
    assertEquals("zone_", PrometheusRemoteWrite.labelName("zone\u00e9"));
  }

  private static List<RemoteWriteDecoder.Series> roundTrip(byte[] proto) throws Exception {
    assertArrayEquals(RemoteWriteDecoder.reserialized(proto), proto, "exactly the bytes protobuf-java writes");
    byte[] body = new Snappy().compress(proto);
    byte[] back = RemoteWriteDecoder.unsnappy(body);
    assertArrayEquals(proto, back, "the reference snappy reads the plugin's snappy");
    return RemoteWriteDecoder.parse(back);
  }

  @Test
  void theWebFixturesDnsIsOneSeriesWithItsRunsTimestampInMilliseconds() throws Exception {
    List<DataPoint> points = FixturePoints.all().get("push-web-default.json");
    Encoded e = encoder.encode(Points.batch(points));
    assertEquals(0, e.invalid());
    RemoteWriteDecoder.Series dns = null;
    for (RemoteWriteDecoder.Series s : roundTrip(e.bytes())) {
      if (s.labels.get("__name__").equals("catchpoint_timing_dns")) {
        dns = s;
      }
    }
    Map<String, String> want = new LinkedHashMap<>();
    want.put("__name__", "catchpoint_timing_dns");
    want.put("asn", "AS16509");
    want.put("city", "Frankfurt");
    want.put("country", "Germany");
    want.put("isp", "Amazon");
    want.put("node_id", "540");
    want.put("region", "Hesse");
    want.put("test_id", "100001");
    want.put("test_type", "web");
    assertEquals(want, dns.labels, "sorted by name, __name__ first");
    assertEquals(new ArrayList<>(want.keySet()), new ArrayList<>(dns.labels.keySet()));
    assertEquals(Collections.singletonList(1705320873000L), dns.times);
    assertEquals(Collections.singletonList(12.0), dns.values);
  }

  /** Every shared fixture: each point is exactly one sample of the series its name and tags make. */
  @Test
  void everyFixturePointIsOneSampleOfItsSeriesExactly() throws Exception {
    List<DataPoint> points = FixturePoints.flat();
    Map<String, Double> want = new TreeMap<>();
    for (DataPoint p : points) {
      Map<String, String> labels = new TreeMap<>();
      labels.put("__name__", PrometheusRemoteWrite.metricName(p.metric()));
      for (Map.Entry<String, String> t : p.tags().entrySet()) {
        if (!t.getValue().isEmpty()) {
          labels.put(PrometheusRemoteWrite.labelName(t.getKey()), t.getValue());
        }
      }
      want.put(labels + " " + p.timestampSeconds() * 1000, p.value());
    }
    Encoded e = encoder.encode(Points.batch(points));
    Map<String, Double> got = new TreeMap<>();
    int samples = 0;
    for (RemoteWriteDecoder.Series s : roundTrip(e.bytes())) {
      List<String> names = new ArrayList<>(s.labels.keySet());
      List<String> sorted = new ArrayList<>(names);
      sorted.sort(null);
      assertEquals(sorted, names, "labels sorted by name");
      for (int i = 0; i < s.times.size(); i++) {
        samples++;
        assertTrue(i == 0 || s.times.get(i - 1) <= s.times.get(i), "samples in time order");
        got.put(new TreeMap<>(s.labels) + " " + s.times.get(i), s.values.get(i));
      }
    }
    assertEquals(points.size(), samples, "one sample per point");
    assertEquals(want, got);
  }

  @Test
  void pointsOfASeriesAreGroupedAndPutInTimeOrder() throws Exception {
    List<DataPoint> points = Arrays.asList(
        point("catchpoint.timing.dns", 300, 3, "test_id", "1"),
        point("catchpoint.timing.dns", 100, 1, "test_id", "1"),
        point("catchpoint.timing.dns", 100, 9, "test_id", "2"),
        point("catchpoint.timing.dns", 200, 2, "test_id", "1"),
        point("catchpoint.timing.connect", 100, Double.NaN, "test_id", "1"),
        point("catchpoint.timing.connect", 200, Double.POSITIVE_INFINITY, "test_id", "1"));
    List<RemoteWriteDecoder.Series> series = roundTrip(encoder.encode(Points.batch(points)).bytes());
    assertEquals(3, series.size(), "in the order each series first came");
    assertEquals("1", series.get(0).labels.get("test_id"));
    assertEquals(Arrays.asList(100_000L, 200_000L, 300_000L), series.get(0).times);
    assertEquals(Arrays.asList(1.0, 2.0, 3.0), series.get(0).values);
    assertEquals(Arrays.asList(9.0), series.get(1).values);
    assertTrue(series.get(2).values.get(0).isNaN());
    assertEquals(0x7ff8000000000000L, Double.doubleToRawLongBits(series.get(2).values.get(0)),
        "Java's NaN, not Prometheus's stale marker (0x7ff0000000000002)");
    assertEquals(Double.POSITIVE_INFINITY, series.get(2).values.get(1));
  }

  @Test
  void emptyValuesAndKeysThatComeOutTheSameAreLeftOut() throws Exception {
    List<DataPoint> points = Collections.singletonList(point("catchpoint.run", 100, 1, "TestId", "7", "test_id", "8",
        "zone", "", "3rd", "x", "__name__", "evil", "b-c", "y"));
    RemoteWriteDecoder.Series s = roundTrip(encoder.encode(Points.batch(points)).bytes()).get(0);
    Map<String, String> want = new LinkedHashMap<>();
    want.put("_3rd", "x");
    want.put("__name__", "catchpoint_run");
    want.put("_name__", "evil");
    want.put("b_c", "y");
    want.put("test_id", "7");
    assertEquals(want, s.labels, "TestId sorts first and wins; the empty zone is left out; byte order");
  }

  @Test
  void aMetricWithNoNameLeftIsCountedAsInvalid() throws Exception {
    List<DataPoint> points = Arrays.asList(point("", 100, 1, "test_id", "1"), point("m", 100, 1, "test_id", "1"));
    Encoded e = encoder.encode(Points.batch(points));
    assertEquals(1, e.invalid());
    assertEquals(1, roundTrip(e.bytes()).size());
    Encoded none = encoder.encode(Points.batch(Collections.singletonList(points.get(0))));
    assertTrue(none.isEmpty());
  }

  @Test
  void snappyCompressesWhatRepeats() throws Exception {
    List<DataPoint> points = new ArrayList<>();
    for (int node = 0; node < 1000; node++) { // one run's time, 1000 nodes: the labels repeat
      points.add(point("catchpoint.timing.dns", 1705320000L, 12, "test_id", "100001", "node_id", "" + node,
          "city", "Frankfurt", "country", "Germany"));
    }
    byte[] proto = encoder.encode(Points.batch(points)).bytes();
    byte[] body = new Snappy().compress(proto);
    assertTrue(body.length < proto.length / 3, body.length + " of " + proto.length);
    assertArrayEquals(proto, RemoteWriteDecoder.unsnappy(body));
    assertArrayEquals(new byte[0], RemoteWriteDecoder.unsnappy(new Snappy().compress(new byte[0])));
  }
}
