package org.opentsdbcatchpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The shared Catchpoint sample payloads in {@code ../shared/catchpoint/fixtures/}, relative to the
 * project root (Maven runs tests there). Tests read these, never the copies under
 * {@code plugin-config/}.
 */
public final class Fixtures {
  private Fixtures() {}

  /** The fixtures directory; fails with a clear message when it is not beside the project. */
  public static Path dir() {
    Path dir = Paths.get("..", "shared", "catchpoint", "fixtures");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("the shared Catchpoint fixtures are missing: expected the directory "
          + dir.toAbsolutePath().normalize() + " (../shared/catchpoint/fixtures beside the project root; "
          + "run the tests from the project root)");
    }
    return dir;
  }

  /** One fixture file's path; fails with a clear message when it does not exist. */
  public static Path path(String name) {
    Path p = dir().resolve(name);
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("the fixture " + name + " is missing: expected the file "
          + p.toAbsolutePath().normalize());
    }
    return p;
  }

  /** One fixture file's bytes. */
  public static byte[] bytes(String name) {
    Path p = path(name);
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the fixture " + p.toAbsolutePath().normalize(), e);
    }
  }

  /** One fixture file as UTF-8 text. */
  public static String text(String name) {
    return new String(bytes(name), StandardCharsets.UTF_8);
  }
}
