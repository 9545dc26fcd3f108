package org.opentsdbcatchpoint.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.CatchpointService;
import org.opentsdbcatchpoint.PluginSettings;
import org.opentsdbcatchpoint.TestPlatform;
import org.opentsdbcatchpoint.config.Key;
import org.opentsdbcatchpoint.config.Settings;
import org.opentsdbcatchpoint.web.AccessToken;
import org.opentsdbcatchpoint.web.Json;
import org.opentsdbcatchpoint.web.Request;
import org.opentsdbcatchpoint.web.Response;

/** The operator page's routes: which need the admin token, what each serves, and what is not there. */
class OperatorEndpointTest {
  private static final String ADMIN = "admin-Token-42";
  private static final String HEADER = "X-Catchpoint-Admin-Token";

  private static ObjectNode data() {
    ObjectNode d = Json.object();
    d.put("plugin", "opentsdb-catchpoint");
    return d;
  }

  private final OperatorEndpoint guarded = new OperatorEndpoint(AccessToken.of(ADMIN), OperatorEndpointTest::data);
  private final OperatorEndpoint open = new OperatorEndpoint(null, OperatorEndpointTest::data);

  /** A request: path segments, then query pairs; a pair named by HEADER goes into the headers. */
  private static Request request(String method, List<String> path, String... pairs) {
    Map<String, List<String>> params = new HashMap<>();
    Map<String, String> headers = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i].equals(HEADER)) {
        headers.put(HEADER.toLowerCase(), pairs[i + 1]);
      } else {
        params.put(pairs[i], Collections.singletonList(pairs[i + 1]));
      }
    }
    return new Request(method, path, params, name -> headers.get(name.toLowerCase()), null);
  }

  private static Response get(OperatorEndpoint e, String path, String... pairs) throws Exception {
    List<String> segments = path.isEmpty() ? Collections.<String>emptyList() : Arrays.asList(path.split("/"));
    return e.handle(request("GET", segments, pairs)).get(5, TimeUnit.SECONDS);
  }

  private static String kind(Response r) throws Exception {
    return Json.MAPPER.readTree(r.bodyText()).path("error").path("kind").asText();
  }

  @Test
  void thePageNeedsTheTokenWhenOneIsConfigured() throws Exception {
    for (String page : Arrays.asList("", "index.html")) {
      Response none = get(guarded, page);
      assertEquals(401, none.status(), page);
      assertEquals("missing_token", kind(none));
      assertEquals(403, get(guarded, page, "token", ADMIN + "x").status(), page);

      Response byParam = get(guarded, page, "token", ADMIN);
      assertEquals(200, byParam.status(), page);
      assertEquals("text/html; charset=utf-8", byParam.contentType());
      assertTrue(byParam.bodyText().contains("js.src = 'ui.js'"), byParam::bodyText);
      assertEquals(200, get(guarded, page, HEADER, ADMIN).status(), page);
    }
  }

  @Test
  void theStylesheetAndTheScriptHoldNoDataAndNeedNoToken() throws Exception {
    Response css = get(guarded, "ui.css");
    assertEquals(200, css.status());
    assertEquals("text/css; charset=utf-8", css.contentType());
    Response js = get(guarded, "ui.js");
    assertEquals(200, js.status());
    assertEquals("application/javascript; charset=utf-8", js.contentType());
    // The script sends the page's token as the header when it fetches the data, relative to the page.
    assertTrue(js.bodyText().contains("'" + HEADER + "'"), "ui.js must send " + HEADER);
    assertTrue(js.bodyText().contains("fetch('ui/data'"), "ui.js must fetch ui/data relative to the page");
  }

  @Test
  void theDataNeedsTheToken() throws Exception {
    assertEquals(401, get(guarded, "ui/data").status());
    assertEquals(403, get(guarded, "ui/data", HEADER, "nope").status());
    Response ok = get(guarded, "ui/data", HEADER, ADMIN);
    assertEquals(200, ok.status());
    assertEquals("no-store", ok.headers().get("Cache-Control"));
    assertEquals("opentsdb-catchpoint", Json.MAPPER.readTree(ok.bodyText()).path("plugin").asText());
    assertEquals(200, get(guarded, "ui/data", "token", ADMIN).status());
  }

  @Test
  void withoutAConfiguredTokenThePageAndItsDataAreOpen() throws Exception {
    assertEquals(200, get(open, "").status());
    assertEquals(200, get(open, "ui/data").status());
  }

  @Test
  void unknownFilesAre404EvenWithTheToken() throws Exception {
    // OperatorData.class sits beside the page's files in the jar: only the page's own files are served.
    for (String path : Arrays.asList("nope.js", "OperatorData.class", "OperatorEndpoint.class", "ui", "ui/other",
        "ui/data/more", "ui.js/x", "index.html/x")) {
      Response r = get(open, path, HEADER, ADMIN);
      assertEquals(404, r.status(), path);
      assertEquals("not_found", kind(r), path);
    }
  }

  @Test
  void onlyGetAndHead() throws Exception {
    Response post = guarded.handle(request("POST", Collections.singletonList("ui.js"))).get(5, TimeUnit.SECONDS);
    assertEquals(405, post.status());
    assertEquals("GET", post.headers().get("Allow"));
    assertEquals(200, guarded.handle(request("HEAD", Collections.singletonList("ui.css"))).get(5, TimeUnit.SECONDS)
        .status());
  }

  /** Nothing from outside the jar: every address in the page's files is relative (the SVG namespace is a name). */
  @Test
  void thePageLoadsNothingFromOutsideTheJar() throws Exception {
    Pattern external = Pattern.compile("(https?:)?//[A-Za-z0-9.-]+\\.[A-Za-z]{2,}[^\\s'\"]*");
    for (String file : Arrays.asList("index.html", "ui.css", "ui.js")) {
      String text = get(open, file).bodyText();
      List<String> found = new ArrayList<>();
      Matcher m = external.matcher(text);
      while (m.find()) {
        if (!m.group().equals("http://www.w3.org/2000/svg")) {
          found.add(m.group());
        }
      }
      assertEquals(Collections.emptyList(), found, file + " refers to addresses outside the jar");
      assertFalse(text.contains("@import"), file);
    }
  }

  /** The service routes /plugin/catchpoint/ and the page's files to this endpoint, behind pull.admin_token. */
  @Test
  void theServiceServesThePageBehindTheAdminToken() throws Exception {
    Map<String, String> m = new HashMap<>();
    m.put(Key.PREFIX + "push.token", "push-secret-0123456789");
    m.put(Key.PREFIX + "pull.admin_token", ADMIN);
    CatchpointService service = new CatchpointService(PluginSettings.from(Settings.of(m)),
        TestPlatform.of(p -> CompletableFuture.completedFuture(null)));
    try {
      assertEquals(401, service.handle(request("GET", Collections.<String>emptyList())).get(5, TimeUnit.SECONDS)
          .status());
      assertEquals(200, service.handle(request("GET", Collections.<String>emptyList(), "token", ADMIN))
          .get(5, TimeUnit.SECONDS).status());
      assertEquals(200, service.handle(request("GET", Collections.singletonList("ui.js")))
          .get(5, TimeUnit.SECONDS).status());
      Response data = service.handle(request("GET", Arrays.asList("ui", "data"), HEADER, ADMIN))
          .get(5, TimeUnit.SECONDS);
      assertEquals(200, data.status());
      JsonNode d = Json.MAPPER.readTree(data.bodyText());
      assertEquals("****", d.path("config").path("pull.admin_token").asText(), "the token is masked");
      assertFalse(data.bodyText().contains(ADMIN), "the admin token is shown");
      assertEquals(404, service.handle(request("GET", Collections.singletonList("favicon.ico")))
          .get(5, TimeUnit.SECONDS).status());
    } finally {
      service.shutdown();
    }
  }
}
