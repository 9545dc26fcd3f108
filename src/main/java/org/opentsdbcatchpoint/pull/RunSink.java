package org.opentsdbcatchpoint.pull;

import java.io.IOException;
import org.opentsdbcatchpoint.pipeline.Run;

/** Takes the runs of a REST answer one by one while it is being read. */
public interface RunSink {
  void accept(Run run) throws IOException, InterruptedException;
}
