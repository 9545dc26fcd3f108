package org.opentsdbcatchpoint.synthetic;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The synthetic Catchpoint runs that the stack's fake Catchpoint ({@code integration-tests/stack/FakeCatchpoint.java})
 * serves and the benchmark ({@code src/bench}) parses and forwards: one generator, so that both see the same
 * data. Every test has, on every node, one run a minute at second {@link #secondOfMinute node id mod 60}. Its
 * values are a function of (test, node, minute, hop) only, so the runs of any window can be computed again at
 * any time. Web runs have {@link #WEB_COLUMNS} (SSL missing on one run in seven, Document Complete on about one
 * in five); ping runs have {@link #PING_COLUMNS}, and traceroute runs those two on each of {@link
 * #TRACEROUTE_HOPS} hops.
 *
 * <p>JDK only and compiled twice: by {@code integration-tests/tsd.sh} with javac beside the fake, and by the
 * {@code bench} profile of the pom, which adds this source root.
 */
public final class SyntheticRuns {
  public static final String WEB = "web";
  public static final String PING = "ping";
  public static final String TRACEROUTE = "traceroute";

  /** The columns of the fixture rest-v1-raw-web.json. */
  public static final List<String> WEB_COLUMNS = Collections.unmodifiableList(Arrays.asList("DNS (ms)",
      "Connect (ms)", "SSL (ms)", "Wait (ms)", "Response (ms)", "# Connections", "% Downtime",
      "Document Complete (ms)"));
  /** The columns of a ping run, and of each hop of a traceroute run. */
  public static final List<String> PING_COLUMNS =
      Collections.unmodifiableList(Arrays.asList("Ping Round Trip (ms)", "% Ping Packet Loss"));
  public static final int TRACEROUTE_HOPS = 3;

  private SyntheticRuns() {}

  public static boolean isType(String type) {
    return WEB.equals(type) || PING.equals(type) || TRACEROUTE.equals(type);
  }

  /** The columns of a run (or hop) of this type, which {@link #values} lines up with. */
  public static List<String> columns(String type) {
    return type.equals(WEB) ? WEB_COLUMNS : PING_COLUMNS;
  }

  /** The second of every minute at which a node runs its tests. */
  public static long secondOfMinute(long node) {
    return Math.floorMod(node, 60);
  }

  /**
   * The values of one run (or one traceroute hop), aligned with {@link #columns(String)}; null where the run
   * has no value.
   *
   * @param minute the run's time in whole minutes since the epoch
   * @param hop 1 to {@link #TRACEROUTE_HOPS} for traceroute, 0 otherwise
   */
  public static Double[] values(String type, long test, long node, long minute, int hop) {
    long h = mix(test, node, minute, hop);
    if (type.equals(WEB)) {
      boolean noSsl = Math.floorMod(minute + node, 7) == 0;
      boolean noDocComplete = bits(h, 52, 5) == 0;
      return new Double[] {
        (double) (5 + bits(h, 0, 60)),
        (double) (3 + bits(h, 8, 80)),
        noSsl ? null : (double) (10 + bits(h, 16, 90)),
        (double) (100 + bits(h, 24, 400)),
        (double) (800 + bits(h, 32, 3000)),
        (double) (5 + bits(h, 40, 20)),
        bits(h, 46, 20) == 0 ? 100.0 : 0.0,
        noDocComplete ? null : (double) (1000 + bits(h, 56, 2500)),
      };
    }
    // ping, and each traceroute hop (later hops further away)
    double rtt = (10 * hop + 100 + bits(h, 0, 3000)) / 10.0;
    double loss = bits(h, 12, 10) == 0 ? 33.3 : 0.0;
    return new Double[] {rtt, loss};
  }

  /** splitmix64: the values of a run depend on (test, node, minute, hop) only. */
  private static long mix(long test, long node, long minute, int hop) {
    long z = test * 0x9E3779B97F4A7C15L + node * 0xC2B2AE3D27D4EB4FL + minute * 0x165667B19E3779F9L + hop * 31L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static long bits(long h, int shift, int modulo) {
    return Math.floorMod(h >>> shift, modulo);
  }

  /**
   * The runs of some tests on some nodes whose time lies in [first, last], one at a time and computed only
   * when asked for (a window of any size costs no memory): by minute, then node, then test (nodes and tests
   * in the order given), then hop. Start with {@link #next()}.
   */
  public static final class Window {
    private final long[] nodes;
    private final long[] tests;
    private final String[] types;
    private final long first;
    private final long last;

    private long minute;
    private int nodeIndex;
    private int testIndex;
    private int hop;
    private long time;
    private boolean onRun;

    /**
     * @param nodes the node ids
     * @param typeOf the type of each test ({@link #WEB}, {@link #PING} or {@link #TRACEROUTE})
     * @param first the first second of the window
     * @param last the last second of the window (inclusive)
     */
    public Window(long[] nodes, List<Long> tests, LongFunction<String> typeOf, long first, long last) {
      this.nodes = nodes.clone();
      this.tests = new long[tests.size()];
      this.types = new String[tests.size()];
      for (int i = 0; i < this.tests.length; i++) {
        this.tests[i] = tests.get(i);
        this.types[i] = typeOf.apply(this.tests[i]);
      }
      this.first = first;
      this.last = last;
      this.minute = Math.floorDiv(first, 60);
    }

    /** Moves to the next run (or hop); false when the window has no more. */
    public boolean next() {
      if (onRun) {
        if (hop > 0 && hop < TRACEROUTE_HOPS) {
          hop++;
          return true;
        }
        if (testIndex + 1 < tests.length) {
          testIndex++;
          hop = firstHop(testIndex);
          return true;
        }
        nodeIndex++;
        onRun = false;
      }
      if (nodes.length == 0 || tests.length == 0) {
        return false;
      }
      while (true) {
        if (nodeIndex == nodes.length) {
          nodeIndex = 0;
          minute++;
        }
        if (minute * 60 > last) {
          return false;
        }
        time = minute * 60 + secondOfMinute(nodes[nodeIndex]);
        if (time >= first && time <= last) {
          break;
        }
        nodeIndex++;
      }
      testIndex = 0;
      hop = firstHop(0);
      onRun = true;
      return true;
    }

    private int firstHop(int test) {
      return types[test].equals(TRACEROUTE) ? 1 : 0;
    }

    public long test() {
      return tests[testIndex];
    }

    public String type() {
      return types[testIndex];
    }

    /** The position of the run's node in the nodes given. */
    public int nodeIndex() {
      return nodeIndex;
    }

    public long node() {
      return nodes[nodeIndex];
    }

    /** The run's time, epoch seconds. */
    public long time() {
      return time;
    }

    /** 1 to {@link #TRACEROUTE_HOPS} for a traceroute hop, 0 otherwise. */
    public int hop() {
      return hop;
    }

    /** The run's values, computed now; aligned with {@link SyntheticRuns#columns(String)} of its type. */
    public Double[] values() {
      return SyntheticRuns.values(type(), test(), node(), minute, hop);
    }
  }
}
