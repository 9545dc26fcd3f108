package org.opentsdbcatchpoint.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.pipeline.DataPoint;

/** Points in arrays, oldest first: growth, removal, copies, and tags that follow their points. */
class PointRingTest {
  @Test
  void pointsComeBackInOrderThroughGrowthAndWrapping() {
    PointRing ring = new PointRing(1000);
    List<DataPoint> points = Points.series("catchpoint.timing.dns", 1, 3000);
    List<DataPoint> held = new ArrayList<>();
    for (DataPoint p : points) {
      if (ring.room() == 0) {
        ring.removeOldest(300);
        held.subList(0, 300).clear();
      }
      ring.add(p);
      held.add(p);
    }
    assertEquals(held, Points.points(ring));
    assertEquals("catchpoint.timing.dns", ring.metric(0));
    assertEquals(held.get(0).timestampSeconds(), ring.seconds(0));
    assertEquals(held.get(0).value(), ring.value(0));
    assertEquals(held.get(0).tags(), ring.tags(0));
    assertThrows(IndexOutOfBoundsException.class, () -> ring.metric(ring.size()));
  }

  @Test
  void aFullRingRefusesMore() {
    PointRing ring = new PointRing(2);
    ring.add(Points.point("a.b", 1, 1));
    ring.add(Points.point("a.b", 2, 2));
    assertEquals(0, ring.room());
    assertThrows(IllegalStateException.class, () -> ring.add(Points.point("a.b", 3, 3)));
  }

  @Test
  void copiesKeepTheirTagsAndTheSourceKeepsItsPoints() {
    PointRing from = new PointRing(100);
    PointRing to = new PointRing(100);
    List<DataPoint> points = runs(5);
    points.forEach(from::add);
    from.copyOldest(30, to);
    assertEquals(points.subList(0, 30), Points.points(to));
    assertEquals(points, Points.points(from));
    from.removeOldest(30);
    assertEquals(points.subList(30, points.size()), Points.points(from));
    to.clear();
    assertTrue(to.isEmpty());
  }

  @Test
  void interleavedRunsKeepTheirOwnTagsAndReleaseTheirRecords() {
    PointRing ring = new PointRing(64);
    List<DataPoint> held = new ArrayList<>();
    for (int round = 0; round < 5_000; round++) {
      // Three runs written at once by three threads: their points alternate.
      List<DataPoint> a = run(round * 3);
      List<DataPoint> b = run(round * 3 + 1);
      List<DataPoint> c = run(round * 3 + 2);
      for (int i = 0; i < a.size(); i++) {
        for (DataPoint p : new DataPoint[] {a.get(i), b.get(i), c.get(i)}) {
          if (ring.room() == 0) {
            ring.removeOldest(1);
            held.remove(0);
          }
          ring.add(p);
          held.add(p);
        }
      }
    }
    assertEquals(held, Points.points(ring));
  }

  /** The 4 points of run {@code r}, sharing one tags map as the mapper's do. */
  private static List<DataPoint> run(int r) {
    Map<String, String> tags = Points.tags("test_id", Integer.toString(r), "node_id", "540");
    DataPoint first = new DataPoint("catchpoint.timing.dns", 1_700_000_000L + r, r, tags);
    List<DataPoint> out = new ArrayList<>();
    out.add(first);
    for (String m : new String[] {"catchpoint.timing.connect", "catchpoint.timing.ssl", "catchpoint.run"}) {
      out.add(first.withMetric(m, r + 0.5));
    }
    return out;
  }

  private static List<DataPoint> runs(int n) {
    List<DataPoint> out = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      out.addAll(run(r));
      out.addAll(run(r));
    }
    return out;
  }
}
