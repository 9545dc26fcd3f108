package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.PluginSettings;

/**
 * No secret of the stack ever shows: after every other end-to-end test (and the failures below, which
 * tempt a leak: wrong tokens, a Catchpoint answering 401 to expired tokens, forwarders the target refuses
 * to authenticate, a configuration full of bad settings around secrets), every log of the stack (the TSDs',
 * HBase's, the fake Catchpoint's, the soak's InfluxDB's) and every answer the tests received from the TSDs
 * (headers and bodies, recorded by {@link Tsd#record}) are searched for every secret: each the value of
 * a secret setting ({@link PluginSettings#isSecretKey}) in any opentsdb.conf of the stack, and the basic
 * authentication built from a user and password. Each is a marker ({@code SECRET-...}) found nowhere else.
 * Only reads files and asks the TSD, so it runs last, after the tests that stop HBase.
 */
@Order(1000)
class SecretsIT {
  static final String FORWARD_PASSWORD = required("it.forward.password");
  static final Path STACK = Paths.get(required("it.stack.dir"));
  /** The secrets of the bad configuration below: never in the TSD's refusal to start. */
  static final String BAD_API_KEY = "SECRET-badkey-QwhTpzLrMvEyNa";
  static final String BAD_CLIENT_SECRET = "SECRET-badclient-JuRkXsWoBnDfGe";
  static final String BAD_PASSWORD = "SECRET-badpass-ZtYcVmKqLpHsAr";
  static final String BAD_ADMIN = "SECRET-badadmin-NfGdKeWpQiXoUl";

  private static String required(String key) {
    String v = System.getProperty(key);
    if (v == null || v.isEmpty()) {
      throw new IllegalStateException("system property " + key + " is not set: run the end-to-end tests through "
          + "'mvn verify', which starts the stack");
    }
    return v;
  }

  @Test
  void noSecretInAnyLogOrAnswerEvenAfterFailures() throws Exception {
    String admin = Pulls.ADMIN_TOKEN;
    String push = Tsd.TOKEN;
    String previous = required("it.push.previous.token");
    long t0 = System.nanoTime();

    // Failures that tempt a leak. A wrong token that begins with the right one: echoing it would show the secret.
    byte[] run = Tsd.fixtureBytes("push-ping.json");
    for (String token : new String[] {push + "-wrong", previous + "-wrong", admin}) {
      Tsd.Answer a = Tsd.send(Tsd.request("/plugin/catchpoint/push?token=" + token)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(run)).build());
      assertEquals(403, a.status, a::toString);
      Tsd.Answer p = Tsd.send(Tsd.request("/plugin/catchpoint/push/" + token)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(run)).build());
      assertEquals(403, p.status, p::toString);
      Tsd.Answer alert = Tsd.send(Tsd.request("/plugin/catchpoint/alert?token=" + token)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
      assertEquals(403, alert.status, alert::toString);
    }
    Tsd.Answer bad = Tsd.send(Tsd.request("/plugin/catchpoint/push/" + push).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"TestId\": \"" + push + "\", broken")).build());
    assertEquals(400, bad.status, bad::toString);
    // The rotation, end to end: the token being replaced still pushes, and is counted.
    long used = counter("catchpoint.push.previous_token_used");
    Tsd.Answer rotated = Tsd.send(Tsd.request("/plugin/catchpoint/push?token=" + previous)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(run)).build());
    assertEquals(200, rotated.status, rotated::toString);
    assertEquals(used + 1, counter("catchpoint.push.previous_token_used"));
    for (String path : new String[] {"/plugin/catchpoint/?token=" + admin + "-wrong",
        "/plugin/catchpoint/ui/data?token=" + admin + "-wrong", "/plugin/catchpoint/ui/data?token=" + push}) {
      Tsd.Answer a = Tsd.get(path);
      assertEquals(403, a.status, a::toString);
    }
    Tsd.Answer pullRun = Tsd.send(Tsd.request("/plugin/catchpoint/pull/run?account=itv1").header(
        "X-Catchpoint-Admin-Token", admin + "-wrong").POST(HttpRequest.BodyPublishers.noBody()).build());
    assertEquals(403, pullRun.status, pullRun::toString);
    phase(t0, "wrong tokens");
    // Catchpoint answers 401 to the v1 tokens it issued: the plugin asks for a new one with its client secret.
    long tokens = Pulls.fakeCount("token");
    Pulls.fake("POST", "/__fake/expire-tokens?as=401");
    Pulls.pullNow(Pulls.V1);
    assertTrue(Pulls.fakeCount("token") > tokens, "the plugin asked for a new token");
    phase(t0, "expired tokens");
    // The forwarders that cannot authenticate (opentsdb-extra.conf): both refused by now.
    for (String target : new String[] {"itpromauth", "itinfluxauth"}) {
      Pulls.await(target + " refused", () -> Tsd.get("/plugin/catchpoint/health").json.path("forwarders")
          .path(target).path("dropped").path("rejected").asLong(), n -> n > 0, Duration.ofSeconds(30));
    }
    phase(t0, "forwarders refused");
    // A configuration of bad settings next to secrets: the TSD refuses to start and says why.
    String refusal = badConfigurationRefused();
    assertTrue(refusal.contains("invalid configuration"), refusal);

    phase(t0, "bad configuration");
    // Everything the operator or a script can read.
    String[] reads = {"/plugin/catchpoint/health", "/plugin/catchpoint/health?check=push", "/plugin/catchpoint/pull/status",
        "/plugin/catchpoint/?token=" + admin, "/plugin/catchpoint/ui/data?token=" + admin, "/api/config", "/api/stats",
        "/plugin/catchpoint/grafana/", "/plugin/catchpoint/pull/import?token=" + admin};
    for (String path : reads) {
      Tsd.Answer a = Tsd.get(path);
      assertTrue(a.status < 500, path + ": " + a);
    }
    JsonNode config = Tsd.get("/api/config").json;
    assertEquals("********", config.path("tsd.plugin.catchpoint.push.token").asText(), "the token is masked");
    assertEquals("********", config.path("tsd.plugin.catchpoint.forward.itpromauth.password").asText());

    // The secrets: every secret setting of every opentsdb.conf of the stack, and the basic authentication.
    Map<String, String> secrets = secrets();
    for (String s : new String[] {push, previous, admin, Pulls.CLIENT_SECRET, Pulls.API_KEY, FORWARD_PASSWORD,
        required("it.forward.token"), BAD_API_KEY, BAD_CLIENT_SECRET, BAD_PASSWORD, BAD_ADMIN}) {
      assertTrue(secrets.containsValue(s), () -> s + " is not set in any opentsdb.conf of " + STACK + ": " + secrets);
      assertTrue(s.startsWith("SECRET-") && s.length() >= 20, s + " is not a distinctive marker");
    }

    phase(t0, "reads");
    List<Path> files = searched();
    List<String> found = new ArrayList<>();
    long bytes = 0;
    for (Path f : files) {
      bytes += Files.size(f);
      found.addAll(grep(f, secrets));
    }
    System.out.printf("secrets: %d secrets searched in %d files (%,d bytes): %s%n", secrets.size(), files.size(), bytes,
        files.stream().map(f -> STACK.relativize(f).toString()).collect(Collectors.joining(", ")));
    assertTrue(files.contains(STACK.resolve("tsd.log")) && files.contains(STACK.resolve(Tsd.RESPONSES)), files::toString);
    assertTrue(Files.size(STACK.resolve(Tsd.RESPONSES)) > 10_000, "the answers were recorded");
    assertEquals(List.of(), found, "secrets in logs or answers");
  }

  private static void phase(long t0, String what) {
    System.out.printf("secrets: %s done at %.1f s%n", what, (System.nanoTime() - t0) / 1e9);
  }

  private static long counter(String name) throws Exception {
    return Tsd.get("/plugin/catchpoint/health").json.path("counters").path(name).asLong(0);
  }

  /**
   * Starts an extra TSD on a configuration with bad settings around secrets (a bad base URL, a secret of an
   * account not listed, a password without user, a password for a target that takes none, a misspelt secret
   * key; a setting's own value is echoed, so no secret is put in one that is not secret): tsd.sh reports that it exited during startup; its output.
   */
  private static String badConfigurationRefused() throws Exception {
    Path conf = STACK.resolve("secrets-bad.conf");
    Files.writeString(conf, String.join("\n",
        "tsd.plugin.catchpoint.pull.accounts = itbad",
        "tsd.plugin.catchpoint.pull.admin_token = " + BAD_ADMIN,
        "tsd.plugin.catchpoint.pull.itbad.api = v2",
        "tsd.plugin.catchpoint.pull.itbad.api_key = " + BAD_API_KEY,
        "tsd.plugin.catchpoint.pull.itbad.base_url = not a URL",
        "tsd.plugin.catchpoint.pull.itbad.tests.web = 900601",
        "tsd.plugin.catchpoint.pull.ghost.client_secret = " + BAD_CLIENT_SECRET,
        "tsd.plugin.catchpoint.pull.itbad.client_secrte = " + BAD_CLIENT_SECRET,
        "tsd.plugin.catchpoint.push.previous_token = " + Tsd.TOKEN,
        "tsd.plugin.catchpoint.forward = badinflux,badgraphite",
        "tsd.plugin.catchpoint.forward.badinflux.type = influx",
        "tsd.plugin.catchpoint.forward.badinflux.url = http://127.0.0.1:1",
        "tsd.plugin.catchpoint.forward.badinflux.password = " + BAD_PASSWORD,
        "tsd.plugin.catchpoint.forward.badgraphite.type = graphite",
        "tsd.plugin.catchpoint.forward.badgraphite.hosts = 127.0.0.1:1",
        "tsd.plugin.catchpoint.forward.badgraphite.password = " + BAD_PASSWORD, ""));
    // A fresh directory: the refusal is looked for in its tsd.out.
    Path dir = STACK.resolve("tsds/secretsbad");
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path f : s.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
          Files.delete(f);
        }
      }
    }
    ProcessBuilder pb = new ProcessBuilder("bash", required("it.stack.script"), "tsd-start", "secretsbad")
        .redirectErrorStream(true).redirectOutput(STACK.resolve("secrets-bad-start.out").toFile());
    pb.environment().put("STACK_DIR", STACK.toString());
    pb.environment().put("EXTRA_TSD_PORT", Integer.toString(Tsd.freePort()));
    pb.environment().put("TSD_CONF_EXTRA", conf.toString());
    Process p = pb.start();
    // OpenTSDB 2.4.1 has started its Netty threads before the startup plugin refuses the configuration, so
    // its JVM would stay up after main() threw; the plugin makes it exit (status 1) once main has given up.
    Path out = dir.resolve("tsd.out");
    Pulls.await("the refusal in " + out, () -> Files.isRegularFile(out)
        && Files.readString(out).contains("invalid configuration") ? 1 : 0, n -> n == 1, Duration.ofSeconds(60));
    assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "tsd.sh tsd-start did not finish");
    Pulls.await("the refused TSD's JVM gone", () -> Tsd.extraTsdList().stream()
        .filter(l -> l.startsWith("secretsbad ")).anyMatch(l -> l.endsWith(" running")) ? 0 : 1, n -> n == 1,
        Duration.ofSeconds(30));
    String started = Files.readString(STACK.resolve("secrets-bad-start.out"));
    assertNotEquals(0, p.exitValue(), () -> "a TSD with a bad configuration started: " + started);
    return started + Files.readString(out);
  }

  /** Name (file: key, or what it is) to value: every secret setting of the stack's opentsdb.conf files. */
  static Map<String, String> secrets() throws IOException {
    Map<String, String> out = new TreeMap<>();
    List<Path> confs;
    try (Stream<Path> s = Files.walk(STACK, 3)) {
      confs = s.filter(p -> p.getFileName().toString().endsWith(".conf") && !p.toString().contains("hbase")
          && !p.toString().contains("influx")).sorted().collect(Collectors.toList());
    }
    assertFalse(confs.isEmpty(), "no opentsdb.conf in " + STACK);
    for (Path conf : confs) {
      Properties props = new Properties();
      try (var in = Files.newBufferedReader(conf)) {
        props.load(in);
      }
      String where = STACK.relativize(conf).toString();
      for (String key : props.stringPropertyNames()) {
        String v = props.getProperty(key).trim();
        if ((PluginSettings.isSecretKey(key) || key.matches(".*(secret|password|token|api_key).*")) && v.length() >= 8) {
          out.putIfAbsent(where + ": " + key, v);
          if (key.endsWith(".password")) {
            String user = props.getProperty(key.substring(0, key.length() - "password".length()) + "username", "");
            out.putIfAbsent(where + ": " + key + " as basic authentication", Base64.getEncoder().encodeToString(
                (user.trim() + ":" + v).getBytes(StandardCharsets.UTF_8)));
          }
        }
      }
    }
    // Drop the duplicates under other names, keeping the first file that named each.
    Map<String, String> unique = new TreeMap<>();
    out.forEach((k, v) -> {
      if (!unique.containsValue(v)) {
        unique.put(k, v);
      }
    });
    return unique;
  }

  /** Every log of the stack, and the recorded answers. */
  static List<Path> searched() throws IOException {
    try (Stream<Path> s = Files.walk(STACK)) {
      return s.filter(Files::isRegularFile).filter(p -> {
        String rel = STACK.relativize(p).toString();
        String name = p.getFileName().toString();
        return !rel.startsWith("hbase-data") && !rel.contains("/influx/")
            && name.matches(".*\\.(log|out)(\\.\\d+)?") || name.equals(Tsd.RESPONSES);
      }).sorted().collect(Collectors.toList());
    }
  }

  /** "file:line: which secret: the line" for each line of a file that holds a secret. */
  static List<String> grep(Path file, Map<String, String> secrets) throws IOException {
    List<String> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(file),
        StandardCharsets.UTF_8))) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        for (Map.Entry<String, String> s : secrets.entrySet()) {
          if (line.contains(s.getValue())) {
            out.add(STACK.relativize(file) + ":" + n + ": " + s.getKey() + ": "
                + (line.length() > 400 ? line.substring(0, 400) + "..." : line));
          }
        }
        if (out.size() > 50) {
          fail("more than 50 lines with secrets, the first: " + out);
        }
      }
    }
    return out;
  }
}
