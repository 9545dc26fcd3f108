package org.opentsdbcatchpoint.alert;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.opentsdbcatchpoint.push.PushException;
import org.opentsdbcatchpoint.push.WebhookGate;
import org.opentsdbcatchpoint.stats.Stats;
import org.opentsdbcatchpoint.web.AccessToken;
import org.opentsdbcatchpoint.web.Endpoint;
import org.opentsdbcatchpoint.web.Json;
import org.opentsdbcatchpoint.web.Request;
import org.opentsdbcatchpoint.web.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /plugin/catchpoint/alert}: Catchpoint's alert webhook. Each alert becomes OpenTSDB notes
 * ({@link AlertBook}) on the test's {@code catchpoint.run} series, on the node's when the alert names
 * one, and a global one. The push's contract: the push token, 400 for a body that is no alert, 503 on a
 * read-only TSD or when storage did not acknowledge every note within {@code push.ack_timeout_ms}, 200
 * only once they are stored. The work runs on the push's write threads, never on Netty's.
 */
public final class AlertReceiver implements Endpoint {
  private static final Logger LOG = LoggerFactory.getLogger(AlertReceiver.class);

  private final AlertDecoder decoder;
  private final AlertBook book;
  private final Annotations annotations;
  private final Function<String, Long> nodeByName;
  private final WebhookGate gate;
  private final long ackTimeoutMillis;
  private final Executor executor;
  private final ScheduledExecutorService timer;
  private final LongSupplier nanoClock;
  private final LongSupplier epochMillisClock;
  private final Stats stats;

  /**
   * @param nodeByName the node id of a node name (catalog, names the sources gave), or null
   * @param token null only when anonymous pushes were allowed explicitly
   * @param timer answers 503 at the deadline, whatever the write thread is waiting for
   */
  public AlertReceiver(AlertDecoder decoder, AlertBook book, Annotations annotations,
      Function<String, Long> nodeByName, AccessToken token, BooleanSupplier readOnly, long ackTimeoutMillis,
      Executor executor, ScheduledExecutorService timer, LongSupplier nanoClock, LongSupplier epochMillisClock,
      Stats stats) {
    this.decoder = decoder;
    this.book = book;
    this.annotations = annotations;
    this.nodeByName = nodeByName;
    this.gate = new WebhookGate("alert", "alerts", token, readOnly);
    this.ackTimeoutMillis = ackTimeoutMillis;
    this.executor = executor;
    this.timer = timer;
    this.nanoClock = nanoClock;
    this.epochMillisClock = epochMillisClock;
    this.stats = stats;
  }

  @Override
  public CompletableFuture<Response> handle(Request request) {
    long started = nanoClock.getAsLong();
    return gate.answer(request, r -> receive(r, started), this::error).whenComplete((r, t) -> {
      if (r != null) {
        stats.increment("catchpoint.alert.requests", "status", Integer.toString(r.status()));
      }
    });
  }

  private CompletableFuture<Response> receive(Request request, long started) throws PushException {
    Alert decoded = decoder.decode(request.body(), request.header("Content-Type"), epochMillisClock.getAsLong() / 1000);
    Long byName = decoded.nodeId == null && decoded.nodeName != null ? nodeByName.apply(decoded.nodeName) : null;
    Alert alert = byName != null ? decoded.withNodeId(byName) : decoded;
    stats.increment("catchpoint.alert.received", "level", alert.level.label());

    long deadline = started + TimeUnit.MILLISECONDS.toNanos(ackTimeoutMillis);
    CompletableFuture<Response> answer = new CompletableFuture<>();
    try {
      executor.execute(() -> answer.complete(store(alert, deadline)));
    } catch (RejectedExecutionException e) {
      throw new PushException(503, "busy", "the plugin's write queue is full; Catchpoint will retry", null);
    }
    try {
      timer.schedule(() -> {
        if (answer.complete(storageError("timeout", new PushException(503, "storage_timeout", "storage did not "
            + "acknowledge the alert's notes within push.ack_timeout_ms (" + ackTimeoutMillis + " ms); the retry is "
            + "safe", null)))) {
          LOG.warn("alert of test {}: its notes were not acknowledged within {} ms", alert.testId, ackTimeoutMillis);
        }
      }, Math.max(0, deadline - nanoClock.getAsLong()), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException stopping) {
      answer.complete(error(new PushException(503, "shutting_down", "the TSD is stopping", null)));
    }
    return answer;
  }

  /** On a write thread: finds the alert's series, then records it. */
  private Response store(Alert alert, long deadline) {
    try {
      Map<String, String> skipped = new LinkedHashMap<>();
      List<AlertBook.Target> targets = targets(alert, deadline, skipped);
      AlertBook.Recorded r = book.record(alert, targets, deadline);
      skipped.putAll(r.skipped);
      stats.add("catchpoint.alert.notes.written", r.notes.size());
      stats.increment("catchpoint.alert.actions", "action", r.action);
      return ok(alert, r, skipped);
    } catch (TimeoutException e) {
      return storageError("timeout", new PushException(503, "storage_timeout", "storage did not acknowledge the "
          + "alert's notes within push.ack_timeout_ms (" + ackTimeoutMillis + " ms); the retry is safe", null));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      LOG.warn("alert of test {}: storage failed its notes: {}", alert.testId, cause.toString());
      return storageError("error", new PushException(503, "storage_error", "storage did not store the alert's "
          + "notes (" + cause.getClass().getSimpleName() + "); the retry is safe", null));
    } catch (IOException e) {
      LOG.warn("alert of test {}: the plugin's table failed: {}", alert.testId, e.getMessage());
      return storageError("error", new PushException(503, "storage_error", "the plugin's table could not record the "
          + "alert (" + e.getClass().getSimpleName() + "); the retry is safe", null));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return error(new PushException(503, "shutting_down", "the TSD is stopping", null));
    } catch (RuntimeException e) {
      LOG.error("alert of test {}: unexpected failure", alert.testId, e);
      return Json.error(500, "internal_error", "unexpected " + e.getClass().getSimpleName()
          + " in the plugin; see the TSD log", null);
    }
  }

  /**
   * The test's {@code catchpoint.run} series, the node's when the alert names one, and the global notes.
   * A series the TSD has no names for yet (no run of it was ever written) gets no note, and the answer says so.
   */
  private List<AlertBook.Target> targets(Alert alert, long deadline, Map<String, String> skipped)
      throws ExecutionException, TimeoutException, InterruptedException {
    Map<String, String> testTags = Collections.singletonMap(Vocabulary.TAG_TEST_ID, Long.toString(alert.testId));
    CompletableFuture<String> test = annotations.series(Vocabulary.RUN, testTags);
    CompletableFuture<String> node = null;
    if (alert.nodeId != null) {
      Map<String, String> nodeTags = new LinkedHashMap<>(testTags);
      nodeTags.put(Vocabulary.TAG_NODE_ID, Long.toString(alert.nodeId));
      node = annotations.series(Vocabulary.RUN, nodeTags);
    } else if (alert.nodeName != null) {
      skipped.put("node", "the node " + alert.nodeName + " has no id the plugin knows (not in the node catalog, "
          + "never named by a run): the alert is on the test's series only");
    }
    List<AlertBook.Target> out = new ArrayList<>();
    add(out, skipped, "test", test, deadline, "the TSD has no catchpoint.run series of test " + alert.testId + " yet");
    if (node != null) {
      add(out, skipped, "node", node, deadline, "the TSD has no catchpoint.run series of test " + alert.testId
          + " on node " + alert.nodeId + " yet");
    }
    out.add(new AlertBook.Target("global", ""));
    return out;
  }

  private void add(List<AlertBook.Target> out, Map<String, String> skipped, String label,
      CompletableFuture<String> tsuid, long deadline, String whyNot)
      throws ExecutionException, TimeoutException, InterruptedException {
    String id = tsuid.get(Math.max(0, deadline - nanoClock.getAsLong()), TimeUnit.NANOSECONDS);
    if (id == null) {
      skipped.put(label, whyNot);
    } else {
      out.add(new AlertBook.Target(label, id));
    }
  }

  private static Response ok(Alert alert, AlertBook.Recorded r, Map<String, String> skipped) {
    ObjectNode body = Json.object();
    body.put("action", r.action);
    ObjectNode a = body.putObject("alert");
    a.put("test_id", alert.testId);
    if (alert.nodeId != null) {
      a.put("node_id", alert.nodeId);
    }
    if (alert.nodeName != null) {
      a.put("node_name", alert.nodeName);
    }
    a.put("level", alert.level.label());
    if (alert.alertType != null) {
      a.put("alert_type", alert.alertType);
    }
    a.put("time", alert.timeSeconds);
    if (!alert.timeGiven) {
      a.put("time_from", "arrival");
    }
    a.put("format", alert.format);
    ArrayNode notes = body.putArray("notes");
    for (Note n : r.notes) {
      ObjectNode o = notes.addObject();
      o.put("on", n.custom.getOrDefault("target", n.isGlobal() ? "global" : "series"));
      if (!n.isGlobal()) {
        o.put("tsuid", n.tsuid);
      }
      o.put("startTime", n.startSeconds);
      o.put("endTime", n.endSeconds);
      o.put("description", n.description);
    }
    if (!skipped.isEmpty()) {
      ObjectNode s = body.putObject("skipped");
      skipped.forEach(s::put);
    }
    return Json.response(200, body);
  }

  private Response storageError(String kind, PushException e) {
    stats.increment("catchpoint.alert.storage.errors", "kind", kind);
    return respond(e);
  }

  /** A refused alert: counted, and listed on the operator page with the refused pushes. */
  private Response error(PushException e) {
    stats.increment("catchpoint.alert.errors", "kind", e.kind());
    return respond(e);
  }

  private Response respond(PushException e) {
    stats.pushErrors().add(epochMillisClock.getAsLong(), e.status(), e.kind(), "alert: " + e.getMessage(), e.where());
    return Json.error(e.status(), e.kind(), e.getMessage(), e.where());
  }
}
