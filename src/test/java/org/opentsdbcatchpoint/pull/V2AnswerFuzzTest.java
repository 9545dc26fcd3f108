package org.opentsdbcatchpoint.pull;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.List;

/**
 * Any answer of Catchpoint's REST v2, read as the pulls read it: {@code /tests/explorer/raw} (taking a
 * partial answer, and skipping it to split the window), a {@code /nodes/all} page, and a 429's body (its
 * {@code usageLimits}). The first line picks which ({@link #MODES}); the answer gives the runs (mapped to
 * points), nodes, or the pull's {@link PullException}; never another exception or a hang. Seeds: the
 * shared {@code rest-v2-*} fixtures, in {@code V2AnswerFuzzTestInputs/answer/}.
 */
class V2AnswerFuzzTest {
  static final List<String> MODES = Arrays.asList("raw", "raw-split", "nodes", "429");

  @FuzzTest(maxDuration = "30s")
  @DictionaryFile(resourcePath = "/org/opentsdbcatchpoint/fuzz-json.dict")
  void answer(byte[] data) throws Exception {
    String mode = RestAnswers.mode(data, MODES);
    byte[] body = RestAnswers.body(data, mode);
    switch (mode) {
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
        boolean split = "raw-split".equals(mode);
        RunSink sink = RestAnswers.mapping();
        RowCounts counts = RestAnswers.read(200, body, in -> {
          RunAssembler runs = new RunAssembler(null, sink);
          V2RawParser.parse(in, runs, split);
          return runs.counts();
        });
        if (counts != null) {
          assertTrue(counts.runs() <= counts.rows() && counts.invalidRows() <= counts.rows(), "row counts");
        }
      }
    }
  }
}
