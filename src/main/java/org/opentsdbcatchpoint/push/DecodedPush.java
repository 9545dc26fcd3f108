package org.opentsdbcatchpoint.push;

import java.util.Collections;
import java.util.List;
import org.opentsdbcatchpoint.pipeline.Run;
import org.opentsdbcatchpoint.pipeline.SkippedField;

/** What a push body held: the run, the fields that were not usable, and the format it came in. */
public final class DecodedPush {
  private final Run run;
  private final List<SkippedField> skipped;
  private final String format;

  DecodedPush(Run run, List<SkippedField> skipped, String format) {
    this.run = run;
    this.skipped = Collections.unmodifiableList(skipped);
    this.format = format;
  }

  public Run run() {
    return run;
  }

  public List<SkippedField> skipped() {
    return skipped;
  }

  /** {@code default-json}, {@code template-json}, {@code default-xml} or {@code template-xml}. */
  public String format() {
    return format;
  }
}
