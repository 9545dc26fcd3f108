package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * HBase stopped and started under a steady push stream: four clients push distinct runs (one test id
 * each, one second of a day per push, its value the push's number) before, during and after the
 * outage, recording every answer. Every push answered 200 is stored, exactly; every other one was
 * answered 503 with a JSON error body within the ack deadline (push.ack_timeout_ms, 3 s on the test
 * stack) and, resent after HBase is back as Catchpoint would, gets 200 and is stored. Runs last: it
 * stops HBase.
 */
@Order(100)
class StorageOutageIT {
  static final int CLIENTS = 4;
  /** Each client's pace: a push every this many milliseconds at most. */
  static final long PACE_MS = 50;
  static final long DAY = 1705276800L; // 2024-01-15T00:00:00Z
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS")
      .withZone(ZoneOffset.UTC);

  /** One push and its answer. */
  static final class Push {
    final int client;
    final long second;
    final byte[] body;
    int status;
    long tookMs;
    String answer;

    Push(int client, long second, byte[] body) {
      this.client = client;
      this.second = second;
      this.body = body;
    }
  }

  @Test
  void aPushStreamAcrossAnHBaseStopAndStartLosesNothingThatWas200AndEveryOtherPushIs503() throws Exception {
    long base = 800_000_000L + ThreadLocalRandom.current().nextInt(100_000_000);
    ObjectNode template = (ObjectNode) Tsd.JSON.readTree(Tsd.fixtureBytes("push-dns-v3.json"));
    ConcurrentLinkedQueue<Push> answered = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    List<Future<?>> running = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int client = c;
      running.add(clients.submit(() -> {
        for (long second = 0; !stop.get(); second++) {
          long t0 = System.nanoTime();
          ObjectNode run = template.deepCopy();
          run.put("TestId", base + client);
          ((ObjectNode) run.path("Summary")).put("Timestamp", STAMP.format(Instant.ofEpochSecond(DAY + second)));
          ((ObjectNode) run.path("Summary").path("Timing")).put("Total", second);
          Push p = new Push(client, second, Tsd.JSON.writeValueAsBytes(run));
          send(p);
          answered.add(p);
          long rest = PACE_MS - (System.nanoTime() - t0) / 1_000_000;
          if (rest > 0) {
            Thread.sleep(rest); // the client's pace, not a wait for a condition
          }
        }
        return null;
      }));
    }
    Thread watchdog = watchdog(stop);
    try {
      awaitAnswers("20 pushes answered 200 before the outage", answered, p -> p.status == 200, 20);
      // SIGTERM, then SIGKILL after 10 s: a graceful stop under load can take minutes.
      Tsd.stack("stop-hbase", Map.of("STOP_TIMEOUT", "10"));
      try {
        awaitAnswers("8 pushes answered 503 with HBase stopped", answered, p -> p.status == 503, 8);
      } finally {
        Tsd.stack("start-hbase");
      }
      awaitAnswers("40 pushes answered 200 after HBase is back", answered, p -> p.status == 200, 40);
    } finally {
      stop.set(true);
      for (Future<?> f : running) {
        f.get();
      }
      clients.shutdown();
      watchdog.join();
    }

    // Every answer: a 200, or a 503 with the JSON error within the deadline; nothing slower.
    List<Push> all = new ArrayList<>(answered);
    List<Push> refused = new ArrayList<>();
    long slowest = 0;
    for (Push p : all) {
      slowest = Math.max(slowest, p.tookMs);
      assertTrue(p.tookMs < PushBoundsIT.ACK_TIMEOUT_MS + PushBoundsIT.MARGIN_MS,
          () -> "push " + p.second + " of client " + p.client + " was answered after " + p.tookMs + " ms: " + p.answer);
      if (p.status != 200) {
        assertEquals(503, p.status, p.answer);
        assertTrue(p.answer.contains("\"storage_timeout\"") || p.answer.contains("\"storage_error\""), p.answer);
        refused.add(p);
      }
    }
    assertTrue(!refused.isEmpty(), "no push was refused while HBase was stopped");

    // What was answered 200 is stored, with its value, before anything is resent.
    Map<Integer, Map<Long, Double>> stored = stored(base);
    for (Push p : all) {
      if (p.status == 200) {
        assertEquals(Double.valueOf(p.second), stored.get(p.client).get(DAY + p.second),
            () -> "push " + p.second + " of client " + p.client + " was answered 200 but is not stored");
      }
    }

    // Resent (Catchpoint retries 1, 3, 7 ... minutes later; here at once, again every second while 503).
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    int resends = 0;
    for (Push p : refused) {
      while (true) {
        send(p);
        resends++;
        if (p.status == 200) {
          break;
        }
        assertEquals(503, p.status, p.answer);
        if (System.nanoTime() > deadline) {
          fail("push " + p.second + " of client " + p.client + " still refused 3 minutes after HBase came back: "
              + p.answer);
        }
        Thread.sleep(1000);
      }
    }

    // Every push of the stream is stored now, once, with its value, and nothing else.
    stored = stored(base);
    for (int c = 0; c < CLIENTS; c++) {
      Map<Long, Double> expected = new TreeMap<>();
      for (Push p : all) {
        if (p.client == c) {
          expected.put(DAY + p.second, (double) p.second);
        }
      }
      assertEquals(expected, stored.get(c), "client " + c);
    }
    System.out.println("StorageOutageIT: " + all.size() + " pushes, " + (all.size() - refused.size()) + " answered 200, "
        + refused.size() + " answered 503 and resent (" + resends + " resends until 200); slowest answer " + slowest
        + " ms; every one stored once");
  }

  /** Pushes in flight, by their start (System.nanoTime). */
  private static final Map<Push, Long> IN_FLIGHT = new java.util.concurrent.ConcurrentHashMap<>();

  private static void send(Push p) throws Exception {
    long t0 = System.nanoTime();
    IN_FLIGHT.put(p, t0);
    try {
      Tsd.Answer a = Tsd.push(p.body);
      p.status = a.status;
      p.answer = a.toString();
    } catch (java.net.http.HttpTimeoutException e) {
      p.status = -1;
      p.answer = "no answer within the client's 30 s: " + e;
    } finally {
      IN_FLIGHT.remove(p);
      p.tookMs = (System.nanoTime() - t0) / 1_000_000;
    }
  }

  /** Once, when a push has waited 8 s (well past the deadline): the TSD's threads, for the diagnosis. */
  private static Thread watchdog(AtomicBoolean stop) {
    Thread t = new Thread(() -> {
      boolean dumped = false;
      while (!stop.get() && !dumped) {
        for (long started : IN_FLIGHT.values()) {
          if (System.nanoTime() - started > 8_000_000_000L) {
            try {
              String pid = java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("it.stack.dir"),
                  "tsd.pid")).trim();
              java.nio.file.Path out = java.nio.file.Path.of("target", "StorageOutageIT-tsd-threads.txt");
              new ProcessBuilder("jstack", pid).redirectErrorStream(true).redirectOutput(out.toFile()).start()
                  .waitFor();
              System.out.println("StorageOutageIT: a push waited 8 s; the TSD's threads are in " + out.toAbsolutePath());
            } catch (Exception e) {
              System.out.println("StorageOutageIT: could not take the TSD's threads: " + e);
            }
            dumped = true;
            break;
          }
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "storage-outage-watchdog");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** The stored points of each client's test, by time. */
  private static Map<Integer, Map<Long, Double>> stored(long base) throws Exception {
    Map<Integer, Map<Long, Double>> out = new TreeMap<>();
    for (int c = 0; c < CLIENTS; c++) {
      List<Tsd.Series> s = Tsd.query("catchpoint.timing.total", Map.of("test_id", Long.toString(base + c)), DAY,
          DAY + 86400);
      assertTrue(s.size() <= 1, s::toString);
      out.put(c, s.isEmpty() ? new TreeMap<>() : new TreeMap<>(s.get(0).dps));
    }
    return out;
  }

  interface Which {
    boolean test(Push p);
  }

  /** Waits until at least n answers received from now on match; 3 minutes at most. */
  private static void awaitAnswers(String what, ConcurrentLinkedQueue<Push> answered, Which which, int n)
      throws Exception {
    int seen = answered.size();
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (true) {
      List<Push> now = new ArrayList<>(answered); // one copy: the clients add to the queue meanwhile
      List<Push> tail = now.subList(Math.min(seen, now.size()), now.size());
      long count = tail.stream().filter(which::test).count();
      if (count >= n) {
        return;
      }
      if (System.nanoTime() > deadline) {
        fail(what + " did not happen within 3 minutes (" + count + ")");
      }
      Thread.sleep(100);
    }
  }
}
