package org.opentsdbcatchpoint.tsd;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pipeline.WriteBatch;
import org.opentsdbcatchpoint.pipeline.WriteOutcome;
import org.opentsdbcatchpoint.pipeline.WriteStage;
import org.opentsdbcatchpoint.web.AccessToken;
import org.opentsdbcatchpoint.web.Endpoint;
import org.opentsdbcatchpoint.web.Json;
import org.opentsdbcatchpoint.web.Request;
import org.opentsdbcatchpoint.web.Response;

/**
 * {@code POST /plugin/catchpoint-bench/addpoint?in_flight=N}: writes the datapoints of the body (the
 * {@code /api/put} JSON array) through the push path's {@link WriteStage} in a tight loop, at most N not
 * yet acknowledged, waits for every acknowledgement and answers how long that took. Without HTTP,
 * JSON or decoding in the timed part, this is the most the TSD and its HBase can store: the yardstick
 * of {@code integration-tests/bench.sh}.
 *
 * <p>With {@code &encoding=double} the points go through a second stage instead, which writes every
 * value as a double, as the plugin did before 0.2 ("compact storage"): the benchmark's bytes per run
 * before and after.
 *
 * <p>Served by the benchmark's own plugin ({@link BenchAddPointPlugin}), never by the plugin's jar: it
 * writes whatever it is sent and holds a thread while it runs, so it has no place on a production TSD.
 */
public final class AddPointLoop implements Endpoint {
  static final int DEFAULT_IN_FLIGHT = 5000;
  static final int MAX_IN_FLIGHT = 100_000;
  /** A bound on waiting for one acknowledgement, so a stalled HBase cannot hold the thread forever. */
  static final long ACK_WAIT_SECONDS = 60;

  private final WriteStage stage;
  private final WriteStage doubles;
  private final AccessToken token;
  private final Executor loopExecutor;
  private final LongSupplier nanoClock;

  /**
   * @param stage writes as the plugin does
   * @param doubles writes every value as a double ({@code encoding=double})
   * @param token the push token, which this route requires too; null when anonymous pushes are allowed
   * @param loopExecutor runs the loop, which blocks while N writes are unacknowledged
   */
  public AddPointLoop(WriteStage stage, WriteStage doubles, AccessToken token, Executor loopExecutor,
      LongSupplier nanoClock) {
    this.stage = stage;
    this.doubles = doubles;
    this.token = token;
    this.loopExecutor = loopExecutor;
    this.nanoClock = nanoClock;
  }

  @Override
  public CompletableFuture<Response> handle(Request request) {
    if (!"POST".equals(request.method())) {
      return done(Json.error(405, "method_not_allowed", "the bench loop takes POST", "method")
          .withHeader("Allow", "POST"));
    }
    if (request.path().size() != 1 || !"addpoint".equals(request.path().get(0))) {
      return done(Json.error(404, "not_found", "the bench route is /plugin/catchpoint-bench/addpoint", "path"));
    }
    AccessToken.Verdict v = token == null ? AccessToken.Verdict.OK : token.check(request.param("token"));
    if (v != AccessToken.Verdict.OK) {
      return done(AccessToken.refusal(v, "?token=SECRET"));
    }
    int inFlight;
    List<DataPoint> points;
    try {
      inFlight = inFlight(request.param("in_flight"));
    } catch (IllegalArgumentException e) {
      return done(Json.error(400, "bad_request", e.getMessage(), "in_flight"));
    }
    String encoding = request.param("encoding");
    if (encoding != null && !encoding.isEmpty() && !"double".equals(encoding)) {
      return done(Json.error(400, "bad_request", "encoding is double or absent (the plugin's), not " + encoding,
          "encoding"));
    }
    WriteStage through = "double".equals(encoding) ? doubles : stage;
    try {
      points = PutJsonPoints.parse(request.body());
    } catch (IllegalArgumentException e) {
      return done(Json.error(400, "bad_request", e.getMessage(), "body"));
    }
    CompletableFuture<Response> answer = new CompletableFuture<>();
    try {
      loopExecutor.execute(() -> {
        try {
          answer.complete(run(through, points, inFlight));
        } catch (RuntimeException e) {
          answer.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      return done(Json.error(503, "busy", "no write thread is free for the bench loop", null));
    }
    return answer;
  }

  /** Writes every point, at most {@code inFlight} unacknowledged, and reports count, time and failures. */
  Response run(WriteStage into, List<DataPoint> points, int inFlight) {
    long started = nanoClock.getAsLong();
    WriteBatch batch = into.openStream(ACK_WAIT_SECONDS * 1000, inFlight);
    WriteOutcome outcome;
    try {
      for (DataPoint p : points) {
        if (!batch.write(p)) {
          break;
        }
      }
      // As a push does: the last edits go now, not on the HBase client's timer.
      outcome = batch.finish().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return stalled(inFlight);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a write outcome never fails", e);
    }
    long elapsed = nanoClock.getAsLong() - started;
    if (outcome.status() == WriteOutcome.Status.TIMED_OUT) {
      return stalled(inFlight);
    }
    ObjectNode body = Json.object();
    body.put("count", points.size());
    body.put("written", outcome.written());
    body.put("rejected", outcome.skippedCount());
    body.put("failures", outcome.status() == WriteOutcome.Status.FAILED ? points.size() - outcome.written()
        - outcome.skippedCount() : 0);
    body.put("elapsed_ns", elapsed);
    body.put("in_flight", inFlight);
    body.put("points_per_second", elapsed <= 0 ? 0 : Math.round(points.size() * 1e9 / elapsed));
    return Json.response(200, body);
  }

  private static Response stalled(int inFlight) {
    return Json.error(503, "storage_timeout", "storage did not acknowledge the writes in flight (at most "
        + inFlight + ") within " + ACK_WAIT_SECONDS + " s", null);
  }

  private static int inFlight(String raw) {
    if (raw == null || raw.isEmpty()) {
      return DEFAULT_IN_FLIGHT;
    }
    try {
      int n = Integer.parseInt(raw.trim());
      if (n >= 1 && n <= MAX_IN_FLIGHT) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // the message below says what is allowed
    }
    throw new IllegalArgumentException("in_flight must be a whole number from 1 to " + MAX_IN_FLIGHT + ", not " + raw);
  }

  private static CompletableFuture<Response> done(Response r) {
    return CompletableFuture.completedFuture(r);
  }
}
