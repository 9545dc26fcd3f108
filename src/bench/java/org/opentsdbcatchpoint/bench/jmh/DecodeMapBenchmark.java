package org.opentsdbcatchpoint.bench.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.opentsdbcatchpoint.bench.load.DefaultPipeline;
import org.opentsdbcatchpoint.catalog.NodeCatalogReader;
import org.opentsdbcatchpoint.catalog.StaticNodeCatalog;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.push.PushException;

/**
 * A push body to datapoints, nothing else: the plugin's decoder and mapper with default settings
 * ({@link DefaultPipeline}) and the shared node catalog (so the enrichment tags are there), one thread.
 * Runs/s per fixture; {@code -prof gc} adds the bytes allocated per run ({@code gc.alloc.rate.norm}).
 *
 * <p>The fixtures are read from {@code -Dbench.fixtures} (default {@code ../shared/catchpoint/fixtures}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class DecodeMapBenchmark {
  /** Every push fixture except the unfilled recommended template, which is a template, not a post. */
  @Param({"push-web-default.json", "push-template-filled.json", "push-ping.json", "push-traceroute.json",
      "push-dns-v3.json", "push-dns-error.json"})
  public String fixture;

  private byte[] body;
  private DefaultPipeline pipeline;
  private long nowSeconds;

  @Setup
  public void setUp() throws IOException, PushException {
    Path dir = Paths.get(System.getProperty("bench.fixtures", "../shared/catchpoint/fixtures"));
    body = Files.readAllBytes(dir.resolve(fixture));
    pipeline = new DefaultPipeline(new StaticNodeCatalog(NodeCatalogReader.read(dir.resolve("rest-v1-nodes.json"))));
    nowSeconds = System.currentTimeMillis() / 1000;
    if (decodeAndMap().isEmpty()) {
      throw new IllegalStateException(fixture + " maps to no datapoint");
    }
  }

  @Benchmark
  public List<DataPoint> decodeAndMap() throws PushException {
    return pipeline.map(body, nowSeconds);
  }
}
