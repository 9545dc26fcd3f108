package org.opentsdbcatchpoint.grafana;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BinaryOperator;
import org.opentsdbcatchpoint.mapping.Vocabulary;

/**
 * Failed runs for annotations: the runs whose {@code catchpoint.run} is 0 in a range, each with its
 * test, node and what its {@code catchpoint.error.code} means ({@link ErrorCodes}).
 */
final class FailedRuns {
  /** The target that answers annotations (and a table) of failed runs. */
  static final String TARGET = "failed_runs";

  private final BoundedQueries queries;
  private final Dimensions dimensions;

  FailedRuns(BoundedQueries queries, Dimensions dimensions) {
    this.queries = queries;
    this.dimensions = dimensions;
  }

  /** One failed run. */
  static final class FailedRun {
    final long seconds;
    final String test;
    final String node;
    final Map<String, String> tags;
    final String error;

    FailedRun(long seconds, String test, String node, Map<String, String> tags, String error) {
      this.seconds = seconds;
      this.test = test;
      this.node = node;
      this.tags = tags;
      this.error = error;
    }

    String title() {
      return test + " failed on " + node;
    }

    String text() {
      return test + " failed on " + node + ": " + error;
    }

    List<String> tagList() {
      return Arrays.asList("catchpoint", "failed", "test_id:" + tags.get(Vocabulary.TAG_TEST_ID),
          "node_id:" + tags.get(Vocabulary.TAG_NODE_ID));
    }
  }

  CompletableFuture<List<FailedRun>> find(long[] range, Map<String, List<String>> filters) {
    List<String> none = Collections.emptyList();
    CompletableFuture<List<Series>> runs = queries.run(
        new SeriesQuery(Vocabulary.RUN, range[0], range[1], "none", null, filters, none), TARGET);
    CompletableFuture<List<Series>> codes = queries.run(
        new SeriesQuery(Vocabulary.ERROR_CODE, range[0], range[1], "none", null, filters, none), TARGET);
    return runs.thenCombine(codes, (r, c) -> {
      BinaryOperator<String> show = dimensions.display();
      Map<String, Map<Long, Double>> codeAt = new LinkedHashMap<>();
      for (Series s : c) {
        Map<Long, Double> at = codeAt.computeIfAbsent(seriesKey(s.tags), k -> new LinkedHashMap<>());
        for (int i = 0; i < s.size(); i++) {
          at.put(s.seconds[i], s.values[i]);
        }
      }
      List<FailedRun> out = new ArrayList<>();
      for (Series s : r) {
        Map<Long, Double> at = codeAt.get(seriesKey(s.tags));
        for (int i = 0; i < s.size(); i++) {
          if (s.values[i] != 0) {
            continue;
          }
          Double code = at == null ? null : at.get(s.seconds[i]);
          String error = code == null || code == 0 ? "the run reported an error" : ErrorCodes.meaning(code.longValue());
          out.add(new FailedRun(s.seconds[i], show.apply(Vocabulary.TAG_TEST_ID,
              s.tags.get(Vocabulary.TAG_TEST_ID)), show.apply(Vocabulary.TAG_NODE_ID,
              s.tags.get(Vocabulary.TAG_NODE_ID)), s.tags, error));
        }
      }
      out.sort((a, b) -> Long.compare(a.seconds, b.seconds));
      return out;
    });
  }

  /** The identity of a run's series: the tags push and pull write for every metric of the run. */
  private static String seriesKey(Map<String, String> tags) {
    return tags.get(Vocabulary.TAG_TEST_ID) + "/" + tags.get(Vocabulary.TAG_NODE_ID) + "/"
        + tags.get(Vocabulary.TAG_STEP);
  }

  /** The failed runs as events to draw. */
  static List<Event> events(List<FailedRun> rows) {
    List<Event> out = new ArrayList<>(rows.size());
    for (FailedRun f : rows) {
      out.add(new Event(f.seconds, f.seconds, f.title(), f.text(), f.tagList()));
    }
    return out;
  }
}
