package org.opentsdbcatchpoint.sink;

import org.opentsdbcatchpoint.pipeline.Writer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.stats.Stats;

/**
 * Targets that accept connections and never read (a carbon, an InfluxDB): the writer that feeds the
 * TSD takes as long as with no forwarder at all. Measured on the writer itself, with a store that
 * acknowledges at once, so the figure is the forwarders' own cost; generous bounds, the precise figures
 * are printed (and the benchmark measures push latency end to end).
 */
class ForwardLatencyIT {
  private static final Writer STORE = p -> CompletableFuture.completedFuture(null);
  private static final int POINTS = 300_000;

  /** Per-write nanoseconds, sorted. */
  private static long[] measure(Writer w, List<DataPoint> points) throws Exception {
    long[] took = new long[points.size()];
    for (int i = 0; i < points.size(); i++) {
      long t0 = System.nanoTime();
      w.write(points.get(i));
      took[i] = System.nanoTime() - t0;
    }
    Arrays.sort(took);
    return took;
  }

  private static double micros(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))] / 1000.0;
  }

  private static String describe(String what, long[] t) {
    long sum = 0;
    for (long x : t) {
      sum += x;
    }
    return String.format("%-34s mean %6.2f µs  p50 %6.2f  p99 %6.2f  p99.9 %7.2f  max %9.2f µs", what,
        sum / 1000.0 / t.length, micros(t, 0.5), micros(t, 0.99), micros(t, 0.999), t[t.length - 1] / 1000.0);
  }

  @Test
  void targetsThatNeverReadDoNotSlowTheWriterDown() throws Exception {
    List<DataPoint> points = new ArrayList<>(POINTS);
    for (int s = 0; s < POINTS / 1000; s++) {
      points.addAll(Points.series("catchpoint.timing.m" + s, 1_790_000_000L, 1000));
    }
    // Warm up the JIT on the same code paths.
    measure(STORE, points.subList(0, 50_000));
    long[] alone = measure(STORE, points);

    try (FakeCarbon deadCarbon = new FakeCarbon(true); FakeCarbon deadInflux = new FakeCarbon(true);
        FakeCarbon liveCarbon = new FakeCarbon(false); FakeInflux liveInflux = new FakeInflux()) {
      Stats stats = new Stats();
      Forwarder.Options options = new Forwarder.Options(10_000, 1000, 100, 10_000, Forwarder.Drop.OLDEST, 1000);
      Forwarder carbonLive = new Forwarder("carbon-live", "graphite", new GraphiteTransport(
          Collections.singletonList(liveCarbon.address()), new GraphitePlaintext(GraphiteNaming.tagged()), 1000, 5000,
          10_000), options, stats);
      Forwarder influxLive = new Forwarder("influx-live", "influx", InfluxTransport.v1(liveInflux.url(), "db", null,
          null, null, 1000), options, stats);
      List<Forwarder> live = Arrays.asList(carbonLive, influxLive);
      live.forEach(Forwarder::start);
      measure(new ForwardingWriter(STORE, live), points.subList(0, 50_000));
      long[] healthy = measure(new ForwardingWriter(STORE, live), points);
      for (Forwarder f : live) {
        f.shutdown(1000);
      }

      Forwarder carbonDead = new Forwarder("carbon-dead", "graphite", new GraphiteTransport(
          Collections.singletonList(deadCarbon.address()), new GraphitePlaintext(GraphiteNaming.tagged()), 1000, 5000,
          10_000), options, stats);
      Forwarder influxDead = new Forwarder("influx-dead", "influx", InfluxTransport.v1(
          "http://127.0.0.1:" + deadInflux.port(), "db", null, null, null, 1000), options, stats);
      List<Forwarder> dead = Arrays.asList(carbonDead, influxDead);
      dead.forEach(Forwarder::start);
      Writer w = new ForwardingWriter(STORE, dead);
      // First make sure both are stuck: carbon's socket buffers full and a write timed out, InfluxDB's
      // answer timed out. Then measure.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (stats.get("catchpoint.forward.errors.timeout", "target", "carbon-dead") == 0
          || stats.get("catchpoint.forward.errors.timeout", "target", "influx-dead") == 0) {
        assertTrue(System.nanoTime() < deadline, "the targets never timed out: " + carbonDead.status() + " "
            + influxDead.status());
        measure(w, points.subList(0, 20_000));
        Thread.sleep(50);
      }
      long[] stuck = measure(w, points);

      System.out.println(describe("store alone", alone));
      System.out.println(describe("+ carbon and influx, healthy", healthy));
      System.out.println(describe("+ carbon and influx never reading", stuck));
      for (Forwarder f : dead) {
        f.shutdown(500);
        System.out.println(f.name() + ": " + f.status());
      }
      assertTrue(deadCarbon.accepted() >= 1 && deadInflux.accepted() >= 1, "both targets were connected to");
      for (String target : new String[] {"carbon-dead", "influx-dead"}) {
        long queued = stats.get("catchpoint.forward.queued", "target", target)
            + stats.get("catchpoint.forward.replayed", "target", target);
        long accounted = stats.get("catchpoint.forward.sent", "target", target);
        for (String reason : Forwarder.DROP_REASONS) {
          accounted += stats.get("catchpoint.forward.dropped." + reason, "target", target);
        }
        assertEquals(queued, accounted, target + ": queued + replayed = sent + dropped");
      }
      // Generous bounds: the forwarders cost well under a millisecond per write even at the 99.9th
      // percentile, whether their targets read or not.
      assertTrue(micros(stuck, 0.99) < 1000, describe("never reading", stuck));
      assertTrue(micros(stuck, 0.999) < micros(alone, 0.999) + 5000, describe("never reading", stuck));
    }
  }
}
