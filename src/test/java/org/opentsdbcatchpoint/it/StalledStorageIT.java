package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * HBase frozen (SIGSTOP) under the TSD: connections stay open and nothing answers, so a write thread
 * that assigns a new UID blocks inside addPoint. Every push is still answered 503 by its deadline
 * (push.ack_timeout_ms from its arrival), pushes of existing and of new series alike, several at
 * once; once HBase runs again, the same pushes get 200.
 */
@Order(99)
class StalledStorageIT {

  @Test
  void everyPushIsAnsweredByItsDeadlineWhileHBaseIsFrozen() throws Exception {
    List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      ObjectNode run = PushBoundsIT.dnsRun();
      // Half are series the TSD has (test 100002), half are new (a new test id: a UID assignment).
      if (i % 2 == 1) {
        run.put("TestId", 700_000_000L + ThreadLocalRandom.current().nextInt(100_000_000));
      }
      bodies.add(Tsd.JSON.writeValueAsBytes(run));
    }
    assertEquals(200, Tsd.push(bodies.get(0)).status, "HBase answers before the stall");

    Tsd.stack("pause-hbase");
    long worstMs = 0;
    List<String> answers = Collections.synchronizedList(new ArrayList<>());
    try {
      List<CompletableFuture<long[]>> calls = new ArrayList<>();
      for (byte[] body : bodies) {
        calls.add(CompletableFuture.supplyAsync(() -> {
          long started = System.nanoTime();
          try {
            Tsd.Answer a = Tsd.push(body);
            answers.add(a.toString());
            return new long[] {a.status, (System.nanoTime() - started) / 1_000_000};
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }));
      }
      for (CompletableFuture<long[]> c : calls) {
        long[] r = c.get();
        assertEquals(503, r[0], answers::toString);
        worstMs = Math.max(worstMs, r[1]);
      }
    } finally {
      Tsd.stack("resume-hbase");
    }
    assertTrue(worstMs < PushBoundsIT.ACK_TIMEOUT_MS + PushBoundsIT.MARGIN_MS,
        "the slowest of 8 answers took " + worstMs + " ms: " + answers);
    System.out.println("StalledStorageIT: worst answer with HBase frozen: " + worstMs + " ms (deadline "
        + PushBoundsIT.ACK_TIMEOUT_MS + " ms)");

    // Catchpoint's retries, once HBase is back.
    for (byte[] body : bodies) {
      Pulls.await("a retried push stored", () -> Tsd.push(body).status, s -> s == 200,
          java.time.Duration.ofSeconds(120));
    }
  }
}
