package org.opentsdbcatchpoint.push;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.opentsdbcatchpoint.web.AccessToken;
import org.opentsdbcatchpoint.web.Request;
import org.opentsdbcatchpoint.web.Response;

/**
 * What a Catchpoint webhook route ({@code /push}, {@code /alert}) asks of a request before reading its
 * body: a POST, no path below the route but the token's, the push token ({@code /route/SECRET} or
 * {@code ?token=SECRET}: no token is 401, a wrong one 403), and a TSD that takes writes. One rule for
 * both webhooks, so a sender sees the same answers from each.
 */
public final class WebhookGate {
  private final String route;
  private final String what;
  /** Null only when anonymous pushes were allowed explicitly. */
  private final AccessToken token;
  private final BooleanSupplier readOnly;

  /**
   * @param route the route's segment ({@code push})
   * @param what what the route takes, plural, for messages ({@code pushes})
   */
  public WebhookGate(String route, String what, AccessToken token, BooleanSupplier readOnly) {
    this.route = route;
    this.what = what;
    this.token = token;
    this.readOnly = readOnly;
  }

  /** How a route reads a request the gate let through. */
  public interface Receiver {
    CompletableFuture<Response> receive(Request request) throws PushException;
  }

  /**
   * The answer to a request: the receiver's, or the route's error answer ({@code refusal}, which counts
   * it) to what the gate or the receiver refused.
   */
  public CompletableFuture<Response> answer(Request request, Receiver receiver,
      Function<PushException, Response> refusal) {
    CompletableFuture<Response> answer;
    try {
      admit(request);
      answer = receiver.receive(request);
    } catch (PushException e) {
      Response r = refusal.apply(e);
      answer = CompletableFuture.completedFuture(e.status() == 405 ? r.withHeader("Allow", "POST") : r);
    }
    return answer;
  }

  /** Throws what to answer a request that must not be read. */
  void admit(Request request) throws PushException {
    if (!"POST".equals(request.method())) {
      throw new PushException(405, "method_not_allowed", "the " + route + " endpoint takes POST, not "
          + request.method(), "method");
    }
    List<String> path = request.path();
    if (path.size() > 2) {
      throw new PushException(404, "not_found", "unknown path below /plugin/catchpoint/" + route, "path");
    }
    AccessToken.Verdict v = token == null ? AccessToken.Verdict.OK
        : token.check(path.size() == 2 ? path.get(1) : request.param("token"));
    if (v != AccessToken.Verdict.OK) {
      throw new PushException(v.status, v.kind, v == AccessToken.Verdict.MISSING
          ? "a push token is required: /plugin/catchpoint/" + route + "?token=SECRET or /plugin/catchpoint/" + route
              + "/SECRET"
          : "the push token is not valid", "token");
    }
    if (readOnly.getAsBoolean()) {
      throw new PushException(503, "read_only", "this TSD is read-only (tsd.mode=ro): send " + what
          + " to a read-write TSD", null);
    }
  }
}
