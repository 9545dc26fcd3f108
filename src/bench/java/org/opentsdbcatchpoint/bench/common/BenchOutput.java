package org.opentsdbcatchpoint.bench.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the stand-alone bench programs share: {@code --key=value} options, spreads, the JVM block, the JSON file. */
public final class BenchOutput {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private BenchOutput() {}

  /** {@code --key=value} and bare {@code --flag} (value ""); anything else is refused. */
  public static Map<String, String> options(String[] argv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String a : argv) {
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + a);
      }
      int eq = a.indexOf('=');
      m.put(eq < 0 ? a.substring(2) : a.substring(2, eq), eq < 0 ? "" : a.substring(eq + 1));
    }
    return m;
  }

  /** Median, min and max of repeated measurements, rounded; empty when nothing was measured. */
  public static Map<String, Object> spread(List<Double> xs, int decimals) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (xs.isEmpty()) {
      return m;
    }
    m.put("median", round(median(xs), decimals));
    m.put("min", round(Collections.min(xs), decimals));
    m.put("max", round(Collections.max(xs), decimals));
    return m;
  }

  public static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  public static double round(double x, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(x * f) / f;
  }

  public static List<String> gcNames() {
    List<String> names = new ArrayList<>();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      names.add(gc.getName());
    }
    return names;
  }

  /** The JVM a figure was measured in: a number means little without its heap and collector. */
  public static Map<String, Object> jvm() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", System.getProperty("java.version"));
    m.put("vm", System.getProperty("java.vm.name"));
    m.put("gc", gcNames());
    m.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
    m.put("input_arguments", ManagementFactory.getRuntimeMXBean().getInputArguments());
    m.put("processors", Runtime.getRuntime().availableProcessors());
    return m;
  }

  /** Writes the result file, creating its directory. */
  public static void write(String out, Map<String, Object> result) throws IOException {
    Path p = Paths.get(out).toAbsolutePath();
    if (p.getParent() != null) {
      Files.createDirectories(p.getParent());
    }
    JSON.writeValue(p.toFile(), result);
  }
}
