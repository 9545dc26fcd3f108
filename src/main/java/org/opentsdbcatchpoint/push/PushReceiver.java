package org.opentsdbcatchpoint.push;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.opentsdbcatchpoint.catalog.NodeLookup;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pipeline.Run;
import org.opentsdbcatchpoint.pipeline.SkippedField;
import org.opentsdbcatchpoint.pipeline.WriteBatch;
import org.opentsdbcatchpoint.pipeline.WriteOutcome;
import org.opentsdbcatchpoint.pipeline.WriteStage;
import org.opentsdbcatchpoint.stats.Stats;
import org.opentsdbcatchpoint.web.AccessToken;
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
 * frozen TSD. The answer's deadline counts from the request's arrival and is kept by the write stage's
 * timer, so a write thread stuck in such a lookup cannot make the answer late.
 */
public final class PushReceiver implements Endpoint {
  private static final Logger LOG = LoggerFactory.getLogger(PushReceiver.class);

  private final PushDecoder decoder;
  private final Function<Run, List<DataPoint>> mapper;
  private final NodeLookup nodes;
  private final WriteStage stage;
  private final WebhookGate gate;
  private final long ackTimeoutMillis;
  private final Executor writeExecutor;
  private final LongSupplier nanoClock;
  private final LongSupplier epochMillisClock;
  private final Stats stats;

  /**
   * @param mapper run to datapoints (the shared {@code RunMapper}), as for the pulls
   * @param nodes the node catalog: a run of a node it does not know waits, within the deadline, until
   *     it has looked for the node (written earlier, the run would start a series without enrichment)
   * @param token null only when anonymous pushes were allowed explicitly
   * @param readOnly true while the TSD must not be written ({@code tsd.mode=ro})
   * @param nanoClock the write stage's clock, on which the answer's deadline is set
   */
  public PushReceiver(PushDecoder decoder, Function<Run, List<DataPoint>> mapper, NodeLookup nodes, WriteStage stage,
      AccessToken token, BooleanSupplier readOnly, long ackTimeoutMillis, Executor writeExecutor, LongSupplier nanoClock,
      LongSupplier epochMillisClock, Stats stats) {
    this.decoder = decoder;
    this.mapper = mapper;
    this.nodes = nodes;
    this.stage = stage;
    this.gate = new WebhookGate("push", "pushes", token, readOnly);
    this.ackTimeoutMillis = ackTimeoutMillis;
    this.writeExecutor = writeExecutor;
    this.nanoClock = nanoClock;
    this.epochMillisClock = epochMillisClock;
    this.stats = stats;
  }

  @Override
  public CompletableFuture<Response> handle(Request request) {
    long started = nanoClock.getAsLong();
    return gate.answer(request, r -> receive(r, started), e -> {
      stats.increment("catchpoint.push.errors", "kind", e.kind());
      return error(e);
    }).whenComplete((r, t) -> {
      if (r != null) {
        stats.increment("catchpoint.push.requests", "status", Integer.toString(r.status()));
      }
    });
  }

  private CompletableFuture<Response> receive(Request request, long started) throws PushException {
    DecodedPush decoded = decoder.decode(request.body(), request.header("Content-Type"),
        epochMillisClock.getAsLong() / 1000);
    stats.increment("catchpoint.push.runs", "format", decoded.format());

    // The deadline counts from the arrival: decoding took some of it already.
    WriteBatch batch = stage.open(started + ackTimeoutMillis * 1_000_000L, ackTimeoutMillis);
    boolean details = request.hasParam("details");
    long node = decoded.run().nodeId();
    if (nodes.knows(node)) {
      submit(decoded, batch);
      return batch.outcome().thenApply(o -> answer(decoded, o, null, details, started));
    }
    CompletableFuture<Boolean> learned = nodes.learn(node);
    AtomicReference<PushException> refused = new AtomicReference<>();
    learned.thenRun(() -> {
      try {
        submit(decoded, batch);
      } catch (PushException e) {
        stats.increment("catchpoint.push.errors", "kind", e.kind());
        refused.set(e);
        batch.abandon();
      }
    });
    return batch.outcome().thenApply(o -> refused.get() != null ? error(refused.get())
        : answer(decoded, o, learned, details, started));
  }

  /** Maps the run with the catalog as it is now and hands its points to a write thread. */
  private void submit(DecodedPush decoded, WriteBatch batch) throws PushException {
    if (!nodes.knows(decoded.run().nodeId())) {
      stats.increment("catchpoint.push.runs_unenriched");
    }
    List<DataPoint> points = mapper.apply(decoded.run());
    try {
      writeExecutor.execute(() -> writeAll(batch, points));
    } catch (RejectedExecutionException e) {
      batch.abandon();
      throw new PushException(503, "busy", "the plugin's write queue is full; Catchpoint will retry", null);
    }
  }

  /** On a write thread: hands the points over until the batch takes no more (its deadline passed). */
  private void writeAll(WriteBatch batch, List<DataPoint> points) {
    boolean all = false;
    try {
      all = batch.writeAll(points);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (all) {
      batch.finish();
      return;
    }
    // Timed out while queued or while writing: Catchpoint has its 503 and will retry.
    batch.abandon();
    stats.add("catchpoint.push.datapoints.abandoned", points.size() - batch.handedOver() - batch.skipped());
  }

  /** @param learned the catalog looking for the run's node, or null when it knew the node */
  private Response answer(DecodedPush decoded, WriteOutcome o, CompletableFuture<Boolean> learned, boolean details,
      long started) {
    for (SkippedField s : decoded.skipped()) {
      stats.increment("catchpoint.push.fields.skipped", "reason", s.reason());
    }
    for (Map.Entry<String, Long> e : o.skippedByReason().entrySet()) {
      stats.add("catchpoint.push.fields.skipped", "reason", e.getKey(), e.getValue());
    }
    switch (o.status()) {
      case STORED: {
        stats.add("catchpoint.push.datapoints.written", o.written());
        stats.ackLatency().record(nanoClock.getAsLong() - started);
        List<SkippedField> skipped = new ArrayList<>(decoded.skipped());
        skipped.addAll(o.skipped());
        return ok(decoded, o.written(), decoded.skipped().size() + o.skippedCount(), skipped, details);
      }
      case FAILED: {
        Throwable cause = o.failure().getCause() != null ? o.failure().getCause() : o.failure();
        LOG.warn("storage failed a datapoint of test {} node {} ({} acknowledged, {} waiting): {}",
            decoded.run().testId(), decoded.run().nodeId(), o.written(), o.unacknowledged(), cause.toString());
        stats.increment("catchpoint.push.storage.errors", "kind", "error");
        return error(new PushException(503, "storage_error", "storage did not acknowledge " + o.failures() + " of "
            + o.handedOver() + " datapoints (" + cause.getClass().getSimpleName() + "); the retry is safe", null));
      }
      default:
        if (learned != null && !learned.isDone()) {
          stats.increment("catchpoint.push.errors", "kind", "catalog_refresh");
          return error(new PushException(503, "catalog_refresh", "node " + decoded.run().nodeId() + " is not in the "
              + "node catalog yet and the catalog's refresh did not end within push.ack_timeout_ms (" + ackTimeoutMillis
              + " ms); the retry is safe", null));
        }
        stats.increment("catchpoint.push.storage.errors", "kind", "timeout");
        return error(new PushException(503, "storage_timeout", "storage did not acknowledge the datapoints within "
            + "push.ack_timeout_ms (" + ackTimeoutMillis + " ms); the retry is safe", null));
    }
  }

  private static Response ok(DecodedPush decoded, long written, long skippedCount, List<SkippedField> skipped,
      boolean details) {
    ObjectNode body = Json.object();
    body.put("written", written);
    body.put("skipped", skippedCount);
    ObjectNode run = body.putObject("run");
    run.put("test_id", decoded.run().testId());
    run.put("node_id", decoded.run().nodeId());
    run.put("test_type", decoded.run().testType());
    run.put("timestamp", decoded.run().timestampSeconds());
    run.put("format", decoded.format());
    if (details) {
      if (skippedCount > skipped.size()) {
        body.put("details_omitted", skippedCount - skipped.size()); // at most WriteBatch.MAX_LISTED are listed
      }
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

  /** The answer to a refused push; the operator page lists the last ones. */
  private Response error(PushException e) {
    stats.pushErrors().add(epochMillisClock.getAsLong(), e.status(), e.kind(), e.getMessage(), e.where());
    return Json.error(e.status(), e.kind(), e.getMessage(), e.where());
  }
}
