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
 * when no admin token is configured. {@code POST /plugin/catchpoint/pull/import?account&tests&from&to}
 * (admin token): import some tests' raw data over a past range ({@link Imports}); {@code GET
 * /plugin/catchpoint/pull/import[?id=]}: the imports and their progress.
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
    if ("import".equals(action)) {
      if ("GET".equals(request.method())) {
        return done(importStatus(request));
      }
      if (!"POST".equals(request.method())) {
        return done(Json.error(405, "method_not_allowed", "use POST for /pull/import to import, GET to see imports",
            "method"));
      }
      return done(importNow(request));
    }
    // The segment is not echoed: a mistyped URL can carry the admin token (/pull/run;token=SECRET).
    return done(Json.error(404, "not_found", "no such endpoint below /pull (try status, run or import)", "path"));
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
    Imports imports = pull.imports();
    body.set("imports", Json.MAPPER.valueToTree(imports == null ? java.util.Collections.emptyList() : imports.list()));
    return Json.response(200, body);
  }

  private Response importStatus(Request request) {
    Imports imports = pull.imports();
    if (imports == null) {
      return Json.error(503, "unavailable", "pulls have not started yet (the TSD is not ready), or no account", null);
    }
    String id = request.param("id");
    if (id == null || id.isEmpty()) {
      ObjectNode body = Json.object();
      body.set("imports", Json.MAPPER.valueToTree(imports.list()));
      return Json.response(200, body);
    }
    Map<String, Object> one = imports.get(id);
    if (one == null) {
      return Json.error(404, "not_found", "no import " + id, "id");
    }
    ObjectNode body = Json.object();
    body.set("import", Json.MAPPER.valueToTree(one));
    return Json.response(200, body);
  }

  private Response importNow(Request request) {
    Response refused = checkAdmin(request, "/pull/import");
    if (refused != null) {
      return refused;
    }
    Imports imports = pull.imports();
    if (imports == null) {
      return Json.error(503, "unavailable", "pulls have not started yet (the TSD is not ready), or no account", null);
    }
    String account = request.param("account");
    if (account == null || account.isEmpty()) {
      return Json.error(400, "bad_request", "name the account: account=NAME, one of " + pull.accounts(), "account");
    }
    java.util.List<Long> tests = new java.util.ArrayList<>();
    String list = request.param("tests");
    for (String part : list == null ? new String[0] : list.split(",")) {
      if (part.trim().isEmpty()) {
        continue;
      }
      try {
        tests.add(Long.parseLong(part.trim()));
      } catch (NumberFormatException e) {
        return Json.error(400, "bad_request", "tests is a list of test ids, not " + part.trim(), "tests");
      }
    }
    Long from = time(request.param("from"), false);
    if (from == null) {
      return Json.error(400, "bad_request", "from is a date (2026-11-01, from its midnight UTC), an ISO-8601 time or "
          + "epoch seconds", "from");
    }
    Long to = time(request.param("to"), true);
    if (to == null) {
      return Json.error(400, "bad_request", "to is a date (2026-11-30, up to the end of that day UTC), an ISO-8601 "
          + "time or epoch seconds (not included)", "to");
    }
    try {
      Imports.Submitted s = imports.submit(account, tests, request.param("type"), from, to, request.hasParam("again"));
      ObjectNode body = Json.object();
      body.put("created", s.created);
      body.put("message", s.message);
      body.set("import", Json.MAPPER.valueToTree(s.progress));
      return Json.response(s.created ? 202 : 200, body);
    } catch (Imports.Refused e) {
      return Json.error(e.status, e.kind, e.getMessage(), e.where);
    }
  }

  /**
   * A time of an import's range: a date means its midnight UTC, or (for the end of a range) the
   * midnight after it, so {@code from=2026-11-01&to=2026-11-30} is the whole of November; an ISO-8601
   * time or epoch seconds as given. Null when unreadable.
   */
  static Long time(String raw, boolean endOfDay) {
    if (raw == null || raw.trim().isEmpty()) {
      return null;
    }
    String v = raw.trim();
    if (v.matches("\\d{4}-\\d{2}-\\d{2}")) {
      try {
        java.time.LocalDate d = java.time.LocalDate.parse(v);
        return (endOfDay ? d.plusDays(1) : d).atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond();
      } catch (java.time.format.DateTimeParseException e) {
        return null;
      }
    }
    if (v.matches("\\d{1,12}")) {
      return Long.parseLong(v);
    }
    return RestTimes.seconds(v);
  }

  /** Null when the request carries the admin token; else the refusal. */
  private Response checkAdmin(Request request, String what) {
    if (adminToken == null) {
      return Json.error(403, "forbidden", "set tsd.plugin.catchpoint.pull.admin_token to allow " + what, null);
    }
    String given = request.header("X-Catchpoint-Admin-Token");
    AccessToken.Verdict v = adminToken.check(given != null ? given : request.param("token"));
    if (v != AccessToken.Verdict.OK) {
      return AccessToken.refusal(v, "the admin token as ?token=SECRET or header X-Catchpoint-Admin-Token");
    }
    return null;
  }

  private CompletableFuture<Response> run(Request request) {
    Response refused = checkAdmin(request, "/pull/run");
    if (refused != null) {
      return done(refused);
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
