package org.opentsdbcatchpoint.tsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.opentsdb.stats.StatsCollector;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.stats.Stats;

class CatchpointRpcPluginTest {

  /** Keeps the lines OpenTSDB would print at /api/stats. */
  private static final class CapturingCollector extends StatsCollector {
    final List<String> lines = new ArrayList<>();

    CapturingCollector() {
      super("tsd");
    }

    @Override
    public void emit(String line) {
      lines.add(line);
    }

    /** "name tag=value" (or "name") to value, without the timestamp. */
    Map<String, Long> values() {
      Map<String, Long> m = new LinkedHashMap<>();
      for (String line : lines) {
        String[] f = line.trim().split(" ");
        String key = f[0];
        for (int i = 3; i < f.length; i++) {
          key += " " + f[i];
        }
        m.put(key, Long.parseLong(f[2]));
      }
      return m;
    }
  }

  @Test
  void subPathSplitsBelowTheMountPoint() {
    assertEquals(Arrays.asList("push", "x"), CatchpointRpcPlugin.subPath("/plugin/catchpoint/push/x"));
    assertEquals(Collections.singletonList("push"), CatchpointRpcPlugin.subPath("/plugin/catchpoint/push"));
    assertEquals(Collections.singletonList("push"), CatchpointRpcPlugin.subPath("/plugin/catchpoint/push/"));
    assertEquals(Arrays.asList("push", "a", "b"), CatchpointRpcPlugin.subPath("/plugin/catchpoint//push/a/b"));
    assertEquals(Collections.singletonList("health"), CatchpointRpcPlugin.subPath("/plugin/catchpoint/health"));
    assertEquals(Collections.emptyList(), CatchpointRpcPlugin.subPath("/plugin/catchpoint"));
    assertEquals(Collections.emptyList(), CatchpointRpcPlugin.subPath("/plugin/catchpoint/"));
  }

  @Test
  void pathIsTheOneOpenTsdbMountsUnderPlugin() {
    assertEquals("/catchpoint", new CatchpointRpcPlugin().getPath());
  }

  @Test
  void recordEmitsEveryCounterWithItsTagAndTheLatencyQuantiles() {
    Stats stats = new Stats();
    stats.add("catchpoint.push.requests", "status", "200", 3);
    stats.increment("catchpoint.push.requests", "status", "503");
    stats.add("catchpoint.push.datapoints.written", 42);
    stats.increment("catchpoint.push.storage.errors", "kind", "timeout");
    for (int i = 0; i < 99; i++) {
      stats.ackLatency().record(3_000_000L); // 3 ms: bucket "<= 4 ms"
    }
    stats.ackLatency().record(100_000_000L); // 100 ms: bucket "<= 128 ms"

    CapturingCollector c = new CapturingCollector();
    CatchpointRpcPlugin.record(stats, c);

    for (String line : c.lines) {
      assertTrue(line.startsWith("tsd.catchpoint."), line);
      assertTrue(line.endsWith("\n"), line);
    }
    Map<String, Long> expected = new LinkedHashMap<>();
    expected.put("tsd.catchpoint.push.datapoints.written", 42L);
    expected.put("tsd.catchpoint.push.requests status=200", 3L);
    expected.put("tsd.catchpoint.push.requests status=503", 1L);
    expected.put("tsd.catchpoint.push.storage.errors kind=timeout", 1L);
    expected.put("tsd.catchpoint.push.ack.latency_ms quantile=p50", 4L);
    expected.put("tsd.catchpoint.push.ack.latency_ms quantile=p99", 4L);
    assertEquals(expected, c.values());
    assertEquals(6, c.lines.size());
  }

  @Test
  void recordOfEmptyStatsStillReportsTheLatency() {
    CapturingCollector c = new CapturingCollector();
    CatchpointRpcPlugin.record(new Stats(), c);
    Map<String, Long> expected = new LinkedHashMap<>();
    expected.put("tsd.catchpoint.push.ack.latency_ms quantile=p50", 0L);
    expected.put("tsd.catchpoint.push.ack.latency_ms quantile=p99", 0L);
    assertEquals(expected, c.values());
  }
}
