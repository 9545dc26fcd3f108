package org.opentsdbcatchpoint.catalog;

import java.io.IOException;
import java.util.List;

/** Somewhere the whole node list can be fetched from: one Catchpoint account's REST API. */
public interface NodeSource {
  /** Names the source in logs (the account). */
  String name();

  List<Node> nodes() throws IOException, InterruptedException;
}
