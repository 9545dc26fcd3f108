package org.opentsdbcatchpoint.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Dispatches {@code /plugin/catchpoint/<route>/...} to endpoints. OpenTSDB mounts a plugin on one
 * path segment, so the plugin routes its own sub-paths. Any exception an endpoint throws becomes a
 * JSON 500, never a dropped connection.
 */
public final class Router implements Endpoint {
  private final Map<String, Endpoint> routes = new LinkedHashMap<>();

  public Router route(String firstSegment, Endpoint endpoint) {
    routes.put(firstSegment, endpoint);
    return this;
  }

  @Override
  public CompletableFuture<Response> handle(Request request) {
    String first = request.path().isEmpty() ? "" : request.path().get(0);
    Endpoint e = routes.get(first);
    if (e == null) {
      // The unknown segment is not echoed: it can carry the push token (/push;token=SECRET, /push%2FSECRET).
      return CompletableFuture.completedFuture(Json.error(404, "not_found",
          "no such endpoint below /plugin/catchpoint (try one of " + routes.keySet() + ")", "path"));
    }
    try {
      CompletableFuture<Response> f = e.handle(request);
      return f.exceptionally(Router::internalError);
    } catch (RuntimeException ex) {
      return CompletableFuture.completedFuture(internalError(ex));
    }
  }

  private static Response internalError(Throwable t) {
    return Json.error(500, "internal_error", "unexpected " + t.getClass().getSimpleName()
        + " in the plugin; see the TSD log", null);
  }
}
