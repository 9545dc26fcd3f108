package org.opentsdbcatchpoint.push;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.opentsdbcatchpoint.mapping.RunMapper;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pipeline.SkippedField;
import org.opentsdbcatchpoint.sink.RejectedPointException;
import org.opentsdbcatchpoint.sink.Writer;
import org.opentsdbcatchpoint.stats.Stats;
import org.opentsdbcatchpoint.web.Endpoint;
import org.opentsdbcatchpoint.web.Json;
import org.opentsdbcatchpoint.web.Request;
import org.opentsdbcatchpoint.web.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /plugin/catchpoint/push}: the Catchpoint Test Data Webhook. Answers 200 only once
 * storage acknowledged every point that was written; Catchpoint retries anything else, which is
 * safe because a run always maps to the same cells.
 *
 * <p>Writes run on the plugin's own executor, never on the Netty thread that received the request:
 * OpenTSDB resolves new tag values with a blocking lookup, and a stalled HBase must cost a 503, not a
 * frozen TSD.
 */
public final class PushReceiver implements Endpoint {
  private static final Logger LOG = LoggerFactory.getLogger(PushReceiver.class);

  private final PushDecoder decoder;
  private final RunMapper mapper;
  private final Writer writer;
  private final PushToken token;
  private final BooleanSupplier readOnly;
  private final long ackTimeoutMillis;
  private final Executor writeExecutor;
  private final ScheduledExecutorService timer;
  private final LongSupplier nanoClock;
  private final LongSupplier epochMillisClock;
  private final Stats stats;

  /**
   * @param token null only when anonymous pushes were allowed explicitly
   * @param readOnly true while the TSD must not be written ({@code tsd.mode=ro})
   */
  public PushReceiver(PushDecoder decoder, RunMapper mapper, Writer writer, PushToken token,
      BooleanSupplier readOnly, long ackTimeoutMillis, Executor writeExecutor,
      ScheduledExecutorService timer, LongSupplier nanoClock, LongSupplier epochMillisClock, Stats stats) {
    this.decoder = decoder;
    this.mapper = mapper;
    this.writer = writer;
    this.token = token;
    this.readOnly = readOnly;
    this.ackTimeoutMillis = ackTimeoutMillis;
    this.writeExecutor = writeExecutor;
    this.timer = timer;
    this.nanoClock = nanoClock;
    this.epochMillisClock = epochMillisClock;
    this.stats = stats;
  }

  @Override
  public CompletableFuture<Response> handle(Request request) {
    long started = nanoClock.getAsLong();
    CompletableFuture<Response> answer;
    try {
      answer = receive(request, started);
    } catch (PushException e) {
      stats.increment("catchpoint.push.errors", "kind", e.kind());
      answer = CompletableFuture.completedFuture(error(e));
    }
    return answer.whenComplete((r, t) -> {
      if (r != null) {
        stats.increment("catchpoint.push.requests", "status", Integer.toString(r.status()));
      }
    });
  }

  private CompletableFuture<Response> receive(Request request, long started) throws PushException {
    if (!"POST".equals(request.method())) {
      return CompletableFuture.completedFuture(error(new PushException(405, "method_not_allowed",
          "the push endpoint takes POST, not " + request.method(), "method")).withHeader("Allow", "POST"));
    }
    checkToken(request);
    if (readOnly.getAsBoolean()) {
      throw new PushException(503, "read_only", "this TSD is read-only (tsd.mode=ro): send pushes to a read-write TSD",
          null);
    }
    DecodedPush decoded = decoder.decode(request.body(), request.header("Content-Type"),
        epochMillisClock.getAsLong() / 1000);
    stats.increment("catchpoint.push.runs", "format", decoded.format());
    List<DataPoint> points = mapper.map(decoded.run());

    CompletableFuture<Response> answer = new CompletableFuture<>();
    // Whoever claims this first (storage or the timeout) counts the outcome and then answers: counters
    // must have moved before the sender (or a stats reader) can see the answer.
    AtomicBoolean settled = new AtomicBoolean();
    boolean details = request.hasParam("details");
    try {
      writeExecutor.execute(() -> write(decoded, points, details, started, answer, settled));
    } catch (RejectedExecutionException e) {
      throw new PushException(503, "busy", "the plugin's write queue is full; Catchpoint will retry", null);
    }
    ScheduledFuture<?> timeout = timer.schedule(() -> {
      if (settled.compareAndSet(false, true)) {
        stats.increment("catchpoint.push.storage.errors", "kind", "timeout");
        answer.complete(error(new PushException(503, "storage_timeout", "storage did not acknowledge the "
            + "datapoints within push.ack_timeout_ms (" + ackTimeoutMillis + " ms); the retry is safe", null)));
      }
    }, ackTimeoutMillis, TimeUnit.MILLISECONDS);
    answer.whenComplete((r, t) -> timeout.cancel(false));
    return answer;
  }

  /** Token from {@code /push/SECRET} or {@code ?token=SECRET}. */
  private void checkToken(Request request) throws PushException {
    List<String> path = request.path();
    if (path.size() > 2) {
      throw new PushException(404, "not_found", "unknown path below /plugin/catchpoint/push", "path");
    }
    if (token == null) {
      return;
    }
    String given = path.size() == 2 ? path.get(1) : request.param("token");
    if (given == null || given.isEmpty()) {
      throw new PushException(401, "missing_token",
          "a push token is required: /plugin/catchpoint/push?token=SECRET or /plugin/catchpoint/push/SECRET", "token");
    }
    if (!token.matches(given)) {
      throw new PushException(403, "wrong_token", "the push token is not valid", "token");
    }
  }

  private void write(DecodedPush decoded, List<DataPoint> points, boolean details, long started,
      CompletableFuture<Response> answer, AtomicBoolean settled) {
    if (settled.get()) {
      return; // timed out while queued: Catchpoint has its 503 and will retry
    }
    List<SkippedField> skipped = new ArrayList<>(decoded.skipped());
    List<CompletableFuture<Void>> acks = new ArrayList<>(points.size());
    for (DataPoint p : points) {
      try {
        acks.add(writer.write(p));
      } catch (RejectedPointException e) {
        skipped.add(new SkippedField(p.metric(), e.reason(), e.getMessage()));
      } catch (RuntimeException e) {
        acks.add(failed(e));
      }
    }
    // The HBase client holds edits until its timer (hbase.rpcs.buffered_flush_interval, jittered, on a
    // 20 ms tick: 20 to 80 ms); Catchpoint waits for this answer, so send the run's edits now.
    writer.flush();
    int written = acks.size();
    for (SkippedField s : skipped) {
      stats.increment("catchpoint.push.fields.skipped", "reason", s.reason());
    }
    AtomicInteger failures = new AtomicInteger();
    CompletableFuture<?>[] all = new CompletableFuture<?>[acks.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = acks.get(i).whenComplete((v, t) -> {
        if (t != null) {
          failures.incrementAndGet();
        }
      });
    }
    CompletableFuture.allOf(all).whenComplete((v, t) -> {
      if (t != null) {
        Throwable cause = t.getCause() != null ? t.getCause() : t;
        LOG.warn("storage failed {} of {} datapoints of test {} node {}: {}", failures.get(), written,
            decoded.run().testId(), decoded.run().nodeId(), cause.toString());
        if (settled.compareAndSet(false, true)) {
          stats.increment("catchpoint.push.storage.errors", "kind", "error");
          answer.complete(error(new PushException(503, "storage_error", "storage did not acknowledge "
              + failures.get() + " of " + written + " datapoints (" + cause.getClass().getSimpleName()
              + "); the retry is safe", null)));
        }
        return;
      }
      if (settled.compareAndSet(false, true)) {
        stats.add("catchpoint.push.datapoints.written", written);
        stats.ackLatency().record(nanoClock.getAsLong() - started);
        answer.complete(ok(decoded, written, skipped, details));
      }
    });
  }

  private static CompletableFuture<Void> failed(Throwable t) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    f.completeExceptionally(t);
    return f;
  }

  private static Response ok(DecodedPush decoded, int written, List<SkippedField> skipped, boolean details) {
    ObjectNode body = Json.object();
    body.put("written", written);
    body.put("skipped", skipped.size());
    ObjectNode run = body.putObject("run");
    run.put("test_id", decoded.run().testId());
    run.put("node_id", decoded.run().nodeId());
    run.put("test_type", decoded.run().testType());
    run.put("timestamp", decoded.run().timestampSeconds());
    run.put("format", decoded.format());
    if (details) {
      ArrayNode list = body.putArray("details");
      for (SkippedField s : skipped) {
        ObjectNode o = list.addObject();
        o.put("field", s.field());
        o.put("reason", s.reason());
        if (s.detail() != null) {
          o.put("detail", s.detail());
        }
      }
    }
    return Json.response(200, body);
  }

  private static Response error(PushException e) {
    return Json.error(e.status(), e.kind(), e.getMessage(), e.where());
  }
}
