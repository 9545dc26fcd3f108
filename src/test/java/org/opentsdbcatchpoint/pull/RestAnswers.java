package org.opentsdbcatchpoint.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.opentsdbcatchpoint.catalog.Node;
import org.opentsdbcatchpoint.catalog.NodeCatalog;
import org.opentsdbcatchpoint.mapping.RunMapper;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.stats.Stats;

/**
 * What the REST fuzz tests share: an answer from Catchpoint (status 200 unless the input says
 * otherwise) read by the pull side's own request path ({@link CatchpointHttp#call} with the client's body
 * reader, one attempt), whose runs are mapped to datapoints as the pulls map them. The contract for any
 * answer: the reader's result, or a {@link PullException} (the bad answer the pull counts and retries).
 * Inputs are {@code <mode>\n<body>}; a first line that is no mode is part of the body of a raw answer.
 */
final class RestAnswers {
  private RestAnswers() {}

  /** The body after the mode line, or the whole input when its first line is not one of {@code modes}. */
  static String mode(byte[] data, List<String> modes) {
    int nl = 0;
    while (nl < data.length && nl < 16 && data[nl] != '\n') {
      nl++;
    }
    String first = new String(data, 0, nl, StandardCharsets.ISO_8859_1);
    return nl < data.length && modes.contains(first) ? first : "";
  }

  static byte[] body(byte[] data, String mode) {
    return mode.isEmpty() ? data : Arrays.copyOfRange(data, mode.length() + 1, data.length);
  }

  /**
   * Sends the call once; a 2xx goes to {@code reader}. Returns the result, or null when the pull side
   * refused the answer with its {@link PullException}; anything else thrown is a finding.
   */
  static <T> T read(int status, byte[] body, CatchpointHttp.BodyReader<T> reader) throws InterruptedException {
    FakeClock clock = FakeClock.atSeconds(1_705_320_000L);
    HttpTransport transport = call -> ScriptedTransport.answer(status, new ByteArrayInputStream(body));
    CatchpointHttp http = new CatchpointHttp("fuzz", transport, clock, new Backoff(1, 0, 0, () -> 0.0), 0,
        new Stats());
    try {
      return http.call(new HttpCall("GET", "https://catchpoint.invalid/api", Collections.<String, String>emptyMap(),
          null, 1000), reader);
    } catch (PullException refused) {
      assertTrue(refused.kind() != null && refused.getMessage() != null, "a PullException says what");
      return null;
    } catch (java.io.IOException e) {
      throw new AssertionError("an IOException other than PullException escaped the pull's request path", e);
    }
  }

  /** Maps every run as the pulls do (through RunMapper), and checks every point is one the TSD can take. */
  static RunSink mapping() {
    RunMapper mapper = new RunMapper(() -> NodeCatalog.EMPTY, Vocabulary.ENRICHMENT_TAGS, MAX_TAGS);
    return run -> {
      for (DataPoint p : mapper.map(run)) {
        assertTrue(p.metric().startsWith(Vocabulary.PREFIX), () -> "a point outside the naming: " + p);
        assertTrue(Double.isFinite(p.value()), () -> "a point that is no number: " + p);
        assertTrue(!p.tags().isEmpty() && p.tags().size() <= MAX_TAGS, () -> "tags of " + p);
        p.tags().forEach((k, v) -> assertTrue(!k.isEmpty() && v != null && !v.isEmpty(), () -> "a tag of " + p));
      }
    };
  }

  /** Node lists as both clients read them: only the catalog's attributes, none of them blank. */
  static void checkNodes(List<Node> nodes) {
    for (Node n : nodes) {
      n.attributes().forEach((k, v) -> {
        assertTrue(ATTRIBUTES.contains(k), () -> "an attribute the catalog does not have: " + k + " of " + n);
        assertTrue(v == null || !v.trim().isEmpty(), () -> "a blank attribute " + k + " of " + n);
      });
    }
  }

  private static final int MAX_TAGS = 8;
  private static final List<String> ATTRIBUTES = Arrays.asList("asn", "city", "country", "isp", "region",
      "continent", "network_type", "node");
}
