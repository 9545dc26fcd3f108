package org.opentsdbcatchpoint.sink;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops the real carbon-cache, InfluxDB and KairosDB of {@code integration-tests/forwarders.sh},
 * each in a directory of its own under {@code target/it-forwarders} on free loopback ports.
 */
abstract class RealServers implements AutoCloseable {
  static final Path SCRIPT = Paths.get("integration-tests", "forwarders.sh");
  final Path dir;
  final Map<String, String> env = new TreeMap<>();
  private final String which;
  private volatile boolean running;
  private boolean hooked;

  RealServers(String which, String name) throws IOException {
    this.which = which;
    this.dir = Paths.get("target", "it-forwarders", name + "-" + Long.toString(System.nanoTime(), 36))
        .toAbsolutePath();
    Files.createDirectories(dir);
    env.put("FWD_DIR", dir.toString());
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Starts the server and waits until it answers; fails with the script's output when it cannot. */
  void start() throws IOException, InterruptedException {
    if (!hooked) {
      // Should the test JVM end without closing this (a crash, a timeout), the server goes with it.
      hooked = true;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          if (running) {
            stop();
          }
        } catch (Exception ignored) {
          // best effort
        }
      }, "stop-" + which));
    }
    script("start");
    running = true;
  }

  /** SIGTERM, as an operator's stop; waits until the process is gone. */
  void stop() throws IOException, InterruptedException {
    script("stop");
    running = false;
  }

  private void script(String command) throws IOException, InterruptedException {
    if (!Files.isRegularFile(SCRIPT)) {
      throw new IllegalStateException(SCRIPT.toAbsolutePath() + " is missing: run the tests from the project root");
    }
    ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString(), command, which).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    byte[] out = readAll(p);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("forwarders.sh " + command + " " + which + " did not finish");
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("forwarders.sh " + command + " " + which + " failed (exit " + p.exitValue()
          + "; install the servers with integration-tests/setup.sh):\n" + new String(out, StandardCharsets.UTF_8));
    }
  }

  static byte[] readAll(Process p) throws IOException {
    return readFully(p.getInputStream());
  }

  static byte[] readFully(java.io.InputStream in) throws IOException {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) > 0) {
      b.write(buf, 0, n);
    }
    return b.toByteArray();
  }

  /** Runs a command, returns its standard output; fails on a non-zero exit. */
  static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    byte[] out = readAll(p);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(Arrays.toString(command) + " failed: " + new String(out, StandardCharsets.UTF_8));
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    if (running) {
      try {
        stop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while stopping " + which, e);
      }
    }
  }
}
