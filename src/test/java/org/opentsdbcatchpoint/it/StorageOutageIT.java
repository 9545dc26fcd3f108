package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * HBase stopped under a running TSD: a push gets 503 (never a 200 for points that were not stored),
 * and Catchpoint's retry after HBase is back gets 200 and the data. Runs last: it stops HBase.
 */
@Order(100)
class StorageOutageIT {

  @Test
  void aPushDuringAnOutageIs503AndTheRetryStoresIt() throws Exception {
    long id = 800_000_000L + ThreadLocalRandom.current().nextInt(100_000_000);
    ObjectNode run = (ObjectNode) Tsd.JSON.readTree(Tsd.fixtureBytes("push-dns-v3.json"));
    run.put("TestId", id);
    byte[] body = Tsd.JSON.writeValueAsBytes(run);

    Tsd.stack("stop-hbase");
    Tsd.Answer during;
    try {
      long started = System.nanoTime();
      during = Tsd.push(body);
      long tookMs = (System.nanoTime() - started) / 1_000_000;
      assertEquals(503, during.status, during::toString);
      String kind = during.json.path("error").path("kind").asText();
      assertTrue(kind.equals("storage_timeout") || kind.equals("storage_error"), during::toString);
      // The deadline (push.ack_timeout_ms, 3 s on the test stack) holds with HBase gone too.
      assertTrue(tookMs < PushBoundsIT.ACK_TIMEOUT_MS + PushBoundsIT.MARGIN_MS, "503 took " + tookMs + " ms");
    } finally {
      Tsd.stack("start-hbase");
    }

    // Catchpoint retries (1, 3, 7 ... minutes later); here every 2 s for up to 3 minutes.
    Tsd.Answer retry = null;
    long deadline = System.nanoTime() + 180_000_000_000L;
    while (System.nanoTime() < deadline) {
      retry = Tsd.push(body);
      if (retry.status == 200) {
        break;
      }
      assertEquals(503, retry.status, retry::toString);
      Thread.sleep(2000);
    }
    assertEquals(200, retry.status, "no 200 within 3 minutes of HBase coming back: " + retry);
    Tsd.Series s = Tsd.only("catchpoint.timing.total", Map.of("test_id", Long.toString(id)), 1705320000L,
        1705323600L);
    assertEquals(Map.of(1705320289L, 48.0), s.dps);
  }
}
