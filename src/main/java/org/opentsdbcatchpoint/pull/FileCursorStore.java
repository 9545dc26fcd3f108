package org.opentsdbcatchpoint.pull;

import java.io.IOException;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Cursors in a small properties file ({@code <account>.<testId>=<epoch seconds>}), rewritten whole
 * through a temporary file (synced) and an atomic rename, so a crash, a full disk or a read-only one
 * leaves the old file or the new one, never half of one. A save that fails keeps the cursor in memory
 * (the pull goes on from it) and the next save writes every cursor again. For a single pulling TSD.
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
    Path tmp = null;
    try {
      if (dir != null) {
        Files.createDirectories(dir);
      }
      tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
        p.store(out, "opentsdb-catchpoint pull cursors: <account>.<test id> = epoch seconds pulled up to");
        out.getFD().sync();
      }
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException e) {
      // The reason alone (not the temporary file's random name), so that one fault reads the same each time.
      String why = e instanceof FileSystemException && ((FileSystemException) e).getReason() != null
          ? ((FileSystemException) e).getReason() : String.valueOf(e.getMessage());
      IOException named = new IOException("could not store the pull cursors in " + file + ": " + why, e);
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException left) {
          named.addSuppressed(left);
        }
      }
      throw named;
    }
  }

  private static String key(String account, long testId) {
    return account + "." + testId;
  }
}
