package org.opentsdbcatchpoint.bench.load;

import java.util.List;

/**
 * One test on one node: its push body and the datapoints the plugin maps it to (each in the
 * {@code /api/put} JSON shape), both with the run time left open.
 */
final class RunTemplate {
  final String fixture;
  final long testId;
  final long nodeId;
  final TimedText push;
  final List<TimedText> points;
  /** Tags over all its points. */
  final int tags;

  RunTemplate(String fixture, long testId, long nodeId, TimedText push, List<TimedText> points, int tags) {
    this.fixture = fixture;
    this.testId = testId;
    this.nodeId = nodeId;
    this.push = push;
    this.points = points;
    this.tags = tags;
  }
}
