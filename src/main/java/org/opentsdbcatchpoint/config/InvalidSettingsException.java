package org.opentsdbcatchpoint.config;

import java.util.Collections;
import java.util.List;

/** Every problem found in the plugin's configuration, reported at once so one restart fixes all. */
public final class InvalidSettingsException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public InvalidSettingsException(List<String> problems) {
    super("opentsdb-catchpoint: invalid configuration (" + problems.size() + " problem"
        + (problems.size() == 1 ? "" : "s") + "):\n  - " + String.join("\n  - ", problems));
    this.problems = Collections.unmodifiableList(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
