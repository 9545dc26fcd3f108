package org.opentsdbcatchpoint.pull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Cursors in a small properties file ({@code <account>.<testId>=<epoch seconds>}), rewritten whole
 * through a temporary file and an atomic rename, so a crash leaves the old file or the new one, never
 * half of one. For a single pulling TSD.
 */
public final class FileCursorStore implements CursorStore {
  private final Path file;
  private final Map<String, Long> cursors = new TreeMap<>();

  public FileCursorStore(Path file) throws IOException {
    this.file = file;
    if (Files.exists(file)) {
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      }
      for (String key : p.stringPropertyNames()) {
        try {
          cursors.put(key, Long.parseLong(p.getProperty(key).trim()));
        } catch (NumberFormatException e) {
          throw new IOException("the pull cursor file " + file + " has a bad value for " + key, e);
        }
      }
    }
  }

  @Override
  public synchronized PullCursor load(String account, long testId) {
    Long position = cursors.get(key(account, testId));
    return position == null ? null : new PullCursor(account, testId, position);
  }

  @Override
  public synchronized void save(PullCursor cursor) throws IOException {
    cursors.put(key(cursor.account(), cursor.testId()), cursor.position());
    Properties p = new Properties();
    for (Map.Entry<String, Long> e : cursors.entrySet()) {
      p.setProperty(e.getKey(), Long.toString(e.getValue()));
    }
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        p.store(out, "opentsdb-catchpoint pull cursors: <account>.<test id> = epoch seconds pulled up to");
      }
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static String key(String account, long testId) {
    return account + "." + testId;
  }
}
