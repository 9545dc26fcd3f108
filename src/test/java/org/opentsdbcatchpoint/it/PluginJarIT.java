package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar as an operator drops it into a TSD that may still run on Java 8: every class in it,
 * the plugin's own and the shaded ones alike, is Java 8 bytecode (class file major version 52 or
 * less). The build compiles with {@code --release 8}; this checks what actually went into the jar,
 * since a shaded dependency brings its own bytecode level.
 */
@Order(1)
class PluginJarIT {
  static final int JAVA_8 = 52;

  @Test
  void everyClassInThePackagedJarIsJava8Bytecode() throws IOException {
    Path jarPath = packagedJar();
    TreeMap<String, Integer> tooNew = new TreeMap<>();
    int classes = 0;
    try (ZipFile jar = new ZipFile(jarPath.toFile())) {
      for (ZipEntry e : Collections.list(jar.entries())) {
        if (!e.getName().endsWith(".class")) {
          continue;
        }
        classes++;
        int major = majorVersion(jar, e);
        if (major > JAVA_8) {
          tooNew.put(e.getName(), major);
        }
      }
    }
    assertTrue(classes > 100, "only " + classes + " classes in " + jarPath);
    assertEquals(Collections.emptyMap(), tooNew, "classes newer than Java 8 in " + jarPath);
  }

  /** Bytes 6-7 of a class file, after the magic number and the minor version. */
  private static int majorVersion(ZipFile jar, ZipEntry e) throws IOException {
    try (InputStream in = jar.getInputStream(e); DataInputStream d = new DataInputStream(in)) {
      int magic = d.readInt();
      assertEquals(0xCAFEBABE, magic, e.getName() + " is not a class file");
      d.readUnsignedShort();
      return d.readUnsignedShort();
    }
  }

  static Path packagedJar() throws IOException {
    List<Path> jars = new ArrayList<>();
    try (DirectoryStream<Path> d = Files.newDirectoryStream(Paths.get("target"), "opentsdb-catchpoint-*.jar")) {
      d.forEach(jars::add);
    }
    jars.removeIf(p -> p.getFileName().toString().matches(".*-(sources|javadoc|tests)\\.jar"));
    assertEquals(1, jars.size(), jars.toString());
    return jars.get(0);
  }
}
