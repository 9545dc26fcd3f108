package org.opentsdbcatchpoint;

import java.util.function.BooleanSupplier;
import org.opentsdbcatchpoint.alert.Annotations;
import org.opentsdbcatchpoint.grafana.SeriesSource;
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
  /** The TSD's query engine, for the Grafana bridge; none (every query fails) until {@link #reading} gives one. */
  final SeriesSource series;
  /** What the TSDs of one HBase share; nothing unless {@link #reading} gives it. */
  final Cluster cluster;
  /** The TSD's annotations, for alerts; none (every write fails) unless {@link #reading} gives them. */
  final Annotations annotations;

  /**
   * @param readOnly true while the TSD must not be written ({@code tsd.mode=ro})
   */
  public Platform(Writer writer, BooleanSupplier readOnly, int maxTags, Clock clock, HttpTransport http,
      Threads threads, String host) {
    this(writer, readOnly, maxTags, clock, http, threads, host, NO_QUERIES, Cluster.NONE, Annotations.NONE);
  }

  private Platform(Writer writer, BooleanSupplier readOnly, int maxTags, Clock clock, HttpTransport http,
      Threads threads, String host, SeriesSource series, Cluster cluster, Annotations annotations) {
    this.writer = writer;
    this.readOnly = readOnly;
    this.maxTags = maxTags;
    this.clock = clock;
    this.http = http;
    this.threads = threads;
    this.host = host;
    this.series = series;
    this.cluster = cluster;
    this.annotations = annotations;
  }

  /** This platform with the TSD's query engine and what the TSDs of its HBase share. */
  public Platform reading(SeriesSource series, Cluster cluster) {
    return reading(series, annotations, cluster);
  }

  /** This platform with the TSD's query engine, its annotations and what the TSDs of its HBase share. */
  public Platform reading(SeriesSource series, Annotations annotations, Cluster cluster) {
    return new Platform(writer, readOnly, maxTags, clock, http, threads, host, series, cluster, annotations);
  }

  private static final SeriesSource NO_QUERIES = q -> {
    java.util.concurrent.CompletableFuture<java.util.List<org.opentsdbcatchpoint.grafana.Series>> f =
        new java.util.concurrent.CompletableFuture<>();
    f.completeExceptionally(new IllegalStateException("this platform has no query engine"));
    return f;
  };
}
