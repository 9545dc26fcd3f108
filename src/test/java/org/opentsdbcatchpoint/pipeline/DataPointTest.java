package org.opentsdbcatchpoint.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataPointTest {
  @Test
  void keepsASortedImmutableCopyOfTheTags() {
    Map<String, String> tags = new HashMap<>();
    tags.put("test_id", "7");
    tags.put("node_id", "1");
    DataPoint p = new DataPoint("catchpoint.run", 1_705_320_000L, 1, tags);
    tags.put("later", "x");

    assertEquals("[node_id, test_id]", p.tags().keySet().toString());
    assertThrows(UnsupportedOperationException.class, () -> p.tags().put("x", "y"));
  }

  @Test
  void withMetricKeepsTimeAndSharesTheTags() {
    Map<String, String> tags = new HashMap<>();
    tags.put("test_id", "7");
    DataPoint p = new DataPoint("catchpoint.run", 1_705_320_000L, 1, tags);

    DataPoint q = p.withMetric("catchpoint.timing.dns", 12.5);

    assertEquals(new DataPoint("catchpoint.timing.dns", 1_705_320_000L, 12.5, tags), q);
    assertSame(p.tags(), q.tags());
  }
}
