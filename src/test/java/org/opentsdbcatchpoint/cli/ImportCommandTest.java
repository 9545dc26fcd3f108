package org.opentsdbcatchpoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The import command against a scripted TSD, on a clock it controls: the plan, the progress, the end. */
class ImportCommandTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true);
  private final Deque<Object[]> answers = new ArrayDeque<>();
  private final List<String> asked = new ArrayList<>();
  private long now = 1_796_083_200_000L; // 2026-12-01T00:00:00Z

  private final ImportCommand.Exchange tsd = (method, path) -> {
    asked.add(method + " " + path);
    Object[] a = answers.poll();
    if (a == null) {
      throw new AssertionError("nothing scripted for " + method + " " + path);
    }
    if (a[0] instanceof IOException) {
      throw (IOException) a[0];
    }
    return a;
  };

  private static final String PLANNED = "{\"id\":\"main-0a1b2c3d\",\"account\":\"main\",\"tests\":[100001,100002],"
      + "\"from\":\"2026-11-01T00:00:00Z\",\"to\":\"2026-12-01T00:00:00Z\",\"window_seconds\":21600,"
      + "\"windows_total\":120,\"requests_planned\":120,\"estimate_seconds\":720";

  private void answer(int status, String json) {
    answers.add(new Object[] {status, MiniJson.parse(json)});
  }

  private void progress(String state, int done, long runs, String eta) {
    answer(200, "{\"import\":" + PLANNED + ",\"state\":\"" + state + "\",\"windows_done\":" + done + ",\"runs\":" + runs
        + ",\"points\":" + 2 * runs + ",\"requests\":" + done + ",\"rate_limited\":0,\"points_per_second\":2400,"
        + "\"eta_seconds\":" + eta + ",\"paused_until\":null,\"last_error\":null}}");
  }

  private int run(boolean terminal, String... args) throws Exception {
    Map<String, String> o = ImportCommand.options(args, 0, out);
    ImportCommand c = new ImportCommand(out, terminal, tsd, millis -> now += millis, () -> now);
    return c.run(o);
  }

  private String printed() {
    return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
  }

  private static final String[] ARGS = {"--account", "main", "--tests", "100001,100002", "--from", "2026-11-01",
      "--to", "2026-11-30"};

  @Test
  void plainLinesWhenNotATerminal() throws Exception {
    answer(202, "{\"created\":true,\"message\":\"import queued\",\"import\":" + PLANNED + ",\"state\":\"queued\"}}");
    progress("running", 30, 4500, "540");
    progress("running", 31, 4650, "530");
    for (int i = 0; i < 5; i++) {
      progress("running", 60, 9000, "360");
    }
    progress("done", 120, 18000, "0");
    assertEquals(0, run(false, ARGS));
    String text = printed();
    assertEquals("POST /plugin/catchpoint/pull/import?account=main&tests=100001%2C100002&from=2026-11-01"
        + "&to=2026-11-30", asked.get(0));
    assertEquals("GET /plugin/catchpoint/pull/import?id=main-0a1b2c3d", asked.get(1));
    assertTrue(text.startsWith("import main-0a1b2c3d: account main, tests 100001,100002, 2026-11-01T00:00:00Z to "
        + "2026-12-01T00:00:00Z\nplan: 120 windows of 6 h, 120 requests, about 12 min at the account's import pace"),
        text);
    assertTrue(text.contains("00:00:01 main-0a1b2c3d  25%  30/120 windows  4,500 runs  9,000 points  2,400 points/s  "
        + "9 min left\n"), text);
    // A line every 5 s, not one per look.
    assertFalse(text.contains("31/120"), text);
    assertTrue(text.contains("00:00:06 main-0a1b2c3d  50%  60/120 windows"), text);
    assertTrue(text.endsWith("import main-0a1b2c3d done: 18,000 runs, 36,000 points in 120 windows (120 requests, 0 "
        + "rate limited)\n"), text);
    assertFalse(text.contains("\r"), "no bar drawn into a file");
  }

  @Test
  void aBarRedrawnInPlaceOnATerminal() throws Exception {
    answer(200, "{\"created\":false,\"message\":\"import already running: attached to it\",\"import\":" + PLANNED
        + ",\"state\":\"running\",\"windows_done\":60}}");
    progress("done", 120, 18000, "0");
    assertEquals(0, run(true, ARGS));
    String text = printed();
    assertTrue(text.contains("import already running: attached to it\n"), text);
    assertTrue(text.contains("\r[############............]  50%  60/120 windows"), text);
    assertTrue(text.contains("\r[########################] 100%  120/120 windows  18,000 runs  36,000 points  "
        + "2,400 points/s  done"), text);
  }

  @Test
  void aRefusalIsPrintedWithTheTsdsReason() throws Exception {
    answer(403, "{\"error\":{\"code\":403,\"kind\":\"forbidden\",\"message\":\"wrong admin token\"}}");
    assertEquals(1, run(false, ARGS));
    assertEquals("import refused (403): wrong admin token\n", printed());
  }

  @Test
  void aTsdRestartingIsWaitedFor() throws Exception {
    answer(202, "{\"created\":true,\"message\":\"queued\",\"import\":" + PLANNED + ",\"state\":\"running\"}}");
    answers.add(new Object[] {new IOException("Connection refused")});
    progress("done", 120, 18000, "0");
    assertEquals(0, run(false, ARGS));
    assertTrue(printed().contains("TSD not answering (Connection refused): the import goes on in the TSDs"), printed());
  }

  @Test
  void aFailedImportSaysHowToResumeIt() throws Exception {
    answer(202, "{\"created\":true,\"message\":\"queued\",\"import\":" + PLANNED + ",\"state\":\"failed\","
        + "\"last_error\":\"main: refused with 400\"}}");
    assertEquals(1, run(false, ARGS));
    assertTrue(printed().contains("failed: main: refused with 400\n(run the same command again to resume"), printed());
  }

  @Test
  void optionsAndTheToken() {
    assertNull(ImportCommand.options(new String[] {"--account", "main"}, 0, out));
    assertTrue(printed().contains("--tests is required"), printed());
    assertNull(ImportCommand.options(new String[] {"--acount", "main"}, 0, out));
    Map<String, String> o = ImportCommand.options(new String[] {"--account", "a", "--tests", "1", "--from", "x",
        "--to", "y", "--again", "--token-env", "MY_TOKEN"}, 0, out);
    assertEquals("true", o.get("again"));
    assertEquals("s3cret", ImportCommand.token(o, name -> name.equals("MY_TOKEN") ? "s3cret" : null));
    o.put("token", "given");
    assertEquals("given", ImportCommand.token(o, name -> null));
  }

  @Test
  void theJsonOfTheAnswers() {
    Object v = MiniJson.parse(" {\"a\":[1,2.5,-3e2,true,false,null],\"b\":{\"c\":\"x\\\"y\\u00e9\\n\"},\"d\":{}} ");
    assertEquals("{a=[1.0, 2.5, -300.0, true, false, null], b={c=x\"y\u00e9\n}, d={}}", String.valueOf(v));
    for (String bad : new String[] {"", "{", "{\"a\" 1}", "[1,]", "tru", "\"open", "{} x"}) {
      try {
        MiniJson.parse(bad);
        throw new AssertionError("parsed " + bad);
      } catch (IllegalArgumentException expected) {
        assertTrue(expected.getMessage().startsWith("not JSON"), expected.getMessage());
      }
    }
  }

  @Test
  void durations() {
    assertEquals("45 s", ProgressText.duration(45));
    assertEquals("12 min 5 s", ProgressText.duration(725));
    assertEquals("3 h 20 min", ProgressText.duration(12000));
    assertEquals("2 d 4 h", ProgressText.duration(187200));
  }

  /**
   * {@code java -jar} has none of the TSD's libraries on its class path: the command's classes use the JDK
   * and each other only.
   */
  @Test
  void theCommandNeedsNothingButTheJdk() throws IOException {
    Path dir = Paths.get("src/main/java/org/opentsdbcatchpoint/cli");
    int files = 0;
    try (DirectoryStream<Path> sources = Files.newDirectoryStream(dir, "*.java")) {
      for (Path f : sources) {
        files++;
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          if (line.startsWith("import ")) {
            assertTrue(line.startsWith("import java."), f + ": " + line);
          }
          assertFalse(line.contains("org.opentsdbcatchpoint.") && !line.startsWith("package ")
              && !line.contains("org.opentsdbcatchpoint.cli."), f + ": " + line);
        }
      }
    }
    assertEquals(4, files);
  }
}
