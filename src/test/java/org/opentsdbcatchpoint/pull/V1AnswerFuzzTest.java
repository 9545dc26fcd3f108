package org.opentsdbcatchpoint.pull;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.List;

/**
 * Any answer of Catchpoint's REST v1, read as the pulls read it: {@code /performance/raw} (web, and
 * traceroute with its hop rows), the {@code /token} answer, a {@code /nodes} page, and a 429's body (its
 * usage limits). The first line picks which ({@link #MODES}); the answer gives the runs (mapped to
 * points), a token, nodes, or the pull's {@link PullException}; never another exception or a hang.
 * Seeds: the shared {@code rest-v1-*} fixtures, in {@code V1AnswerFuzzTestInputs/answer/}.
 */
class V1AnswerFuzzTest {
  static final List<String> MODES = Arrays.asList("raw", "raw-traceroute", "token", "nodes", "429");

  @FuzzTest(maxDuration = "30s")
  @DictionaryFile(resourcePath = "/org/opentsdbcatchpoint/fuzz-json.dict")
  void answer(byte[] data) throws Exception {
    String mode = RestAnswers.mode(data, MODES);
    byte[] body = RestAnswers.body(data, mode);
    switch (mode) {
      case "token": {
        TokenCache.Token t = RestAnswers.read(200, body, V1Client::readToken);
        if (t != null) {
          assertTrue(t.accessToken != null && !t.accessToken.isEmpty(), "a token");
        }
        break;
      }
      case "nodes": {
        NodePages page = RestAnswers.read(200, body, NodePages::read);
        if (page != null) {
          RestAnswers.checkNodes(page.nodes);
        }
        break;
      }
      case "429":
        assertNull(RestAnswers.<String>read(429, body, in -> "read"), "a 429 is the pull's PullException");
        break;
      default: {
        Integer type = "raw-traceroute".equals(mode) ? 12 : 0;
        RunSink sink = RestAnswers.mapping();
        RowCounts counts = RestAnswers.read(200, body, in -> {
          RunAssembler runs = new RunAssembler(type, sink);
          V1RawParser.parse(in, runs);
          return runs.counts();
        });
        if (counts != null) {
          assertTrue(counts.runs() <= counts.rows() && counts.invalidRows() <= counts.rows(), "row counts");
        }
      }
    }
  }
}
