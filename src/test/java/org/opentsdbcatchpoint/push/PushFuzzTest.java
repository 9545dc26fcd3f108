package org.opentsdbcatchpoint.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.opentsdbcatchpoint.FuzzService;
import org.opentsdbcatchpoint.web.Response;

/**
 * {@code POST /plugin/catchpoint/push} with any body, through the whole plugin: the default JSON
 * format (streamed and as a tree), templates, gzip, as JSON ({@link #json}) and as XML ({@link #xml}, its
 * own class: Jazzer fuzzes one method per JVM). Any body is answered 200 with what was written, or a 4xx
 * with the JSON error saying what and where; never a 500, a hang or an escaping exception. Seeds: the
 * shared push fixtures, templates and gzip, in {@code PushFuzzTestInputs/json/}.
 */
class PushFuzzTest {
  static FuzzService service;

  @BeforeAll
  static void start() {
    service = new FuzzService();
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  @FuzzTest(maxDuration = "30s")
  @DictionaryFile(resourcePath = "/org/opentsdbcatchpoint/fuzz-json.dict")
  void json(byte[] body) {
    check(service, "application/json", body);
  }

  static void check(FuzzService service, String contentType, byte[] body) {
    Response r = FuzzService.post(service, "push", contentType, body);
    JsonNode ok = FuzzService.checkAnswer(r, body);
    if (ok != null) {
      assertEquals(200, r.status(), r.bodyText());
      assertTrue(ok.path("written").canConvertToLong() && ok.path("written").asLong() >= 0, r.bodyText());
      assertTrue(ok.path("skipped").canConvertToLong() && ok.path("skipped").asLong() >= 0, r.bodyText());
      assertTrue(ok.path("run").path("test_id").asLong() > 0, r.bodyText());
      assertTrue(ok.path("run").path("format").isTextual(), r.bodyText());
    } else {
      assertTrue(r.status() == 400 || r.status() == 413 || r.status() == 415 || r.status() == 422,
          () -> "a bad push is 400, 413 or 415: " + r.status() + " " + r.bodyText());
    }
  }
}
