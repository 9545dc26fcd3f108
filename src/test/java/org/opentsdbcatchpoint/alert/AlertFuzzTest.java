package org.opentsdbcatchpoint.alert;

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
 * {@code POST /plugin/catchpoint/alert} with any body, through the whole plugin (the lenient alert
 * decoder over the push's body readers, then {@code AlertBook} on a store that acknowledges every
 * note): 200 with the notes written, or a 4xx with the JSON error; never a 500, a hang or an escaping
 * exception. The first byte chooses the content type (JSON, XML, none), the rest is the body. Seeds: the
 * recommended template, the alert bodies of the unit tests, in {@code AlertFuzzTestInputs/alert/}.
 */
class AlertFuzzTest {
  private static final String[] TYPES = {"application/json", "application/xml", null, "text/plain"};
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
  void alert(byte[] data) {
    String type = data.length == 0 ? null : TYPES[(data[0] & 0xff) % TYPES.length];
    byte[] body = data.length == 0 ? data : java.util.Arrays.copyOfRange(data, 1, data.length);
    Response r = FuzzService.post(service, "alert", type, body);
    JsonNode ok = FuzzService.checkAnswer(r, body);
    if (ok != null) {
      assertEquals(200, r.status(), r.bodyText());
      assertTrue(ok.path("action").isTextual(), r.bodyText());
      assertTrue(ok.path("alert").path("test_id").asLong() > 0, r.bodyText());
      assertTrue(ok.path("notes").isArray(), r.bodyText());
    } else {
      assertTrue(r.status() == 400 || r.status() == 413 || r.status() == 415,
          () -> "a bad alert is 400, 413 or 415: " + r.status() + " " + r.bodyText());
    }
  }
}
