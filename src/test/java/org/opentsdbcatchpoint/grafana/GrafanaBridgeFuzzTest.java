package org.opentsdbcatchpoint.grafana;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.opentsdbcatchpoint.FuzzService;
import org.opentsdbcatchpoint.web.Response;

/**
 * {@code POST /plugin/catchpoint/grafana/<route>} with any body, through the whole plugin (the bridge
 * over a query engine that answers one series and the shared node catalog). The input is
 * {@code <route>\n<body>}: the route is one of the JSON datasource's (a line that is none is sent as it
 * is, for the 404), the body is what Grafana would post. Any body is answered 200 with JSON or a 4xx with
 * the JSON error; never a 500, a hang or an escaping exception. Seeds: the request bodies of the JSON
 * datasource's specification (the ones GrafanaBridgeTest and GrafanaBridgeIT send), in
 * {@code GrafanaBridgeFuzzTestInputs/request/}.
 */
class GrafanaBridgeFuzzTest {
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
  void request(byte[] data) {
    int nl = 0;
    while (nl < data.length && data[nl] != '\n') {
      nl++;
    }
    String route = new String(data, 0, nl, StandardCharsets.UTF_8).trim();
    byte[] body = nl < data.length ? Arrays.copyOfRange(data, nl + 1, data.length) : new byte[0];
    if (route.isEmpty() || route.contains("/")) {
      route = "query";
    }
    Response r = service.post(Arrays.asList("grafana", route), "application/json", body);
    if (r.status() == 204) {
      return;
    }
    if (FuzzService.checkAnswer(r, data) != null) {
      assertEquals(200, r.status(), r.bodyText());
    } else {
      assertTrue(r.status() == 400 || r.status() == 404, () -> r.status() + " " + r.bodyText());
    }
  }
}
