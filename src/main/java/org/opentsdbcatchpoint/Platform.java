package org.opentsdbcatchpoint;

import java.util.function.BooleanSupplier;
import org.opentsdbcatchpoint.pipeline.Clock;
import org.opentsdbcatchpoint.pipeline.Writer;
import org.opentsdbcatchpoint.pull.HttpTransport;

/**
 * What the service needs from where it runs: the store and its state, time, the network and
 * threads. The TSD glue builds the real one; tests build theirs. Nothing below it reads the system
 * clock, opens a connection or starts a thread pool of its own.
 */
public final class Platform {
  final Writer writer;
  final BooleanSupplier readOnly;
  /** The TSD's {@code tsd.storage.max_tags}. */
  final int maxTags;
  final Clock clock;
  final HttpTransport http;
  final Threads threads;
  /** Which TSD this is ({@code host:port}), for the plugin's own counters. */
  final String host;

  /**
   * @param readOnly true while the TSD must not be written ({@code tsd.mode=ro})
   */
  public Platform(Writer writer, BooleanSupplier readOnly, int maxTags, Clock clock, HttpTransport http,
      Threads threads, String host) {
    this.writer = writer;
    this.readOnly = readOnly;
    this.maxTags = maxTags;
    this.clock = clock;
    this.http = http;
    this.threads = threads;
    this.host = host;
  }
}
