import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.opentsdbcatchpoint.synthetic.RawAnswerJson;
import org.opentsdbcatchpoint.synthetic.SyntheticRuns;

/**
 * A fake Catchpoint for trying the plugin's REST pulls without an account, and for the end-to-end
 * tests: the shapes of shared/catchpoint/PROTOCOL.md, with synthetic data about NOW. JDK only; its runs
 * and their JSON come from integration-tests/stack/java (SyntheticRuns, RawAnswerJson), which the benchmark
 * compiles too, so it is compiled with those (integration-tests/tsd.sh does it when FAKE_CATCHPOINT=1):
 *
 * <pre>
 * javac -d /tmp/fake-catchpoint integration-tests/stack/FakeCatchpoint.java \
 *     integration-tests/stack/java/org/opentsdbcatchpoint/synthetic/*.java
 * java -cp /tmp/fake-catchpoint FakeCatchpoint --port 4280 --nodes plugin-config/nodes-sample.json
 * </pre>
 *
 * <p>Options: {@code --port N} (4280), {@code --bind ADDR} (127.0.0.1), {@code --nodes FILE} (a v1
 * /nodes answer; default plugin-config/nodes-sample.json), {@code --client-id}/{@code --client-secret}
 * (v1 credentials, fake-client / fake-secret), {@code --api-key} (v2, fake-api-key), {@code --types
 * ID:TYPE,...} (test types; any test not listed is a web test; types: web, ping, traceroute),
 * {@code --token-ttl SECONDS} (1800), {@code --v2-max-records N} (5000: a larger window answers
 * hasMoreRecords).
 *
 * <p><b>Data</b> (SyntheticRuns). Every test has, on every node of the node file, one run per minute at
 * second {@code node id % 60}. Its values are a function of (test, node, minute) only, so any run can be
 * computed again: {@code GET /__fake/runs?test=ID&from=EPOCH&to=EPOCH} lists them with their
 * columns. A run exists once its time has come (nothing in the future). Web runs have the columns of
 * the fixture rest-v1-raw-web.json ({@code "DNS (ms)"}, {@code "# Connections"}, {@code "% Downtime"},
 * ...), with {@code "SSL (ms)"} and {@code "Document Complete (ms)"} null now and then; ping runs have
 * {@code "Ping Round Trip (ms)"} and {@code "% Ping Packet Loss"}; traceroute runs have three hops of
 * those two columns.
 *
 * <p><b>API.</b> v1 under {@code /ui/api}: {@code POST /token} (client credentials), {@code GET
 * /v1/nodes} (the node file as it is), {@code GET /v1/performance/raw?tests=ID,ID} (LastRaw: the last 15
 * minutes; tests of one type) and {@code GET /v1/performance/raw/ID?startTime&endTime}; the bearer is
 * the token, base64-encoded or raw. v2 under {@code /api/v2}: {@code GET
 * /tests/explorer/raw?testIds&startTimeUtc&endTimeUtc} (default the last hour) and {@code GET
 * /nodes/all?pageNumber&pageSize}; the bearer is the API key. Window bounds are inclusive, as the real
 * API's may be.
 *
 * <p><b>Control</b> (for tests; {@code api=v1|v2} limits a control to one API, default both):
 * <ul>
 *   <li>{@code POST /__fake/down?seconds=N[&api=]}: answer 503 for N seconds ({@code seconds=0}: up again)
 *   <li>{@code POST /__fake/slow?ms=N[&api=]}: raw answers wait N ms first (0: no wait)
 *   <li>{@code POST /__fake/throttle?count=N&retry_after=S[&api=]}: the next N raw requests get 429
 *   <li>{@code POST /__fake/expire-tokens[?as=401]}: every v1 token issued so far is expired (answered
 *       200 with {@code {"Message":"Expired token"}}, or 401)
 *   <li>{@code POST /__fake/big?bytes=N[&test=ID][&values_every=K]}: the next raw answer (for that test)
 *       is padded to at least N bytes with rows inside its window, generated as it is sent (never held):
 *       all-null rows, except that every K-th one repeats a real run of the window, values and all (the
 *       same cells again, so storage works too without the data changing)
 *   <li>{@code POST /__fake/fault?kinds=K,K,...[&times=N][&test=ID][&trickle_ms=MS][&api=]}: the next raw
 *       answers (for that test) misbehave, one kind each, in order (the list {@code times} over), then
 *       answers are normal again. Kinds: {@code garbage} (200, JSON content type, a body that is not JSON),
 *       {@code html} (200 text/html, a login page), {@code truncated} (a Content-Length of the whole answer,
 *       half of it sent, then the connection closed), {@code chunk-cut} (chunked, cut mid-JSON without the
 *       last chunk), {@code endless} (200, chunked: the real runs, then rows without values for ever, until
 *       the client leaves), {@code trickle} (the real answer a byte every {@code trickle_ms}, 1000), {@code
 *       none} (a normal answer, to interleave). {@code /__fake/requests} counts them ({@code fault_KIND}) and
 *       what the endless and trickling answers sent before the client left ({@code endless_chars},
 *       {@code trickle_bytes})
 *   <li>{@code POST /__fake/reset}: up, not slow, not throttled, no big answer or fault armed
 *   <li>{@code GET /__fake/requests}: counts of requests by kind and test, the characters of the raw
 *       answers sent ({@code raw_chars_v1}, {@code raw_chars_v2}; bytes too, where node names are ASCII), and
 *       the last 50 raw requests
 *       ({@code "SERIAL TIME METHOD URI"}, SERIAL counting every raw request)
 *   <li>{@code GET /__fake/runs?test=ID&from=S&to=S}: the runs the fake serves (or will serve, once their
 *       time has come) between two times, inclusive, by column name; {@code &count} answers only how many
 *       (any range: the runs are counted, never listed)
 *   <li>{@code GET /__fake/windows?test=ID}: the windows of the raw answers served with data for that test
 *       ({@code [start, end]} epoch seconds, as asked), the last 5,000, in order
 * </ul>
 */
public final class FakeCatchpoint {
  static final long LAST_RAW_SECONDS = 15 * 60;

  // Configuration.
  final String clientId;
  final String clientSecret;
  final String apiKey;
  final long tokenTtl;
  final int v2MaxRecords;
  final byte[] nodesV1;
  /** By the second of the minute they run at, so that the runs of a window come in time order. */
  final List<Map<String, Object>> nodes = new ArrayList<>();
  /** The ids of {@link #nodes}, in the same order. */
  final long[] nodeIds;
  final Map<Long, String> types = new ConcurrentHashMap<>();

  // Control state, per API ("v1", "v2").
  final Map<String, Long> downUntilMillis = new ConcurrentHashMap<>();
  final Map<String, Long> slowMillis = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> throttled = new ConcurrentHashMap<>();
  final Map<String, Long> throttleRetryAfter = new ConcurrentHashMap<>();
  volatile boolean expiredAs401;
  volatile long bigBytes;
  volatile Long bigTest;
  volatile int bigValuesEvery;
  /** Per API, the faults the next raw answers take, one each, in order (see /__fake/fault). */
  final Map<String, Deque<String>> faults = new ConcurrentHashMap<>();
  final Map<String, Long> faultTest = new ConcurrentHashMap<>();
  volatile long trickleMillis = 1000;
  static final List<String> FAULTS = List.of("none", "garbage", "html", "truncated", "chunk-cut", "endless", "trickle");

  // v1 tokens: the valid ones and the ones that expired (told apart: an unknown token is a 401).
  final Map<String, Long> tokens = new ConcurrentHashMap<>();
  final Set<String> expired = ConcurrentHashMap.newKeySet();
  final AtomicLong tokenSerial = new AtomicLong();

  // What was asked.
  final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  final Map<Long, AtomicLong> rawByTest = new ConcurrentHashMap<>();
  final Deque<String> recent = new ArrayDeque<>();
  /** Per test, the windows of the raw answers served (not the 429s or 503s), the last MAX_WINDOWS_KEPT. */
  final Map<Long, Deque<long[]>> windowsByTest = new ConcurrentHashMap<>();
  static final int MAX_WINDOWS_KEPT = 5000;
  final AtomicLong rawSerial = new AtomicLong();

  FakeCatchpoint(Map<String, String> opts) throws IOException {
    clientId = opts.getOrDefault("client-id", "fake-client");
    clientSecret = opts.getOrDefault("client-secret", "fake-secret");
    apiKey = opts.getOrDefault("api-key", "fake-api-key");
    tokenTtl = Long.parseLong(opts.getOrDefault("token-ttl", "1800"));
    v2MaxRecords = Integer.parseInt(opts.getOrDefault("v2-max-records", "5000"));
    Path nodeFile = Paths.get(opts.getOrDefault("nodes", "plugin-config/nodes-sample.json"));
    nodesV1 = Files.readAllBytes(nodeFile);
    Object parsed = new Json(new String(nodesV1, StandardCharsets.UTF_8)).value();
    for (Object o : list(map(parsed).get("items"))) {
      nodes.add(map(o));
    }
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException(nodeFile + " lists no node under \"items\"");
    }
    nodes.sort((a, b) -> Long.compare(SyntheticRuns.secondOfMinute(id(a)), SyntheticRuns.secondOfMinute(id(b))));
    nodeIds = nodes.stream().mapToLong(FakeCatchpoint::id).toArray();
    String t = opts.getOrDefault("types", "");
    for (String part : t.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      String[] kv = part.trim().split(":");
      String type = kv[1].trim().toLowerCase(Locale.ROOT);
      if (!SyntheticRuns.isType(type)) {
        throw new IllegalArgumentException("--types: " + type + " is not web, ping or traceroute");
      }
      types.put(Long.parseLong(kv[0].trim()), type);
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        System.err.println("usage: java FakeCatchpoint.java [--port N] [--bind ADDR] [--nodes FILE] [--client-id ID] "
            + "[--client-secret S] [--api-key K] [--types ID:TYPE,...] [--token-ttl S] [--v2-max-records N]");
        System.exit(2);
      }
      opts.put(args[i].substring(2), args[++i]);
    }
    FakeCatchpoint fake = new FakeCatchpoint(opts);
    int port = Integer.parseInt(opts.getOrDefault("port", "4280"));
    InetAddress bind = InetAddress.getByName(opts.getOrDefault("bind", "127.0.0.1"));
    HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 64);
    server.createContext("/", fake::handle);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.start();
    log("listening on http://" + bind.getHostAddress() + ":" + port + " with " + fake.nodes.size()
        + " nodes; v1 client_id=" + fake.clientId + ", v2 api key set; base URLs: http://" + bind.getHostAddress()
        + ":" + port + "/ui/api (v1), http://" + bind.getHostAddress() + ":" + port + "/api/v2 (v2)");
  }

  static void log(String s) {
    System.out.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " fake-catchpoint: " + s);
  }

  // -----------------------------------------------------------------------------------------------
  // Routing
  // -----------------------------------------------------------------------------------------------

  void handle(HttpExchange x) throws IOException {
    boolean cut = false;
    try {
      String path = x.getRequestURI().getPath();
      Map<String, String> q = query(x.getRequestURI().getRawQuery());
      String method = x.getRequestMethod();
      if (path.startsWith("/__fake/")) {
        control(x, method, path.substring("/__fake/".length()), q);
        return;
      }
      count("total");
      String api = path.startsWith("/ui/api/") ? "v1" : path.startsWith("/api/v2/") ? "v2" : null;
      if (api == null) {
        send(x, 404, "{\"Message\":\"No HTTP resource was found that matches the request URI.\"}");
        return;
      }
      Long down = downUntilMillis.get(api);
      if (down != null && System.currentTimeMillis() < down) {
        count("answered_503");
        drain(x);
        send(x, 503, "{\"Message\":\"The service is temporarily unavailable.\"}");
        return;
      }
      if (api.equals("v1")) {
        v1(x, method, path.substring("/ui/api".length()), q);
      } else {
        v2(x, method, path.substring("/api/v2".length()), q);
      }
    } catch (Cut c) {
      // The connection is dropped mid-answer: no final chunk, or fewer bytes than the Content-Length said.
      log("cut the answer to " + x.getRequestURI() + " short: " + c.getMessage());
      cut = true;
      throw c;
    } catch (RuntimeException e) {
      log("500 for " + x.getRequestURI() + ": " + e);
      send(x, 500, "{\"Message\":" + RawAnswerJson.quote("fake: " + e) + "}");
    } finally {
      if (!cut) {
        x.close();
      }
    }
  }

  /** Thrown out of the handler to make the server close the connection at once (its handling of a failed exchange). */
  static final class Cut extends RuntimeException {
    Cut(String why) {
      super(why);
    }
  }

  void v1(HttpExchange x, String method, String path, Map<String, String> q) throws IOException {
    if (path.equals("/token")) {
      count("token");
      if (!method.equals("POST")) {
        send(x, 405, "{\"Message\":\"use POST\"}");
        return;
      }
      Map<String, String> form = query(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      if (!"client_credentials".equals(form.get("grant_type"))) {
        send(x, 400, "{\"error\":\"unsupported_grant_type\"}");
        return;
      }
      if (!clientId.equals(form.get("client_id")) || !clientSecret.equals(form.get("client_secret"))) {
        send(x, 401, "{\"error\":\"invalid_client\"}");
        return;
      }
      String token = "fake-token-" + tokenSerial.incrementAndGet() + "-" + Long.toHexString(System.nanoTime());
      tokens.put(token, System.currentTimeMillis() + tokenTtl * 1000);
      send(x, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"bearer\",\"expires_in\":" + tokenTtl + "}");
      return;
    }
    drain(x);
    String auth = v1Token(x);
    if (auth == null) {
      count("unauthorized");
      send(x, 401, "{\"Message\":\"Authorization has been denied for this request.\"}");
      return;
    }
    if (auth.equals("expired")) {
      count("expired");
      send(x, expiredAs401 ? 401 : 200, "{\"Message\":\"Expired token\"}");
      return;
    }
    if (path.equals("/v1/nodes")) {
      count("nodes");
      send(x, 200, nodesV1);
      return;
    }
    if (path.equals("/v1/performance/raw")) {
      List<Long> tests = ids(q.get("tests"));
      if (tests.isEmpty()) {
        send(x, 400, "{\"Message\":\"tests is required\"}");
        return;
      }
      long now = nowSeconds();
      v1Raw(x, tests, now - LAST_RAW_SECONDS, now);
      return;
    }
    if (path.startsWith("/v1/performance/raw/")) {
      List<Long> tests = ids(path.substring("/v1/performance/raw/".length()));
      long now = nowSeconds();
      Long start = q.containsKey("startTime") ? time(q.get("startTime")) : Long.valueOf(now - LAST_RAW_SECONDS);
      Long end = q.containsKey("endTime") ? time(q.get("endTime")) : Long.valueOf(now);
      if (tests.size() != 1 || start == null || end == null || end < start) {
        send(x, 400, "{\"Message\":\"expected /raw/ID?startTime=ISO&endTime=ISO\"}");
        return;
      }
      v1Raw(x, tests, start, end);
      return;
    }
    send(x, 404, "{\"Message\":\"No HTTP resource was found that matches the request URI.\"}");
  }

  /** The valid token of the request, "expired" for a token that expired, null for none or an unknown one. */
  String v1Token(HttpExchange x) {
    String h = x.getRequestHeaders().getFirst("Authorization");
    if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String given = h.substring(7).trim();
    String decoded = null;
    try {
      decoded = new String(Base64.getDecoder().decode(given), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException notBase64) {
      // a raw bearer
    }
    for (String candidate : new String[] {given, decoded}) {
      if (candidate == null) {
        continue;
      }
      if (expired.contains(candidate)) {
        return "expired";
      }
      Long until = tokens.get(candidate);
      if (until != null) {
        if (System.currentTimeMillis() >= until) {
          tokens.remove(candidate);
          expired.add(candidate);
          return "expired";
        }
        return candidate;
      }
    }
    return null;
  }

  void v2(HttpExchange x, String method, String path, Map<String, String> q) throws IOException {
    drain(x);
    String h = x.getRequestHeaders().getFirst("Authorization");
    if (h == null || !h.equals("Bearer " + apiKey)) {
      count("unauthorized");
      send(x, 401, "{\"data\":null,\"messages\":[],\"errors\":[{\"id\":\"unauthorized\",\"message\":"
          + "\"Invalid API key.\"}],\"completed\":false,\"traceId\":\"" + traceId() + "\"}");
      return;
    }
    if (path.equals("/nodes/all")) {
      count("nodes");
      int page = Math.max(1, intParam(q, "pageNumber", 1));
      int size = Math.max(1, Math.min(1000, intParam(q, "pageSize", 100)));
      int from = Math.min(nodes.size(), (page - 1) * size);
      int to = Math.min(nodes.size(), from + size);
      StringBuilder b = new StringBuilder("{\"data\":{\"nodes\":[");
      for (int i = from; i < to; i++) {
        if (i > from) {
          b.append(',');
        }
        Json.write(b, v2Node(nodes.get(i)));
      }
      b.append("],\"hasMore\":").append(to < nodes.size()).append("},\"messages\":[],\"errors\":[],")
          .append("\"completed\":true,\"traceId\":\"").append(traceId()).append("\"}");
      send(x, 200, b.toString());
      return;
    }
    if (path.equals("/tests/explorer/raw")) {
      List<Long> tests = ids(q.get("testIds"));
      long now = nowSeconds();
      Long start = q.containsKey("startTimeUtc") ? time(q.get("startTimeUtc")) : Long.valueOf(now - 3600);
      Long end = q.containsKey("endTimeUtc") ? time(q.get("endTimeUtc")) : Long.valueOf(now);
      if (tests.isEmpty() || start == null || end == null || end < start) {
        send(x, 400, "{\"data\":null,\"messages\":[],\"errors\":[{\"id\":\"bad_request\",\"message\":"
            + "\"testIds, startTimeUtc and endTimeUtc are required\"}],\"completed\":false}");
        return;
      }
      v2Raw(x, tests, start, end);
      return;
    }
    send(x, 404, "{\"data\":null,\"messages\":[],\"errors\":[{\"id\":\"not_found\",\"message\":\"no such "
        + "endpoint\"}],\"completed\":false}");
  }

  // -----------------------------------------------------------------------------------------------
  // Raw data
  // -----------------------------------------------------------------------------------------------

  /** One run: a test on a node at a time, its values by column (null: no value), per hop for traceroute. */
  record Run(long test, Map<String, Object> node, long time, String type, int hop, Double[] values) {}

  String typeOf(long test) {
    return types.getOrDefault(test, SyntheticRuns.WEB);
  }

  /**
   * Calls back every run of the tests whose time lies in [start, end] and has come, by time, then node,
   * then test (then hop).
   */
  void runs(List<Long> tests, long start, long end, RunConsumer out) throws IOException {
    runs(tests, start, end, false, out);
  }

  /** @param future true: also the runs whose time has not come yet (for the oracle, never for the API) */
  void runs(List<Long> tests, long start, long end, boolean future, RunConsumer out) throws IOException {
    SyntheticRuns.Window w = window(tests, start, end, future);
    while (w.next()) {
      out.accept(new Run(w.test(), nodes.get(w.nodeIndex()), w.time(), w.type(), w.hop(), w.values()));
    }
  }

  SyntheticRuns.Window window(List<Long> tests, long start, long end, boolean future) {
    return new SyntheticRuns.Window(nodeIds, tests, this::typeOf, start, future ? end : Math.min(end, nowSeconds()));
  }

  interface RunConsumer {
    void accept(Run run) throws IOException;
  }

  /** Counts the rows of a window without building them. */
  long rowCount(List<Long> tests, long start, long end) {
    SyntheticRuns.Window w = window(tests, start, end, false);
    long n = 0;
    while (w.next()) {
      n++;
    }
    return n;
  }

  /**
   * Null when the raw request was answered already (throttled); else how to answer it: "none" normally,
   * or the fault it takes (armed by /__fake/fault).
   */
  String rawPreamble(HttpExchange x, String api, List<Long> tests) throws IOException {
    count("raw");
    count("raw_" + api);
    for (Long t : tests) {
      rawByTest.computeIfAbsent(t, k -> new AtomicLong()).incrementAndGet();
    }
    long seq = rawSerial.incrementAndGet();
    log("raw #" + seq + ": " + x.getRequestMethod() + " " + x.getRequestURI());
    synchronized (recent) {
      recent.addLast(seq + " " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + x.getRequestMethod() + " "
          + x.getRequestURI());
      while (recent.size() > 50) {
        recent.removeFirst();
      }
    }
    AtomicInteger left = throttled.get(api);
    if (left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      count("answered_429");
      long retry = throttleRetryAfter.getOrDefault(api, 1L);
      x.getResponseHeaders().set("Retry-After", Long.toString(retry));
      send(x, 429, api.equals("v2")
          ? "{\"data\":null,\"messages\":[],\"errors\":[{\"id\":\"usage_limit\",\"message\":\"Request rate limit "
              + "exceeded for this consumer.\"}],\"completed\":false,\"traceId\":\"" + traceId() + "\","
              + "\"usageLimits\":{\"clientId\":22,\"limits\":{\"minute\":20,\"hour\":500,\"day\":2000},"
              + "\"runs\":{\"minute\":21,\"hour\":40,\"day\":40},\"exceededMessage\":\"Minute limit exceeded\"}}"
          : "{\"Message\":\"Too many requests\"}");
      return null;
    }
    long slow = slowMillis.getOrDefault(api, 0L);
    if (slow > 0) {
      try {
        Thread.sleep(slow);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return takeFault(api, tests);
  }

  /** The fault of the next raw answer of an API (for the armed test, if one was given): "none" when none. */
  String takeFault(String api, List<Long> tests) {
    Deque<String> d = faults.get(api);
    if (d == null) {
      return "none";
    }
    synchronized (d) {
      Long test = faultTest.get(api);
      if (d.isEmpty() || (test != null && test >= 0 && !tests.contains(test))) {
        return "none";
      }
      String f = d.removeFirst();
      count("fault_" + f);
      return f;
    }
  }

  /**
   * Answers a raw request with a fault, the answer's real JSON in {@code body} where the fault needs it
   * (truncated, chunk-cut, trickle); false for "none" and "endless", which the normal path sends.
   */
  boolean answerFault(HttpExchange x, String fault, byte[] body) throws IOException {
    switch (fault) {
      case "garbage" -> {
        byte[] g = "\u0000\u0001<<garbage>> {\"ResponseItems\": [ not JSON at all \\\"\n".getBytes(StandardCharsets.UTF_8);
        send(x, 200, g);
        return true;
      }
      case "html" -> {
        byte[] page = ("<!DOCTYPE html><html><head><title>Sign in - Catchpoint</title></head><body><form "
            + "method=\"post\" action=\"/login\"><input name=\"user\"><input type=\"password\" name=\"pw\"></form>"
            + "</body></html>").getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        x.sendResponseHeaders(200, page.length);
        try (OutputStream out = x.getResponseBody()) {
          out.write(page);
        }
        return true;
      }
      case "truncated" -> {
        // Content-Length says the whole answer; half of it comes, then the connection closes.
        x.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        x.sendResponseHeaders(200, body.length);
        OutputStream out = x.getResponseBody();
        out.write(body, 0, body.length / 2);
        out.flush();
        throw new Cut("sent " + body.length / 2 + " of the " + body.length + " bytes of its Content-Length");
      }
      case "chunk-cut" -> {
        x.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        x.sendResponseHeaders(200, 0);
        OutputStream out = x.getResponseBody();
        out.write(body, 0, body.length / 2);
        out.flush();
        throw new Cut("chunked, cut after " + body.length / 2 + " of " + body.length + " bytes, mid-JSON");
      }
      case "trickle" -> {
        x.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        x.sendResponseHeaders(200, 0);
        OutputStream out = x.getResponseBody();
        long began = System.nanoTime();
        int sent = 0;
        try {
          for (byte b : body) {
            out.write(b);
            out.flush();
            sent++;
            Thread.sleep(trickleMillis);
          }
          out.close();
        } catch (IOException gone) {
          log("trickle: the client left after " + sent + " bytes in " + (System.nanoTime() - began) / 1_000_000 + " ms");
          add("trickle_bytes", sent);
          throw new Cut("the client left");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new Cut("interrupted");
        }
        add("trickle_bytes", sent);
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  /** The padding of this answer, in bytes (0 for none): arms once per /__fake/big. */
  synchronized long[] takeBig(List<Long> tests) {
    if (bigBytes <= 0 || (bigTest != null && !tests.contains(bigTest))) {
      return new long[] {0, 0};
    }
    long[] b = {bigBytes, bigValuesEvery};
    bigBytes = 0;
    bigTest = null;
    return b;
  }

  /** Notes the window of an answer served for each of its tests. */
  void served(List<Long> tests, long start, long end) {
    for (Long t : tests) {
      Deque<long[]> d = windowsByTest.computeIfAbsent(t, k -> new ArrayDeque<>());
      synchronized (d) {
        d.addLast(new long[] {start, end});
        while (d.size() > MAX_WINDOWS_KEPT) {
          d.removeFirst();
        }
      }
    }
  }

  void v1Raw(HttpExchange x, List<Long> tests, long start, long end) throws IOException {
    String fault = rawPreamble(x, "v1", tests);
    if (fault == null) {
      return;
    }
    String type = typeOf(tests.get(0));
    for (Long t : tests) {
      if (!typeOf(t).equals(type)) {
        send(x, 400, "{\"Message\":\"All tests of a request must be of the same test type.\"}");
        return;
      }
    }
    if (needsBody(fault)) {
      ByteArrayOutputStream whole = new ByteArrayOutputStream();
      v1Body(new CountingWriter(whole), tests, type, start, end, new long[] {0, 0});
      answerFault(x, fault, whole.toByteArray());
      return;
    }
    if (answerFault(x, fault, null)) {
      return;
    }
    long[] bigArmed = fault.equals("endless") ? new long[] {Long.MAX_VALUE, 0} : takeBig(tests);
    if (!fault.equals("endless")) {
      served(tests, start, end);
    }
    x.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    x.sendResponseHeaders(200, 0);
    CountingWriter w = new CountingWriter(x.getResponseBody());
    try {
      v1Body(w, tests, type, start, end, bigArmed);
    } catch (IOException gone) {
      if (fault.equals("endless")) {
        endlessEnded(w);
      }
      throw gone;
    }
    add("raw_chars_v1", w.count);
  }

  /** Whether a fault is sent from the whole of the real answer. */
  static boolean needsBody(String fault) {
    return fault.equals("truncated") || fault.equals("chunk-cut") || fault.equals("trickle");
  }

  void endlessEnded(CountingWriter w) {
    add("endless_chars", w.count);
    log("endless answer: the client left after " + w.count + " characters");
  }

  /** A v1 raw answer, padded to {@code bigArmed[0]} bytes when that is not 0. */
  void v1Body(CountingWriter w, List<Long> tests, String type, long start, long end, long[] bigArmed)
      throws IOException {
    long big = bigArmed[0];
    long rows = rowCount(tests, start, end);
    StringBuilder head = new StringBuilder();
    RawAnswerJson.v1Start(head, start, end);
    if (rows == 0 && big == 0) {
      w.write(head.append("null}").toString());
      w.close();
      return;
    }
    RawAnswerJson.v1Columns(head, SyntheticRuns.columns(type));
    w.write(head.toString());
    boolean[] first = {true};
    runs(tests, start, end, r -> {
      w.write(first[0] ? "" : ",");
      first[0] = false;
      item(w, r, true);
    });
    if (big > 0) {
      pad(w, tests, type, start, end, big, (int) bigArmed[1], first, true);
    }
    w.write(RawAnswerJson.V1_END);
    w.close();
  }

  /** One item of a v1 or a v2 raw answer. */
  static void item(Writer w, Run r, boolean v1) throws IOException {
    StringBuilder b = new StringBuilder(384);
    String nodeName = String.valueOf(r.node().get("name"));
    if (v1) {
      RawAnswerJson.v1Item(b, r.test(), id(r.node()), nodeName, r.time(), r.hop(), r.values());
    } else {
      RawAnswerJson.v2Item(b, r.test(), id(r.node()), nodeName, r.time(), r.hop(), r.values());
    }
    w.write(b.toString());
  }

  void v2Raw(HttpExchange x, List<Long> tests, long start, long end) throws IOException {
    String fault = rawPreamble(x, "v2", tests);
    if (fault == null) {
      return;
    }
    if (needsBody(fault)) {
      ByteArrayOutputStream whole = new ByteArrayOutputStream();
      v2Body(new CountingWriter(whole), tests, start, end, new long[] {0, 0});
      answerFault(x, fault, whole.toByteArray());
      return;
    }
    if (answerFault(x, fault, null)) {
      return;
    }
    long[] bigArmed = fault.equals("endless") ? new long[] {Long.MAX_VALUE, 0} : takeBig(tests);
    if (!fault.equals("endless")) {
      served(tests, start, end);
    }
    x.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    x.sendResponseHeaders(200, 0);
    CountingWriter w = new CountingWriter(x.getResponseBody());
    try {
      v2Body(w, tests, start, end, bigArmed);
    } catch (IOException gone) {
      if (fault.equals("endless")) {
        endlessEnded(w);
      }
      throw gone;
    }
    add("raw_chars_v2", w.count);
  }

  /** A v2 raw answer, its first item padded to {@code bigArmed[0]} bytes when that is not 0. */
  void v2Body(CountingWriter w, List<Long> tests, long start, long end, long[] bigArmed) throws IOException {
    long big = bigArmed[0];
    // One response item per test type, as the API groups them.
    Map<String, List<Long>> byType = new TreeMap<>();
    for (Long t : tests) {
      byType.computeIfAbsent(typeOf(t), k -> new ArrayList<>()).add(t);
    }
    StringBuilder text = new StringBuilder();
    RawAnswerJson.v2Start(text);
    w.write(text.toString());
    boolean firstItem = true;
    for (Map.Entry<String, List<Long>> e : byType.entrySet()) {
      String type = e.getKey();
      List<Long> group = e.getValue();
      long rows = rowCount(group, start, end);
      boolean more = rows > v2MaxRecords;
      text.setLength(0);
      text.append(firstItem ? "" : ",");
      RawAnswerJson.v2ResponseItem(text, start, end, more, type.equals(SyntheticRuns.TRACEROUTE),
          SyntheticRuns.columns(type));
      w.write(text.toString());
      firstItem = false;
      boolean[] first = {true};
      long[] written = {0};
      runs(group, start, end, r -> {
        if (written[0]++ >= v2MaxRecords) {
          return;
        }
        w.write(first[0] ? "" : ",");
        first[0] = false;
        item(w, r, false);
      });
      if (big > 0) {
        pad(w, group, type, start, end, big, (int) bigArmed[1], first, false);
        big = 0;
      }
      w.write(RawAnswerJson.V2_RESPONSE_ITEM_END);
    }
    text.setLength(0);
    RawAnswerJson.v2End(text, traceId());
    w.write(text.toString());
    w.close();
  }

  /**
   * Rows of real nodes at times inside the window until the answer reaches {@code bytes}: all-null
   * (they cost the reader the whole parse and storage nothing), except every {@code valuesEvery}-th,
   * which repeats one of the window's real runs (the same cells with the same values again).
   */
  void pad(CountingWriter w, List<Long> tests, String type, long start, long end, long bytes, int valuesEvery,
      boolean[] first, boolean v1) throws IOException {
    long test = tests.get(0);
    Double[] nulls = new Double[SyntheticRuns.columns(type).size()];
    List<Run> real = new ArrayList<>();
    if (valuesEvery > 0) {
      runs(tests, start, end, r -> {
        if (real.size() < 10_000) {
          real.add(r);
        }
      });
    }
    long span = Math.max(1, Math.min(end, nowSeconds()) - start + 1);
    long i = 0;
    long began = System.nanoTime();
    while (w.count < bytes) {
      Run r;
      if (valuesEvery > 0 && !real.isEmpty() && i % valuesEvery == 0) {
        r = real.get((int) ((i / valuesEvery) % real.size()));
      } else {
        Map<String, Object> node = nodes.get((int) (i % nodes.size()));
        int hop = type.equals(SyntheticRuns.TRACEROUTE) ? 1 : 0;
        r = new Run(test, node, start + (i / nodes.size()) % span, type, hop, nulls);
      }
      w.write(first[0] ? "" : ",");
      first[0] = false;
      item(w, r, v1);
      i++;
    }
    count("big_answers");
    counts.computeIfAbsent("big_bytes", k -> new AtomicLong()).addAndGet(w.count);
    log("big answer for test " + test + ": " + i + " padding rows, " + w.count + " bytes in "
        + (System.nanoTime() - began) / 1_000_000 + " ms");
  }

  /** A UTF-8 writer over the response that counts what it wrote (the answer is chunked, not sized first). */
  static final class CountingWriter extends Writer {
    final Writer out;
    long count;

    CountingWriter(OutputStream body) {
      // (a ByteArrayOutputStream too: a faulty answer is first written whole, then sent wrong)
      out = new BufferedWriter(new OutputStreamWriter(body, StandardCharsets.UTF_8), 64 * 1024);
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
      out.write(buf, off, len);
      count += len;
    }

    @Override
    public void write(String s) throws IOException {
      out.write(s);
      count += s.length();
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Nodes
  // -----------------------------------------------------------------------------------------------

  /** A v1 node record in the shape of v2's /nodes/all (no ISP, region or continent there). */
  static Map<String, Object> v2Node(Map<String, Object> v1) {
    Map<String, Object> n = new LinkedHashMap<>();
    n.put("id", id(v1));
    n.put("name", v1.get("name"));
    Object ranges = v1.get("ip_ranges");
    n.put("ipRanges", ranges == null ? List.of() : ranges instanceof List ? ranges : List.of(ranges));
    Object coords = v1.get("coordinates");
    if (coords instanceof Map) {
      n.put("latitude", ((Map<?, ?>) coords).get("latitude"));
      n.put("longitude", ((Map<?, ?>) coords).get("longitude"));
    }
    n.put("status", v1.get("status"));
    n.put("networkType", v1.get("network_type"));
    if (v1.get("asn") instanceof Map) {
      Map<?, ?> asn = (Map<?, ?>) v1.get("asn");
      Map<String, Object> a = new LinkedHashMap<>();
      String value = String.valueOf(asn.get("value"));
      a.put("id", value.matches("(?i)AS\\d+") ? (Object) Long.parseLong(value.substring(2)) : value);
      a.put("name", asn.get("name"));
      n.put("asn", a);
    }
    n.put("city", v1.get("city"));
    n.put("country", v1.get("country"));
    return n;
  }

  static long id(Map<String, Object> node) {
    return ((Number) node.get("id")).longValue();
  }

  // -----------------------------------------------------------------------------------------------
  // Control
  // -----------------------------------------------------------------------------------------------

  void control(HttpExchange x, String method, String action, Map<String, String> q) throws IOException {
    drain(x);
    List<String> apis = q.containsKey("api") ? List.of(q.get("api")) : List.of("v1", "v2");
    for (String api : apis) {
      if (!api.equals("v1") && !api.equals("v2")) {
        send(x, 400, "{\"error\":\"api is v1 or v2\"}");
        return;
      }
    }
    boolean reads = action.equals("requests") || action.equals("runs") || action.equals("windows");
    if (reads != method.equals("GET")) {
      send(x, 405, "{\"error\":\"use " + (reads ? "GET" : "POST") + " for /__fake/" + action + "\"}");
      return;
    }
    switch (action) {
      case "down" -> {
        long seconds = longParam(q, "seconds", 60);
        for (String api : apis) {
          downUntilMillis.put(api, System.currentTimeMillis() + seconds * 1000);
        }
        log("down for " + seconds + " s: " + apis);
        send(x, 200, "{\"down_seconds\":" + seconds + ",\"api\":" + RawAnswerJson.quote(apis.toString()) + "}");
      }
      case "slow" -> {
        long ms = longParam(q, "ms", 0);
        for (String api : apis) {
          slowMillis.put(api, ms);
        }
        log("raw answers wait " + ms + " ms: " + apis);
        send(x, 200, "{\"slow_ms\":" + ms + "}");
      }
      case "throttle" -> {
        int n = (int) longParam(q, "count", 1);
        long retry = longParam(q, "retry_after", 1);
        for (String api : apis) {
          throttled.put(api, new AtomicInteger(n));
          throttleRetryAfter.put(api, retry);
        }
        send(x, 200, "{\"throttled\":" + n + "}");
      }
      case "expire-tokens" -> {
        expiredAs401 = "401".equals(q.get("as"));
        int n = 0;
        for (String t : new ArrayList<>(tokens.keySet())) {
          tokens.remove(t);
          expired.add(t);
          n++;
        }
        log(n + " token(s) expired");
        send(x, 200, "{\"expired\":" + n + "}");
      }
      case "big" -> {
        synchronized (this) {
          bigBytes = longParam(q, "bytes", 200_000_000L);
          bigTest = q.containsKey("test") ? Long.valueOf(q.get("test")) : null;
          bigValuesEvery = intParam(q, "values_every", 0);
        }
        log("next raw answer" + (bigTest == null ? "" : " for test " + bigTest) + " is " + bigBytes + "+ bytes");
        send(x, 200, "{\"big_bytes\":" + bigBytes + "}");
      }
      case "fault" -> {
        List<String> kinds = new ArrayList<>();
        for (String k : q.getOrDefault("kinds", "").split(",")) {
          if (k.isBlank()) {
            continue;
          }
          if (!FAULTS.contains(k.trim())) {
            send(x, 400, "{\"error\":" + RawAnswerJson.quote("kinds: " + k + " is not one of " + FAULTS) + "}");
            return;
          }
          kinds.add(k.trim());
        }
        int times = Math.max(1, intParam(q, "times", 1));
        trickleMillis = longParam(q, "trickle_ms", 1000);
        for (String api : apis) {
          Deque<String> d = new ArrayDeque<>();
          for (int i = 0; i < times; i++) {
            d.addAll(kinds);
          }
          faults.put(api, d);
          faultTest.put(api, q.containsKey("test") ? Long.valueOf(q.get("test")) : -1L);
        }
        log("the next " + kinds.size() * times + " raw answer(s)" + (q.containsKey("test") ? " for test " + q.get("test")
            : "") + " of " + apis + " take the faults " + kinds + (times > 1 ? " x" + times : ""));
        send(x, 200, "{\"faults\":" + kinds.size() * times + "}");
      }
      case "reset" -> {
        downUntilMillis.clear();
        slowMillis.clear();
        throttled.clear();
        faults.clear();
        faultTest.clear();
        synchronized (this) {
          bigBytes = 0;
          bigTest = null;
        }
        log("reset: up, not slow, not throttled");
        send(x, 200, "{\"reset\":true}");
      }
      case "requests" -> {
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, AtomicLong> e : new TreeMap<>(counts).entrySet()) {
          b.append(RawAnswerJson.quote(e.getKey())).append(':').append(e.getValue().get()).append(',');
        }
        b.append("\"raw_by_test\":{");
        boolean first = true;
        for (Map.Entry<Long, AtomicLong> e : new TreeMap<>(rawByTest).entrySet()) {
          b.append(first ? "" : ",").append('"').append(e.getKey()).append("\":").append(e.getValue().get());
          first = false;
        }
        b.append("},\"recent\":[");
        synchronized (recent) {
          first = true;
          for (String r : recent) {
            b.append(first ? "" : ",").append(RawAnswerJson.quote(r));
            first = false;
          }
        }
        b.append("]}");
        send(x, 200, b.toString());
      }
      case "windows" -> {
        long test = longParam(q, "test", -1);
        StringBuilder b = new StringBuilder("{\"test\":" + test + ",\"windows\":[");
        Deque<long[]> d = windowsByTest.getOrDefault(test, new ArrayDeque<>());
        synchronized (d) {
          boolean first = true;
          for (long[] w : d) {
            b.append(first ? "" : ",").append('[').append(w[0]).append(',').append(w[1]).append(']');
            first = false;
          }
        }
        send(x, 200, b.append("]}").toString());
      }
      case "runs" -> {
        long test = longParam(q, "test", -1);
        long from = longParam(q, "from", nowSeconds() - 3600);
        long to = longParam(q, "to", nowSeconds());
        String type = typeOf(test);
        if (q.containsKey("count")) {
          SyntheticRuns.Window w = window(List.of(test), from, to, true);
          long n = 0;
          while (w.next()) {
            n++;
          }
          send(x, 200, "{\"test\":" + test + ",\"type\":\"" + type + "\",\"count\":" + n + "}");
          return;
        }
        List<String> cols = SyntheticRuns.columns(type);
        StringBuilder b = new StringBuilder("{\"test\":" + test + ",\"type\":\"" + type + "\",\"runs\":[");
        boolean[] first = {true};
        int[] n = {0};
        runs(List.of(test), from, to, true, r -> {
          if (n[0]++ >= 10_000) {
            return;
          }
          b.append(first[0] ? "" : ",").append("{\"time\":").append(r.time()).append(",\"node\":")
              .append(id(r.node())).append(r.hop() > 0 ? ",\"hop\":" + r.hop() : "").append(",\"values\":{");
          first[0] = false;
          for (int i = 0; i < cols.size(); i++) {
            b.append(i > 0 ? "," : "").append(RawAnswerJson.quote(cols.get(i))).append(':');
            RawAnswerJson.number(b, r.values()[i]);
          }
          b.append("}}");
        });
        b.append("]}");
        send(x, 200, b.toString());
      }
      default -> send(x, 404, "{\"error\":\"no such control: " + action + "\"}");
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Helpers
  // -----------------------------------------------------------------------------------------------

  void count(String what) {
    counts.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
  }

  void add(String what, long n) {
    counts.computeIfAbsent(what, k -> new AtomicLong()).addAndGet(n);
  }

  static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }

  static String traceId() {
    return Long.toHexString(System.nanoTime()) + "fa4e";
  }

  static void drain(HttpExchange x) throws IOException {
    try (InputStream in = x.getRequestBody()) {
      in.transferTo(OutputStream.nullOutputStream());
    }
  }

  static void send(HttpExchange x, int status, String body) throws IOException {
    send(x, status, body.getBytes(StandardCharsets.UTF_8));
  }

  static void send(HttpExchange x, int status, byte[] body) throws IOException {
    x.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = x.getResponseBody()) {
        out.write(body);
      }
    }
  }

  static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String part : raw.split("&")) {
      int eq = part.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
      q.put(k, v);
    }
    return q;
  }

  static List<Long> ids(String csv) {
    List<Long> out = new ArrayList<>();
    if (csv == null) {
      return out;
    }
    for (String s : csv.split(",")) {
      if (!s.isBlank()) {
        try {
          out.add(Long.parseLong(s.trim()));
        } catch (NumberFormatException e) {
          return Collections.emptyList();
        }
      }
    }
    return out;
  }

  static int intParam(Map<String, String> q, String k, int dflt) {
    return (int) longParam(q, k, dflt);
  }

  static long longParam(Map<String, String> q, String k, long dflt) {
    String v = q.get(k);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    return Long.parseLong(v.trim());
  }

  /** ISO-8601 with or without zone (UTC then), with any fraction; null when unreadable. */
  static Long time(String s) {
    if (s == null) {
      return null;
    }
    String v = s.trim();
    try {
      if (v.endsWith("Z") || v.endsWith("z")) {
        return Instant.parse(v.substring(0, v.length() - 1) + "Z").getEpochSecond();
      }
      if (v.length() > 19 && (v.charAt(v.length() - 6) == '+' || v.charAt(v.length() - 6) == '-')) {
        return OffsetDateTime.parse(v).toEpochSecond();
      }
      return LocalDateTime.parse(v).toEpochSecond(ZoneOffset.UTC);
    } catch (RuntimeException e) {
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    if (!(o instanceof Map)) {
      throw new IllegalArgumentException("expected a JSON object, got " + o);
    }
    return (Map<String, Object>) o;
  }

  static List<?> list(Object o) {
    if (!(o instanceof List)) {
      throw new IllegalArgumentException("expected a JSON array, got " + o);
    }
    return (List<?>) o;
  }

  /** Just enough JSON: read the node file into maps and lists, write the v2 node records. */
  static final class Json {
    private final String s;
    private int i;

    Json(String s) {
      this.s = s;
    }

    Object value() {
      ws();
      char c = s.charAt(i);
      switch (c) {
        case '{': {
          i++;
          Map<String, Object> m = new LinkedHashMap<>();
          ws();
          if (s.charAt(i) == '}') {
            i++;
            return m;
          }
          while (true) {
            ws();
            String k = string();
            ws();
            expect(':');
            m.put(k, value());
            ws();
            if (s.charAt(i) == ',') {
              i++;
              continue;
            }
            expect('}');
            return m;
          }
        }
        case '[': {
          i++;
          List<Object> l = new ArrayList<>();
          ws();
          if (s.charAt(i) == ']') {
            i++;
            return l;
          }
          while (true) {
            l.add(value());
            ws();
            if (s.charAt(i) == ',') {
              i++;
              continue;
            }
            expect(']');
            return l;
          }
        }
        case '"':
          return string();
        default:
          if (s.startsWith("true", i)) {
            i += 4;
            return Boolean.TRUE;
          }
          if (s.startsWith("false", i)) {
            i += 5;
            return Boolean.FALSE;
          }
          if (s.startsWith("null", i)) {
            i += 4;
            return null;
          }
          int start = i;
          while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
            i++;
          }
          String n = s.substring(start, i);
          if (n.isEmpty()) {
            throw new IllegalArgumentException("bad JSON at " + start);
          }
          return n.matches("-?\\d+") ? (Object) Long.parseLong(n) : (Object) Double.parseDouble(n);
      }
    }

    private String string() {
      expect('"');
      StringBuilder b = new StringBuilder();
      while (true) {
        char c = s.charAt(i++);
        if (c == '"') {
          return b.toString();
        }
        if (c == '\\') {
          char e = s.charAt(i++);
          switch (e) {
            case 'n' -> b.append('\n');
            case 't' -> b.append('\t');
            case 'r' -> b.append('\r');
            case 'b' -> b.append('\b');
            case 'f' -> b.append('\f');
            case 'u' -> {
              b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
              i += 4;
            }
            default -> b.append(e);
          }
        } else {
          b.append(c);
        }
      }
    }

    private void ws() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    private void expect(char c) {
      if (s.charAt(i) != c) {
        throw new IllegalArgumentException("bad JSON at " + i + ": expected " + c);
      }
      i++;
    }

    static void write(StringBuilder b, Object o) {
      if (o == null) {
        b.append("null");
      } else if (o instanceof Map<?, ?> m) {
        b.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          b.append(first ? "" : ",").append(RawAnswerJson.quote(String.valueOf(e.getKey()))).append(':');
          write(b, e.getValue());
          first = false;
        }
        b.append('}');
      } else if (o instanceof List<?> l) {
        b.append('[');
        for (int k = 0; k < l.size(); k++) {
          b.append(k > 0 ? "," : "");
          write(b, l.get(k));
        }
        b.append(']');
      } else if (o instanceof Number || o instanceof Boolean) {
        b.append(o);
      } else {
        b.append(RawAnswerJson.quote(String.valueOf(o)));
      }
    }
  }
}
