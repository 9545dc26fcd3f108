package org.opentsdbcatchpoint.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * CPU seconds used so far by the TSD, HBase (from {@code /proc/PID/stat}) and this load generator.
 * On two cores everything competes, so the benchmark says who spent the CPU.
 */
final class CpuMeter {
  private final long tsdPid;
  private final long hbasePid;
  private final double ticksPerSecond;

  /** @param tsdPid 0 when unknown (then reported as 0) */
  CpuMeter(long tsdPid, long hbasePid, double ticksPerSecond) {
    this.tsdPid = tsdPid;
    this.hbasePid = hbasePid;
    this.ticksPerSecond = ticksPerSecond;
  }

  /** CPU seconds of tsd, hbase and client at one moment. */
  static final class Reading {
    final double tsd;
    final double hbase;
    final double client;

    Reading(double tsd, double hbase, double client) {
      this.tsd = tsd;
      this.hbase = hbase;
      this.client = client;
    }

    Reading minus(Reading before) {
      return new Reading(tsd - before.tsd, hbase - before.hbase, client - before.client);
    }
  }

  Reading read() {
    return new Reading(process(tsdPid), process(hbasePid), clientSeconds());
  }

  private double process(long pid) {
    if (pid <= 0) {
      return 0;
    }
    try {
      String stat = new String(Files.readAllBytes(Paths.get("/proc/" + pid + "/stat")));
      // Fields after the command name, which may hold spaces: state is [0], utime [11], stime [12].
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / ticksPerSecond;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static double clientSeconds() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() / 1e9;
    }
    return 0;
  }
}
