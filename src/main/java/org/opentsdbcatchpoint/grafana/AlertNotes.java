package org.opentsdbcatchpoint.grafana;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.opentsdbcatchpoint.alert.AlertBook;
import org.opentsdbcatchpoint.alert.Annotations;
import org.opentsdbcatchpoint.alert.Note;
import org.opentsdbcatchpoint.mapping.Vocabulary;

/**
 * Catchpoint alerts for annotations: the global notes the alert webhook wrote in a range (one an alert,
 * with its test and node in its custom fields), as spans from the alert to its improvement (open ones
 * to the end of the range). Filters of test and node apply; filters of other dimensions (country,
 * city...) do not, an alert carries none.
 */
final class AlertNotes {
  /** The target that answers annotations of alerts. */
  static final String TARGET = "alerts";
  /** Events of one answer at most (the earliest): Grafana draws no more usefully. */
  static final int MAX_EVENTS = 5000;

  private final Annotations annotations;

  AlertNotes(Annotations annotations) {
    this.annotations = annotations;
  }

  CompletableFuture<List<Event>> find(long[] range, Map<String, List<String>> filters) {
    List<String> tests = filters.get(Vocabulary.TAG_TEST_ID);
    List<String> nodes = filters.get(Vocabulary.TAG_NODE_ID);
    return annotations.global(range[0], range[1]).thenApply(notes -> {
      List<Event> out = new ArrayList<>();
      for (Note n : notes) {
        Map<String, String> c = n.custom;
        if (!AlertBook.SOURCE.equals(c.get("source")) || (tests != null && !tests.contains(c.get("test_id")))
            || (nodes != null && !nodes.contains(c.get("node_id")))) {
          continue;
        }
        long end = n.endSeconds > 0 ? n.endSeconds : Math.max(n.startSeconds, range[1]);
        String title = "Catchpoint " + c.getOrDefault("level", "") + " alert";
        List<String> tags = new ArrayList<>(Arrays.asList("catchpoint", "alert", c.getOrDefault("level", "unknown"),
            "test_id:" + c.get("test_id")));
        if (c.containsKey("node_id")) {
          tags.add("node_id:" + c.get("node_id"));
        }
        if (c.containsKey("alert_type")) {
          tags.add("alert_type:" + c.get("alert_type"));
        }
        if (n.endSeconds > 0) {
          tags.add("ended");
        }
        out.add(new Event(n.startSeconds, end, title, n.description, tags));
      }
      out.sort((a, b) -> Long.compare(a.seconds, b.seconds));
      return out.size() > MAX_EVENTS ? new ArrayList<>(out.subList(0, MAX_EVENTS)) : out;
    });
  }
}
