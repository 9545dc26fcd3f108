package org.opentsdbcatchpoint.tsd;

import com.stumbleupon.async.Deferred;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import net.opentsdb.core.TSDB;
import net.opentsdb.stats.StatsCollector;
import net.opentsdb.tsd.HttpRpcPlugin;
import net.opentsdb.tsd.HttpRpcPluginQuery;
import org.opentsdbcatchpoint.CatchpointService;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pipeline.MetricBudget;
import org.opentsdbcatchpoint.pipeline.WriteStage;
import org.opentsdbcatchpoint.web.AccessToken;
import org.opentsdbcatchpoint.web.Request;
import org.opentsdbcatchpoint.web.Response;

/**
 * The benchmark's own HttpRpcPlugin, at {@code /plugin/catchpoint-bench/addpoint}: the
 * {@link AddPointLoop} over the plugin's write stage and TSD writer, to measure the most the TSD and
 * HBase can store (and, with every value a double, what the plugin stored before 0.2). It lives in the benchmark's jar (built by integration-tests/bench.sh from
 * src/bench), never in the plugin's, and is loaded only into the benchmark's own TSD
 * ({@code tsd.http.rpc.plugins}); its token is {@code tsd.plugin.catchpoint_bench.token}.
 */
public final class BenchAddPointPlugin extends HttpRpcPlugin {
  static final String TOKEN_KEY = "tsd.plugin.catchpoint_bench.token";
  private volatile AddPointLoop loop;
  private volatile ExecutorService loopThreads;
  private volatile ScheduledExecutorService timer;

  public BenchAddPointPlugin() {}

  @Override
  public void initialize(TSDB tsdb) {
    DaemonThreads threads = new DaemonThreads();
    loopThreads = threads.bounded("bench-loop", 4, 16);
    timer = threads.scheduled("bench-timer", 1);
    TsdbPointStore store = new TsdbPointStore(tsdb);
    String token = tsdb.getConfig().hasProperty(TOKEN_KEY) ? tsdb.getConfig().getString(TOKEN_KEY) : null;
    loop = new AddPointLoop(stage(store), stage(new AsDoubles(store)), AccessToken.of(token), loopThreads,
        System::nanoTime);
  }

  private WriteStage stage(PointStore store) {
    return new WriteStage(new TsdbWriter(store), new MetricBudget(Vocabulary::inTable, 16, 500),
        AddPointLoop.MAX_IN_FLIGHT, timer, System::nanoTime);
  }

  /**
   * Writes every value as a double, whole numbers too: how the plugin called {@code TSDB.addPoint} before
   * 0.2's compact storage (commit e395c4a), an 8-byte cell a value.
   */
  private static final class AsDoubles implements PointStore {
    private final PointStore store;

    AsDoubles(PointStore store) {
      this.store = store;
    }

    @Override
    public Deferred<Object> addPoint(String metric, long timestampSeconds, double value, Map<String, String> tags) {
      return store.addPoint(metric, timestampSeconds, value, tags);
    }

    @Override
    public Deferred<Object> addPoint(String metric, long timestampSeconds, long value, Map<String, String> tags) {
      return store.addPoint(metric, timestampSeconds, (double) value, tags);
    }

    @Override
    public boolean readOnly() {
      return store.readOnly();
    }

    @Override
    public void flush() {
      store.flush();
    }

    @Override
    public CompletableFuture<Void> prepare(List<DataPoint> points) {
      return store.prepare(points);
    }
  }

  @Override
  public Deferred<Object> shutdown() {
    loopThreads.shutdownNow();
    timer.shutdownNow();
    return Deferred.fromResult(null);
  }

  @Override
  public String version() {
    return CatchpointService.version();
  }

  @Override
  public void collectStats(StatsCollector collector) {}

  @Override
  public String getPath() {
    return "/catchpoint-bench";
  }

  @Override
  public void execute(TSDB tsdb, HttpRpcPluginQuery query) throws IOException {
    QueryExchange exchange = new QueryExchange(query);
    String path = exchange.path();
    String rest = path.startsWith("/plugin/catchpoint-bench") ? path.substring("/plugin/catchpoint-bench".length())
        : path;
    Request request = new Request(exchange.method(), CatchpointRpcPlugin.subPath("/plugin/catchpoint" + rest),
        exchange.params(), exchange::header, exchange.body(exchange.bodySize()), exchange.bodySize());
    loop.handle(request).whenComplete((Response r, Throwable t) -> {
      Response answer = r != null ? r
          : org.opentsdbcatchpoint.web.Json.error(500, "internal_error", String.valueOf(t), null);
      exchange.respond(answer.status(), answer.contentType(), answer.headers(), answer.body());
    });
  }
}
