package org.opentsdbcatchpoint.pull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.opentsdbcatchpoint.catalog.CatalogRefresher;
import org.opentsdbcatchpoint.web.AccessToken;
import org.opentsdbcatchpoint.web.Endpoint;
import org.opentsdbcatchpoint.web.Json;
import org.opentsdbcatchpoint.web.Request;
import org.opentsdbcatchpoint.web.Response;

/**
 * {@code GET /plugin/catchpoint/pull/status}: per account and test the cursor, lag, last success, last
 * error and next run. {@code POST /plugin/catchpoint/pull/run?account=a}: pull an account now; needs
 * the admin token ({@code ?token=} or the {@code X-Catchpoint-Admin-Token} header), and is refused
 * when no admin token is configured.
 */
public final class PullEndpoint implements Endpoint {
  private final PullService pull;
  private final CatalogRefresher catalog;
  private final AccessToken adminToken;
  private final Supplier<Map<String, Object>> sharing;

  /**
   * @param adminToken null or empty: {@code /pull/run} is refused
   * @param sharing how the pulls are shared among the TSDs: this TSD's mode and who holds which lease
   */
  public PullEndpoint(PullService pull, CatalogRefresher catalog, String adminToken,
      Supplier<Map<String, Object>> sharing) {
    this.pull = pull;
    this.catalog = catalog;
    this.adminToken = AccessToken.of(adminToken);
    this.sharing = sharing;
  }

  @Override
  public CompletableFuture<Response> handle(Request request) {
    String action = request.path().size() > 1 ? request.path().get(1) : "status";
    if ("status".equals(action)) {
      if (!"GET".equals(request.method())) {
        return done(Json.error(405, "method_not_allowed", "use GET for /pull/status", "method"));
      }
      return done(status());
    }
    if ("run".equals(action)) {
      if (!"POST".equals(request.method())) {
        return done(Json.error(405, "method_not_allowed", "use POST for /pull/run", "method"));
      }
      return run(request);
    }
    return done(Json.error(404, "not_found", "no such endpoint: /pull/" + action + " (try status or run)", "path"));
  }

  private Response status() {
    ObjectNode body = Json.object();
    body.put("started", pull.started());
    ArrayNode accounts = body.putArray("accounts");
    for (String a : pull.accounts()) {
      accounts.add(a);
    }
    ObjectNode lag = body.putObject("lag_seconds");
    for (Map.Entry<String, Long> e : pull.lagSeconds().entrySet()) {
      lag.put(e.getKey(), e.getValue());
    }
    body.set("sharing", Json.MAPPER.valueToTree(sharing.get()));
    ObjectNode catalog = body.putObject("catalog");
    catalog.put("size", this.catalog.size());
    long refreshed = this.catalog.lastSuccessMillis();
    if (refreshed > 0) {
      catalog.put("last_refresh", RestTimes.iso(refreshed / 1000));
    }
    if (this.catalog.lastError() != null) {
      catalog.put("last_error", this.catalog.lastError());
    }
    ArrayNode tests = body.putArray("tests");
    for (Map<String, Object> t : pull.status()) {
      tests.add(Json.MAPPER.valueToTree(t));
    }
    return Json.response(200, body);
  }

  private CompletableFuture<Response> run(Request request) {
    if (adminToken == null) {
      return done(Json.error(403, "forbidden", "set tsd.plugin.catchpoint.pull.admin_token to allow /pull/run", null));
    }
    String given = request.header("X-Catchpoint-Admin-Token");
    AccessToken.Verdict v = adminToken.check(given != null ? given : request.param("token"));
    if (v != AccessToken.Verdict.OK) {
      return done(AccessToken.refusal(v, "the admin token as ?token=SECRET or header X-Catchpoint-Admin-Token"));
    }
    String account = request.param("account");
    if (account == null || account.isEmpty()) {
      return done(Json.error(400, "bad_request", "name the account: ?account=NAME, one of " + pull.accounts(),
          "account"));
    }
    if (pull.accounts().contains(account) && pull.started() && !pull.pullsHere(account)) {
      String holder = pull.holder(account);
      return done(Json.error(409, "not_holder", "this TSD does not pull " + account + " now: "
          + (holder != null ? holder + " holds its lease; ask that TSD" : "no TSD holds its lease yet; it is taken "
          + "within a lease period"), "account"));
    }
    CompletableFuture<Boolean> ran = pull.runNow(account);
    if (ran == null) {
      return done(Json.error(404, "not_found", pull.started() ? "no pull account " + account + "; known: "
          + pull.accounts() : "pulls have not started yet (the TSD is not ready)", "account"));
    }
    if (!request.hasParam("wait")) {
      ObjectNode body = Json.object();
      body.put("account", account);
      body.put("started", true);
      body.put("message", "pulling now; see /plugin/catchpoint/pull/status (add &wait to wait for the end)");
      return done(Json.response(202, body));
    }
    return ran.thenApply(cycle -> {
      ObjectNode body = Json.object();
      body.put("account", account);
      body.put("ran", cycle);
      if (!cycle) {
        body.put("message", "a pull of this account was already running");
      }
      return Json.response(200, body);
    });
  }

  private static CompletableFuture<Response> done(Response r) {
    return CompletableFuture.completedFuture(r);
  }
}
