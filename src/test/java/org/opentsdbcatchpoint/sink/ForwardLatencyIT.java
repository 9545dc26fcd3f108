package org.opentsdbcatchpoint.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pipeline.Writer;
import org.opentsdbcatchpoint.stats.Stats;

/**
 * Targets that accept connections and never read (a carbon, an InfluxDB, a KairosDB, an OpenTSDB) never
 * hold up the writer that feeds the TSD: with all of them stuck in a send that times out, every write returns and every point is
 * counted, queued or dropped. What a write costs, with live targets and with these, is measured by the
 * benchmark (ForwardBench's writer section, {@code WriterCost}), not here.
 */
class ForwardLatencyIT {
  private static final Writer STORE = p -> CompletableFuture.completedFuture(null);
  private static final int POINTS = 300_000;

  private static long count(Stats stats, String target, String name) {
    return stats.get("catchpoint.forward." + name, "target", target);
  }

  private static void writeAll(Writer w, List<DataPoint> points) throws Exception {
    for (DataPoint p : points) {
      w.write(p);
    }
  }

  @Test
  void targetsThatNeverReadDoNotHoldUpTheWriter() throws Exception {
    List<DataPoint> points = new ArrayList<>(POINTS);
    for (int s = 0; s < POINTS / 1000; s++) {
      points.addAll(Points.series("catchpoint.timing.m" + s, 1_790_000_000L, 1000));
    }
    try (FakeCarbon liveCarbon = new FakeCarbon(false); FakeInflux liveInflux = new FakeInflux();
        FakeCarbon deadCarbon = new FakeCarbon(true); FakeCarbon deadInflux = new FakeCarbon(true);
        FakeCarbon deadKairos = new FakeCarbon(true); FakeCarbon deadTsd = new FakeCarbon(true)) {
      Stats stats = new Stats();
      Forwarder.Options options = new Forwarder.Options(10_000, 1000, 100, 10_000, Forwarder.Drop.OLDEST, 1000);
      Forwarder carbonLive = new Forwarder("carbon-live", "graphite", new GraphiteTransport(
          Collections.singletonList(liveCarbon.address()), new GraphitePlaintext(GraphiteNaming.tagged()), 1000, 5000,
          10_000), options, stats);
      Forwarder influxLive = new Forwarder("influx-live", "influx", InfluxTransport.v1(liveInflux.url(), "db", null,
          null, null, 1000), options, stats);
      Forwarder carbonDead = new Forwarder("carbon-dead", "graphite", new GraphiteTransport(
          Collections.singletonList(deadCarbon.address()), new GraphitePlaintext(GraphiteNaming.tagged()), 1000, 5000,
          10_000), options, stats);
      Forwarder influxDead = new Forwarder("influx-dead", "influx", InfluxTransport.v1(
          "http://127.0.0.1:" + deadInflux.port(), "db", null, null, null, 1000), options, stats);
      Forwarder kairosDead = new Forwarder("kairos-dead", "kairosdb", new KairosTransport(
          "http://127.0.0.1:" + deadKairos.port() + "/api/v1/datapoints", 1000), options, stats);
      Forwarder tsdDead = new Forwarder("opentsdb-dead", "opentsdb", new OpenTsdbTransport(
          "http://127.0.0.1:" + deadTsd.port() + "/api/put", true, 1000), options, stats);
      List<Forwarder> all = Arrays.asList(carbonLive, influxLive, carbonDead, influxDead, kairosDead, tsdDead);
      all.forEach(Forwarder::start);
      Writer w = new ForwardingWriter(STORE, all);
      // First the dead targets are stuck: carbon's socket buffers full and a write timed out, the
      // HTTP targets' answers timed out. Then every write still returns.
      List<DataPoint> warm = points.subList(0, 20_000);
      BooleanSupplier stuck = () -> count(stats, "carbon-dead", "errors.timeout") > 0
          && count(stats, "influx-dead", "errors.timeout") > 0 && count(stats, "kairos-dead", "errors.timeout") > 0
          && count(stats, "opentsdb-dead", "errors.timeout") > 0;
      int warmRounds = 0;
      do {
        assertTrue(warmRounds < 15, "the targets never timed out: " + carbonDead.status() + " " + influxDead.status());
        writeAll(w, warm);
        warmRounds++;
      } while (!FakeCarbon.within(2000, stuck));
      writeAll(w, points);
      long written = (long) warmRounds * warm.size() + POINTS;
      for (Forwarder f : all) {
        assertEquals(written, count(stats, f.name(), "queued"), f.name() + ": every write reached it");
      }
      for (Forwarder f : all) {
        f.shutdown(f == carbonLive || f == influxLive ? 10_000 : 500);
      }
      assertTrue(deadCarbon.accepted() >= 1 && deadInflux.accepted() >= 1 && deadKairos.accepted() >= 1
          && deadTsd.accepted() >= 1, "every dead target was connected to");
      for (Forwarder f : all) {
        String target = f.name();
        long in = count(stats, target, "queued") + count(stats, target, "replayed");
        long out = count(stats, target, "sent");
        for (String reason : Forwarder.DROP_REASONS) {
          out += count(stats, target, "dropped." + reason);
        }
        assertEquals(in, out, target + ": queued + replayed = sent + dropped");
      }
      assertTrue(count(stats, "carbon-dead", "dropped.queue_full") + count(stats, "carbon-dead",
          "dropped.retry_buffer_full") > 0, "the dead carbon's buffers overflowed, counted");
      assertEquals(0, count(stats, "influx-live", "errors.timeout"), "the live targets were not slowed down");
    }
  }
}
