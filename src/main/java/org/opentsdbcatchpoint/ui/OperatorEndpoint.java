package org.opentsdbcatchpoint.ui;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.opentsdbcatchpoint.web.AccessToken;
import org.opentsdbcatchpoint.web.Endpoint;
import org.opentsdbcatchpoint.web.Json;
import org.opentsdbcatchpoint.web.Request;
import org.opentsdbcatchpoint.web.Response;

/**
 * The operator page at {@code /plugin/catchpoint/}: plain HTML, CSS and JavaScript from the jar (no
 * build step, no external asset), and the JSON it draws, {@code /plugin/catchpoint/ui/data}. With an
 * admin token configured, the page and its data need it ({@code ?token=} or the
 * {@code X-Catchpoint-Admin-Token} header); the stylesheet and the script hold no data and are served
 * to anyone.
 */
public final class OperatorEndpoint implements Endpoint {
  /** The page's files, by the path below /plugin/catchpoint. */
  private static final Map<String, String> FILES = new HashMap<>();

  static {
    FILES.put("", "text/html; charset=utf-8");
    FILES.put("index.html", "text/html; charset=utf-8");
    FILES.put("ui.css", "text/css; charset=utf-8");
    FILES.put("ui.js", "application/javascript; charset=utf-8");
  }

  /** The first path segments this endpoint answers. */
  public static final List<String> ROUTES = java.util.Arrays.asList("", "index.html", "ui.css", "ui.js", "ui");

  private final AccessToken adminToken;
  private final Supplier<ObjectNode> data;
  private final Map<String, byte[]> cache = new java.util.concurrent.ConcurrentHashMap<>();

  /** @param adminToken null: the page is open (as /health is) */
  public OperatorEndpoint(AccessToken adminToken, Supplier<ObjectNode> data) {
    this.adminToken = adminToken;
    this.data = data;
  }

  @Override
  public CompletableFuture<Response> handle(Request request) {
    if (!"GET".equals(request.method()) && !"HEAD".equals(request.method())) {
      return done(Json.error(405, "method_not_allowed", "the operator page takes GET", "method")
          .withHeader("Allow", "GET"));
    }
    List<String> path = request.path();
    String first = path.isEmpty() ? "" : path.get(0);
    if (first.equals("ui")) {
      if (path.size() != 2 || !path.get(1).equals("data")) {
        return done(Json.error(404, "not_found", "the operator page's data is /plugin/catchpoint/ui/data", "path"));
      }
      Response refused = refusal(request);
      return done(refused != null ? refused : Json.response(200, data.get()).withHeader("Cache-Control", "no-store"));
    }
    if (path.size() > 1) {
      return done(Json.error(404, "not_found", "no such file below /plugin/catchpoint/", "path"));
    }
    if (first.isEmpty() || first.equals("index.html")) {
      Response refused = refusal(request);
      if (refused != null) {
        return done(refused);
      }
    }
    if (!FILES.containsKey(first)) {
      // Only the page's own files: the rest of this package's resources (its classes) are not for the web.
      return done(Json.error(404, "not_found", "no such file below /plugin/catchpoint/", "path"));
    }
    byte[] body = file(first.isEmpty() ? "index.html" : first);
    if (body == null) {
      return done(Json.error(404, "not_found", "the operator page is not in this jar", "path"));
    }
    return done(new Response(200, body, FILES.get(first), Collections.<String, String>emptyMap())
        .withHeader("Cache-Control", "no-store"));
  }

  private Response refusal(Request request) {
    if (adminToken == null) {
      return null;
    }
    String given = request.header("X-Catchpoint-Admin-Token");
    AccessToken.Verdict v = adminToken.check(given != null ? given : request.param("token"));
    return v == AccessToken.Verdict.OK ? null
        : AccessToken.refusal(v, "the admin token (pull.admin_token) as ?token=SECRET or header X-Catchpoint-Admin-Token");
  }

  private byte[] file(String name) {
    return cache.computeIfAbsent(name, n -> {
      try (InputStream in = OperatorEndpoint.class.getResourceAsStream("/org/opentsdbcatchpoint/ui/" + n)) {
        if (in == null) {
          return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int r;
        while ((r = in.read(buf)) > 0) {
          out.write(buf, 0, r);
        }
        return out.toByteArray();
      } catch (IOException e) {
        return null;
      }
    });
  }

  private static CompletableFuture<Response> done(Response r) {
    return CompletableFuture.completedFuture(r);
  }
}
