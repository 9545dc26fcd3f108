package org.opentsdbcatchpoint.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.mapping.Vocabulary.Encoding;

/** Which metrics are whole numbers: the naming table's encodings, and derived names by their group. */
class EncodingTest {
  @Test
  void wholeNumberMetricsAreIntegers() {
    for (String m : new String[] {Vocabulary.RUN, Vocabulary.TRACEROUTE_HOP_COUNT, Vocabulary.ERROR_CODE,
        Vocabulary.ERROR_ANY, "catchpoint.count.requests", "catchpoint.bytes.response_content",
        "catchpoint.count.content_type_image", "catchpoint.host.count.request", "catchpoint.zone.error.code",
        "catchpoint.count.some_new_counter"}) {
      assertEquals(Encoding.INTEGER, Vocabulary.encodingOf(m), m);
    }
  }

  @Test
  void everythingThatMayBeFractionalIsAFloat() {
    for (String m : new String[] {"catchpoint.timing.dns", "catchpoint.ping.packet_loss_pct",
        Vocabulary.TRACEROUTE_LAST_HOP_RTT, Vocabulary.TRACEROUTE_LAST_HOP_LOSS, Vocabulary.TRACEROUTE_HOP_LOSS,
        Vocabulary.DOWNTIME_PCT, "catchpoint.score.speed_index", "catchpoint.host.timing.dns",
        "catchpoint.other.throughput_kbps", "catchpoint.timing.some_new_timing"}) {
      assertEquals(Encoding.FLOAT, Vocabulary.encodingOf(m), m);
    }
  }

  @Test
  void everyTableMetricHasOneEncodingAndWholeNumberTableValuesFitIt() {
    int integers = 0;
    for (String m : Vocabulary.table()) {
      if (Vocabulary.encodingOf(m) == Encoding.INTEGER) {
        integers++;
      }
    }
    // counts (with content types), bytes, error flags and code, run, hop count and their host/zone twins
    assertEquals(true, integers > 40, "integers: " + integers);
  }
}
