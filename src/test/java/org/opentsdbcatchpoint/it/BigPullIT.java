package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * A 200 MB raw answer pulled by a TSD whose heap is capped at 256 MB: the answer is read as a stream
 * and written at the pace storage acknowledges, so the pull completes and the TSD stays up. The fake
 * generates the answer as it sends it: the window's real runs, then rows that are all null except
 * every 50th, which repeats a real run (so about 100,000 points are written, to the runs' own cells).
 * The TSD is restarted with TSD_HEAP=256m for this test and with the default heap after it.
 */
@Order(14)
class BigPullIT {
  private static final long BYTES = 200_000_000L;

  @Test
  void a200MbAnswerIsPulledByATsdWithA256MbHeap() throws Exception {
    Tsd.stack("restart-tsd", Map.of("TSD_HEAP", "256m"));
    try {
      long pid = tsdPid();
      String cmd = ProcessHandle.of(pid).flatMap(p -> p.info().commandLine()).orElse("");
      assertTrue(cmd.contains("-Xmx256m"), "the TSD does not run with a 256 MB heap: " + cmd);

      // The big answer is the next pull's, once its window (from the cursor to now - lag) holds two
      // runs; again if the schedule pulled meanwhile (then the cursor moved).
      long bigAnswers = Pulls.fakeCount("big_answers");
      long before;
      while (true) {
        Pulls.pullNow(Pulls.BIG);
        long cursor = Pulls.cursor(Pulls.BIG, Pulls.BIG_WEB);
        long ready = Pulls.runs(Pulls.BIG_WEB, cursor, cursor + 60).get(1).time + Pulls.LAG_SECONDS + 1;
        Pulls.await("two runs to pull", Pulls::now, t -> t >= ready, Duration.ofSeconds(90));
        if (Pulls.cursor(Pulls.BIG, Pulls.BIG_WEB) == cursor) {
          before = cursor;
          break;
        }
      }
      Pulls.fake("POST", "/__fake/big?bytes=" + BYTES + "&test=" + Pulls.BIG_WEB + "&values_every=50");
      long started = System.nanoTime();
      // The schedule may take the big answer before the pull asked for here: then that cycle carries it.
      Pulls.pullNow(Pulls.BIG);
      Pulls.await("the fake sending the big answer", () -> Pulls.fakeCount("big_answers"), n -> n > bigAnswers,
          Duration.ofMinutes(2));
      // Only one cycle of an account runs at a time: this one began after the big one ended.
      Pulls.pullNow(Pulls.BIG);
      long tookMs = (System.nanoTime() - started) / 1_000_000;
      System.out.println("BigPullIT: the 200 MB pull took at most " + tookMs + " ms");

      assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the TSD died");
      Tsd.Answer health = Tsd.get("/plugin/catchpoint/health");
      assertEquals(200, health.status, health::toString);
      JsonNode counters = health.json.path("counters");
      String account = "{account=" + Pulls.BIG + "}";
      assertTrue(counters.path("catchpoint.pull.rows" + account).asLong() > 500_000,
          () -> "the big answer's rows were not all read: " + counters);
      assertEquals(0, counters.path("catchpoint.pull.windows_failed" + account).asLong(), counters::toString);
      assertEquals(0, counters.path("catchpoint.pull.cycle_errors" + account).asLong(), counters::toString);
      for (String log : new String[] {"tsd.out", "tsd.log"}) {
        Path file = Paths.get(System.getProperty("it.stack.dir"), log);
        if (Files.exists(file)) {
          assertFalse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).contains("OutOfMemoryError"),
              "OutOfMemoryError in " + file);
        }
      }
      // The window of the big answer holds the real runs, each once, with their values.
      long after = Pulls.cursor(Pulls.BIG, Pulls.BIG_WEB);
      Pulls.assertExactly(Pulls.BIG_WEB, "DNS (ms)", "catchpoint.timing.dns", before, after);
      Pulls.assertExactly(Pulls.BIG_WEB, "# Connections", "catchpoint.count.connections", before, after);
    } finally {
      Tsd.stack("restart-tsd");
    }
  }

  static long tsdPid() throws Exception {
    Path pidFile = Paths.get(System.getProperty("it.stack.dir"), "tsd.pid");
    return Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
  }
}
