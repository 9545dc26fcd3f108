package org.opentsdbcatchpoint.sink;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.pipeline.DataPoint;

/** The Prometheus example and mapping table of docs/forwarders.md are what the forwarder sends. */
class PrometheusReadmeExampleTest {
  @Test
  void theExampleSeriesAndTheTableAreTheRealOutput() throws Exception {
    String doc = new String(Files.readAllBytes(Paths.get("docs/forwarders.md")), StandardCharsets.UTF_8);
    List<DataPoint> points = FixturePoints.all().get("push-web-default.json");
    byte[] proto = new PrometheusRemoteWrite().encode(Points.batch(points)).bytes();
    String dns = null;
    for (RemoteWriteDecoder.Series s : RemoteWriteDecoder.parse(proto)) {
      if (!s.labels.get("__name__").equals("catchpoint_timing_dns")) {
        continue;
      }
      StringBuilder b = new StringBuilder(s.labels.get("__name__")).append('{');
      for (Map.Entry<String, String> l : s.labels.entrySet()) {
        if (!l.getKey().equals("__name__")) {
          b.append(b.charAt(b.length() - 1) == '{' ? "" : ",").append(l.getKey()).append("=\"").append(l.getValue())
              .append('"');
        }
      }
      dns = b.append("} ").append(Numbers.plain(s.values.get(0))).append(' ').append(s.times.get(0)).toString();
    }
    assertTrue(doc.contains("\n" + dns + "\n"), dns);
    for (String metric : new String[] {"catchpoint.timing.dns", "catchpoint.bytes.response_content",
        "catchpoint.host.timing.dns", "catchpoint.run"}) {
      String row = "| `" + metric + "` | `" + PrometheusRemoteWrite.metricName(metric) + "` |";
      assertTrue(doc.contains(row), row);
    }
  }
}
