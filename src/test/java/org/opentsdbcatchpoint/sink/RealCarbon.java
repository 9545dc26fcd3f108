package org.opentsdbcatchpoint.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A real carbon-cache (Debian graphite-carbon), read back with whisper-fetch. */
final class RealCarbon extends RealServers {
  private static final ObjectMapper JSON = new ObjectMapper();
  final int linePort;
  final int picklePort;

  RealCarbon(String name) throws IOException {
    super("carbon", name);
    linePort = freePort();
    picklePort = freePort();
    env.put("CARBON_LINE_PORT", Integer.toString(linePort));
    env.put("CARBON_PICKLE_PORT", Integer.toString(picklePort));
    env.put("CARBON_QUERY_PORT", Integer.toString(freePort()));
  }

  InetSocketAddress line() {
    return InetSocketAddress.createUnresolved("127.0.0.1", linePort);
  }

  InetSocketAddress pickle() {
    return InetSocketAddress.createUnresolved("127.0.0.1", picklePort);
  }

  Path whisper() {
    return dir.resolve("carbon-storage").resolve("whisper");
  }

  /**
   * Where carbon keeps a series: a tagged one under {@code _tagged/} by the SHA-256 of its name (so
   * finding the file proves the exact name), a dotted one as directories.
   */
  Path file(String name) {
    if (name.contains(";")) {
      String hash = sha256(name);
      return whisper().resolve("_tagged").resolve(hash.substring(0, 3)).resolve(hash.substring(3, 6))
          .resolve(hash + ".wsp");
    }
    return whisper().resolve(name.replace('.', '/') + ".wsp");
  }

  /** The series' values between two times (exclusive, inclusive), by second; empty when the file does not exist. */
  Map<Long, Double> fetch(String name, long from, long until) throws IOException, InterruptedException {
    Map<Long, Double> out = new TreeMap<>();
    Path f = file(name);
    if (!Files.isRegularFile(f)) {
      return out;
    }
    // JSON: the text form rounds values to 6 decimals.
    JsonNode json = JSON.readTree(run("whisper-fetch", "--json", "--from=" + from, "--until=" + until, f.toString()));
    long t = json.path("start").asLong();
    long step = json.path("step").asLong();
    for (JsonNode v : json.path("values")) {
      if (!v.isNull()) {
        out.put(t, v.asDouble());
      }
      t += step;
    }
    return out;
  }

  /** How many series carbon created. */
  long seriesCount() throws IOException {
    if (!Files.isDirectory(whisper())) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(whisper())) {
      return s.filter(p -> p.toString().endsWith(".wsp")).count();
    }
  }

  String log() throws IOException {
    Path log = dir.resolve("carbon.log");
    return Files.isRegularFile(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
  }

  static String sha256(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      StringBuilder b = new StringBuilder();
      for (byte x : d) {
        b.append(String.format("%02x", x));
      }
      return b.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
