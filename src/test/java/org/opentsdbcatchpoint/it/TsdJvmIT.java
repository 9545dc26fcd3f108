package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The TSD under test runs on the JDK the pass asked for: the suite's first pass on the build's JDK (17)
 * and its second pass (integration-tests/test.sh) on Temurin 25, chosen by {@code it.tsd.java.home}
 * (TSD_JAVA_HOME for tsd.sh). Without this check a second pass that silently fell back to the first JDK
 * would look green. The TSD's own {@code /api/stats/jvm} says which JVM answers; tsd.sh's stack.env
 * says which java it started, and that JDK's {@code release} file which version that is.
 */
@Order(0)
class TsdJvmIT {
  private static final Pattern FEATURE = Pattern.compile("^(?:1\\.)?(\\d+)");

  @Test
  void theTsdRunsOnTheJdkThisPassChose() throws Exception {
    Path started = Paths.get(stackEnv("TSD_JAVA"));
    Path jdk = started.getParent().getParent();
    String wanted = System.getProperty("it.tsd.java.home", "").trim();
    if (!wanted.isEmpty()) {
      assertEquals(Paths.get(wanted).toRealPath(), jdk.toRealPath(), "tsd.sh started the TSD with " + started);
    }
    int expected = feature(releaseVersion(jdk));

    Tsd.Answer answer = Tsd.get("/api/stats/jvm");
    assertEquals(200, answer.status, answer.body);
    JsonNode runtime = Tsd.JSON.readTree(answer.body).path("runtime");
    String vmVersion = runtime.path("vmVersion").asText();
    assertEquals(expected, feature(vmVersion), "the TSD answers from " + runtime);
    if (!wanted.isEmpty()) {
      assertTrue(expected >= 25, "the second pass is meant for a JDK 25, got " + expected + " at " + jdk);
    }
  }

  private static String stackEnv(String key) throws IOException {
    Path env = Paths.get(System.getProperty("it.stack.dir"), "stack.env");
    for (String line : Files.readAllLines(env, StandardCharsets.UTF_8)) {
      if (line.startsWith(key + "=")) {
        return line.substring(key.length() + 1);
      }
    }
    throw new AssertionError(env + " has no " + key);
  }

  private static String releaseVersion(Path jdk) throws IOException {
    for (String line : Files.readAllLines(jdk.resolve("release"), StandardCharsets.UTF_8)) {
      if (line.startsWith("JAVA_VERSION=")) {
        return line.substring("JAVA_VERSION=".length()).replace("\"", "");
      }
    }
    throw new AssertionError(jdk.resolve("release") + " has no JAVA_VERSION");
  }

  private static int feature(String version) {
    Matcher m = FEATURE.matcher(version);
    assertTrue(m.find(), "not a Java version: " + version);
    return Integer.parseInt(m.group(1));
  }
}
