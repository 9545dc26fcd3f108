package org.opentsdbcatchpoint.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.pipeline.DataPoint;

/** The forwarder examples of docs/forwarders.md are what the forwarders send for the shared web fixture. */
class ReadmeExamplesTest {
  @Test
  void theGraphiteAndInfluxExamplesAreTheRealOutput() throws Exception {
    String readme = new String(Files.readAllBytes(Paths.get("docs/forwarders.md")), StandardCharsets.UTF_8);
    List<DataPoint> points = FixturePoints.all().get("push-web-default.json");
    String plaintext = new String(Points.wire(new GraphitePlaintext(GraphiteNaming.tagged()), points),
        StandardCharsets.UTF_8);
    String dns = null;
    for (String line : plaintext.split("\n")) {
      if (line.startsWith("catchpoint.timing.dns;")) {
        dns = line;
      }
    }
    assertTrue(readme.contains("\n" + dns + "\n"), dns);
    String lines = new String(new InfluxLineProtocol().encode(Points.batch(points)).bytes(), StandardCharsets.UTF_8);
    String timing = lines.split("\n")[0];
    String example = timing.substring(0, timing.indexOf("ssl=25,") + "ssl=25,".length()) + "... 1705320873";
    assertTrue(readme.contains("\n" + example + "\n"), example);
    assertEquals("catchpoint.100001.Frankfurt.540.timing.dns",
        GraphiteNaming.template("catchpoint.{test_id}.{city}.{node_id}.{metric}").name(points.stream()
            .filter(p -> p.metric().equals("catchpoint.timing.dns")).findFirst().get()));
    assertTrue(readme.contains("gives `catchpoint.100001.Frankfurt.540.timing.dns`"));
  }

  @Test
  void theKairosExampleIsTheRealOutput() throws Exception {
    String readme = new String(Files.readAllBytes(Paths.get("docs/forwarders.md")), StandardCharsets.UTF_8);
    List<DataPoint> points = FixturePoints.all().get("push-web-default.json");
    String json = new String(new KairosJson().encode(Points.batch(points)).bytes(), StandardCharsets.UTF_8);
    String first = json.substring(0, json.indexOf("]]}") + 3) + ",";
    assertTrue(readme.contains("\n" + first + " ...]\n"), first);
  }
}
