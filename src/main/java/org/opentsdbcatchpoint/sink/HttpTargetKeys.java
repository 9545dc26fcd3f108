package org.opentsdbcatchpoint.sink;

import org.opentsdbcatchpoint.config.Key;

/**
 * The key every HTTP kind of target shares, {@code forward.<name>.url}: one key, one row in the
 * configuration table, read by each kind's settings its own way. In a class of its own, so that the
 * kinds' settings classes can share it without depending on one another.
 */
final class HttpTargetKeys {
  private HttpTargetKeys() {}

  static final Key URL = Key.of(ForwardSettings.T + "url", "url", null,
      "influx: the server, e.g. http://influx:8086. prometheus: the whole write URL, e.g. "
      + "http://prom:9090/api/v1/write. kairosdb, opentsdb: the write URL, e.g. "
      + "http://kairos:8080/api/v1/datapoints, http://tsd-dc2:4242/api/put (a URL without a path gets that "
      + "path). Required.");
}
