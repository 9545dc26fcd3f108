package org.opentsdbcatchpoint.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tags as records in a byte ring: read back as they were, shared by a run's points, released in order. */
class TagTextTest {
  private final TagText text = new TagText();

  @Test
  void aRecordReadsBackAsTheTagsItWasMadeFrom() {
    Map<String, String> tags = Points.tags("city", "São Paulo", "isp", "Jinan, CN - Unicom", "empty", "",
        "long", "x".repeat(300));
    int at = text.record(tags);
    assertEquals(tags, text.read(at));
    assertEquals(Points.tags(), text.read(text.record(Points.tags())), "no tags at all");
  }

  @Test
  void theSameMapGivesTheSameRecordEvenWithOtherRunsInBetween() {
    Map<String, String> a = Points.tags("test_id", "1");
    Map<String, String> b = Points.tags("test_id", "2");
    int atA = text.record(a);
    int atB = text.record(b);
    assertEquals(atA, text.record(a), "a run interleaved with another still shares its record");
    assertEquals(atB, text.record(b));
    assertNotEquals(atA, text.record(Points.tags("test_id", "1")), "an equal map of another run: a record of its own");
  }

  @Test
  void aCopyIsMadeOncePerRecordOfTheOtherRing() {
    TagText other = new TagText();
    int from = other.record(Points.tags("node_id", "540"));
    int copy = text.record(other, from);
    assertEquals(copy, text.record(other, from));
    assertEquals(Points.tags("node_id", "540"), text.read(copy));
  }

  @Test
  void theFloorIsTheOldestRecordANewPointMayStillUse() {
    List<Integer> records = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      records.add(text.record(Points.tags("n", Integer.toString(i))));
      assertTrue(text.floor() - records.get(Math.max(0, i - 7)) <= 0, "the last eight can still be shared");
    }
    assertEquals(records.get(12), text.floor(), "older ones cannot");
  }

  @Test
  void releasedBytesAreReusedAndRecordsMovedByGrowthStayReadable() {
    for (int i = 0; i < 100_000; i++) {
      int at = text.record(Points.tags("test_id", Integer.toString(i), "node_id", "540"));
      if (i % 10 == 9) {
        text.releaseBefore(text.floor()); // as a ring does once the points before are gone
      }
      assertEquals(Integer.toString(i), text.read(at).get("test_id"));
    }
    assertTrue(text.size() < 1000, "what is held stays small: " + text.size());
    int big = text.record(Points.tags("big", "y".repeat(5000)));
    assertEquals(5000, text.read(big).get("big").length(), "grown past its first size");
    text.clear();
    assertEquals(0, text.size());
  }
}
