package org.opentsdbcatchpoint.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.opentsdbcatchpoint.pull.Runs.NOON;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.catalog.CatalogHolder;
import org.opentsdbcatchpoint.catalog.NodeCatalog;
import org.opentsdbcatchpoint.catalog.NodeLookup;
import org.opentsdbcatchpoint.mapping.RunMapper;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pipeline.Run;
import org.opentsdbcatchpoint.pipeline.TestStages;
import org.opentsdbcatchpoint.stats.Stats;
import org.slf4j.LoggerFactory;

/**
 * The disk of {@code pull.cursor_file} read-only, then full, then well again, for real: the file lives
 * on a 64 KB tmpfs mounted here, remounted read-only ({@code EROFS}) and filled up ({@code ENOSPC}).
 * The pull job writes every window meanwhile, counts and logs the failed stores (naming the file), keeps
 * the last good file whole, and stores its cursors again once the disk recovers; a restart after a failed
 * store pulls again from the last stored cursor. Needs root (mount); fails saying so otherwise. It uses no
 * stack: an IT only because it mounts.
 */
@Order(2)
class CursorFileFaultsIT {
  private static final long HOUR = 3600;
  private static final NodeLookup NOWHERE = NodeLookup.fixed(new CatalogHolder());
  private static final Function<Run, List<DataPoint>> MAPPER =
      new RunMapper(() -> NodeCatalog.EMPTY, Vocabulary.ENRICHMENT_TAGS, 8)::map;
  private static Path mount;

  private final FakeClock clock = FakeClock.atSeconds(NOON + HOUR);
  private final Stats stats = new Stats();
  private final List<DataPoint> written = Collections.synchronizedList(new ArrayList<>());
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger jobLogger = (Logger) LoggerFactory.getLogger(PullJob.class);

  @BeforeAll
  static void mountATinyTmpfs() throws Exception {
    mount = Files.createTempDirectory("cursor-disk");
    String failure = run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mount.toString());
    if (failure != null) {
      fail("CursorFileFaultsIT needs to mount a 64 KB tmpfs on " + mount + " (root, or CAP_SYS_ADMIN in a "
          + "container) to give the cursor file a disk that can be made read-only and full for real; "
          + "'mount -t tmpfs -o size=64k tmpfs DIR' failed: " + failure);
    }
  }

  @AfterAll
  static void unmount() throws Exception {
    if (mount != null) {
      run("umount", mount.toString());
      Files.deleteIfExists(mount);
    }
  }

  @AfterEach
  void detachLog() {
    jobLogger.detachAppender(log);
  }

  @Test
  void aReadOnlyThenFullDiskCostsNoDataAndTheCursorIsStoredAgainOnceItRecovers() throws Exception {
    log.start();
    jobLogger.addAppender(log);
    Path file = mount.resolve("cursors.properties");
    // A run every minute of the day of test 1.
    PullJobTest.FakeSource source = new PullJobTest.FakeSource(true);
    for (long s = 0; s < 4 * HOUR; s += 60) {
      source.run(1, NOON + s, s);
    }
    FileCursorStore store = new FileCursorStore(file);
    store.save(new PullCursor("acme", 1, NOON + 3000));
    PullJob job = job(store, source);

    // Healthy: 12:50 to 12:58 (lag 2 min) is pulled and its cursor stored.
    assertTrue(job.runCycle());
    assertEquals(NOON + 3480, storedCursor(file));
    assertEquals(0, failures());

    // Read-only: the next interval's window is written all the same, the cursor moves on in memory only.
    remount("ro");
    clock.advance(300_000);
    int before = written.size();
    assertTrue(job.runCycle(), "the cycle ran through");
    assertEquals(5, written.size() - before, "the window's runs were written");
    assertEquals(1, failures());
    assertEquals(2, stats.get("catchpoint.pull.windows_ok", "account", "acme"));
    assertEquals(0, stats.get("catchpoint.pull.windows_failed", "account", "acme"));
    assertEquals(NOON + 3480, storedCursor(file), "the last stored cursor is intact");
    assertEquals(cursorIso(NOON + 3780), job.status().get(0).get("cursor"), "the pull goes on from memory");
    String error = String.valueOf(job.status().get(0).get("cursor_store_error"));
    assertTrue(error.contains(file.toString()) && error.contains("Read-only file system"), error);
    assertTrue(logged(file.toString() + ": "), () -> "no log line names the file: " + lines());
    assertEquals(List.of("cursors.properties"), files(), "nothing left beside the cursor file");

    // A restart now pulls again from the last stored cursor, 12:58: the window is pulled twice, no gap.
    PullJobTest.FakeSource again = new PullJobTest.FakeSource(true);
    again.runs.addAll(source.runs);
    assertTrue(job(new FileCursorStore(file), again).runCycle());
    assertEquals(List.of("[1] type=0 [3480,3780]"), again.calls);

    // Full: the same, with ENOSPC; the old file stays whole.
    remount("rw");
    long filled = fill(mount.resolve("filler"));
    assertTrue(filled > 0 && filled <= 64 * 1024, "filled " + filled + " bytes");
    clock.advance(300_000);
    before = written.size();
    assertTrue(job.runCycle());
    assertEquals(5, written.size() - before);
    assertTrue(failures() >= 2, "failures " + failures());
    error = String.valueOf(job.status().get(0).get("cursor_store_error"));
    assertTrue(error.contains(file.toString()) && error.contains("No space left on device"), error);
    assertEquals(NOON + 3480, storedCursor(file));
    assertEquals(List.of("cursors.properties", "filler"), files());
    // The source was asked from the in-memory cursor, not again from the stored one.
    assertEquals("[1] type=0 [3780,4080]", source.calls.get(source.calls.size() - 1));

    // Well again: the next window stores every cursor.
    Files.delete(mount.resolve("filler"));
    clock.advance(300_000);
    long failed = failures();
    assertTrue(job.runCycle());
    assertEquals(failed, failures());
    assertEquals(NOON + 4380, storedCursor(file));
    assertNull(job.status().get(0).get("cursor_store_error"));
    assertTrue(logged("the cursors are stored again"), this::lines);
    // Logged once per fault and job (the restarted job is a job of its own), not at every window.
    assertEquals(3, log.list.stream().filter(e -> e.getFormattedMessage().contains(file + ": ")).count(), this::lines);

    // From 12:50 to 13:13 every minute's run was written at least once: no gap.
    List<Long> seconds = written.stream().map(p -> p.timestampSeconds() - NOON).distinct().sorted()
        .collect(Collectors.toList());
    List<Long> expected = new ArrayList<>();
    for (long s = 3000; s < 4380; s += 60) {
      expected.add(s);
    }
    assertEquals(expected, seconds);
  }

  private PullJob job(CursorStore store, PullSource source) {
    PullAccountSettings a = PullAccountSettings.builder("acme", "v2").apiKey("k").tests("web", Arrays.asList(1L))
        .interval(300).lag(120).maxBackfill(86400).window(HOUR).build();
    return new PullJob(a, source, MAPPER, TestStages.of(p -> {
      written.add(p);
      return CompletableFuture.completedFuture(null);
    }), NOWHERE, store, clock, stats, () -> false, PullGate.ALWAYS, 100, 2000);
  }

  private long failures() {
    return stats.get("catchpoint.pull.cursor_save_failures", "account", "acme");
  }

  private static String cursorIso(long seconds) {
    return RestTimes.iso(seconds);
  }

  /** The cursor the file holds now, read as a restarted TSD would. */
  private static long storedCursor(Path file) throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    }
    return Long.parseLong(p.getProperty("acme.1"));
  }

  private static List<String> files() throws IOException {
    try (Stream<Path> s = Files.list(mount)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  /** Writes a file until the disk is full (ENOSPC); the bytes it holds. */
  private static long fill(Path filler) throws IOException {
    byte[] block = new byte[1024];
    long n = 0;
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
        out.flush();
        n += block.length;
      }
    } catch (IOException full) {
      assertTrue(String.valueOf(full.getMessage()).contains("No space left"), full::toString);
    }
    return Files.size(filler);
  }

  private boolean logged(String part) {
    return log.list.stream().anyMatch(e -> e.getFormattedMessage().contains(part));
  }

  private String lines() {
    return log.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.joining("\n"));
  }

  private static void remount(String mode) throws Exception {
    String failure = run("mount", "-o", "remount," + mode, mount.toString());
    if (failure != null) {
      fail("could not remount " + mount + " " + mode + ": " + failure);
    }
  }

  /** Runs a command; null when it succeeded, else what it said. */
  private static String run(String... command) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return e.toString();
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return String.join(" ", command) + " did not finish in 30 s";
    }
    return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
  }
}
