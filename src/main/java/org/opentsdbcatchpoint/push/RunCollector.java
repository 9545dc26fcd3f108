package org.opentsdbcatchpoint.push;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.opentsdbcatchpoint.pipeline.Measurement;
import org.opentsdbcatchpoint.pipeline.Run;
import org.opentsdbcatchpoint.pipeline.SkippedField;

/** Gathers a run's measurements and the skipped fields while a decoder walks a payload. */
final class RunCollector {
  private static final String ERROR_PREFIX = Vocabulary.PREFIX + Vocabulary.ERROR + ".";

  private final Run.Builder run;
  private final List<SkippedField> skipped = new ArrayList<>();
  private boolean failed;

  RunCollector(Run.Builder run) {
    this.run = run;
  }

  /** Adds {@code catchpoint.<group>.<key>} from a value node; records why when it is not a number. */
  void measure(String group, String key, JsonNode value, String where) {
    Values.Parsed v = Values.read(value);
    if (!v.ok()) {
      skip(where, v.skipReason, v.detail);
      return;
    }
    add(Vocabulary.metric(group, key), v.value, where);
  }

  /** Adds {@code metric} (a name already final) from a value node; records why when it is not a number. */
  void measure(String metric, JsonNode value, String where) {
    Values.Parsed v = Values.read(value);
    if (!v.ok()) {
      skip(where, v.skipReason, v.detail);
      return;
    }
    add(metric, v.value, where);
  }

  /**
   * As {@link #measure(String, String, JsonNode, String)} for field {@code whereKey} of {@code where}:
   * the field's path is only built when the field is skipped.
   */
  void measure(String group, String key, JsonNode value, String where, String whereKey) {
    Values.Parsed v = Values.read(value);
    if (!v.ok()) {
      skip(where + "." + whereKey, v.skipReason, v.detail);
      return;
    }
    add(Vocabulary.metric(group, key), v.value, null);
  }

  /** Adds a measurement whose metric name is already final. */
  void add(String metric, double value, String where) {
    add(new Measurement(metric, value));
  }

  /** Adds a measurement made earlier (by {@link StreamedSummary}), with the same failure rule. */
  void add(Measurement m) {
    if (m.value() != 0 && m.metric().startsWith(ERROR_PREFIX)) {
      failed = true;
    }
    run.add(m);
  }

  /** Adds a measurement of one part of the run, tagged with that part ({@code hop=3}, {@code host=cdn.example.net}). */
  void addPart(String metric, double value, String tagKey, String tagValue) {
    run.add(new Measurement(metric, value, tagKey, tagValue));
  }

  void skip(String where, String reason, String detail) {
    skip(new SkippedField(where, reason, detail));
  }

  void skip(SkippedField field) {
    skipped.add(field);
  }

  void markFailed() {
    failed = true;
  }

  /** Adds the {@code catchpoint.run} point and builds the result. */
  DecodedPush finish(String format) {
    run.add(new Measurement(Vocabulary.RUN, failed ? 0 : 1));
    return new DecodedPush(run.build(), skipped, format);
  }
}
