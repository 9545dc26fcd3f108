package org.opentsdbcatchpoint.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One scenario at one concurrency: {@code clients} threads send back to back over their own
 * connections; after a warm-up, what completes within the window counts. Latency is the time from
 * sending a request to reading its whole answer.
 */
final class Measurement {
  private final Scenario scenario;
  private final int clients;
  private final HttpPoster.Factory http;
  private final String host;
  private final int port;
  private final CpuMeter cpu;

  private volatile long windowStart = Long.MAX_VALUE;
  private volatile long windowEnd = Long.MAX_VALUE;
  private volatile boolean stop;
  private final AtomicReference<String> firstError = new AtomicReference<>();

  Measurement(Scenario scenario, int clients, HttpPoster.Factory http, String host, int port, CpuMeter cpu) {
    this.scenario = scenario;
    this.clients = clients;
    this.http = http;
    this.host = host;
    this.port = port;
    this.cpu = cpu;
  }

  /** What one measurement found. Latencies in milliseconds. */
  static final class Result {
    String scenario;
    int clients;
    int repeat;
    double seconds;
    long points;
    long requests;
    long errors;
    String firstError;
    double pointsPerSecond;
    double requestsPerSecond;
    double p50Millis;
    double p99Millis;
    /** The addPoint loop's own rate (points over the time the TSD measured), else 0. */
    double loopPointsPerSecond;
    double tsdCpuSeconds;
    double hbaseCpuSeconds;
    double clientCpuSeconds;
    long runsUsed;

    ObjectNode toJson(ObjectMapper json) {
      ObjectNode n = json.createObjectNode();
      n.put("scenario", scenario);
      n.put("clients", clients);
      n.put("repeat", repeat);
      n.put("seconds", seconds);
      n.put("points", points);
      n.put("requests", requests);
      n.put("errors", errors);
      if (firstError != null) {
        n.put("first_error", firstError);
      }
      n.put("points_per_second", pointsPerSecond);
      n.put("requests_per_second", requestsPerSecond);
      n.put("p50_ms", p50Millis);
      n.put("p99_ms", p99Millis);
      if (loopPointsPerSecond > 0) {
        n.put("loop_points_per_second", loopPointsPerSecond);
      }
      ObjectNode cpu = n.putObject("cpu_seconds");
      cpu.put("tsd", tsdCpuSeconds);
      cpu.put("hbase", hbaseCpuSeconds);
      cpu.put("client", clientCpuSeconds);
      return n;
    }
  }

  Result run(RunSequence runs, long warmupMillis, long windowMillis) throws InterruptedException {
    List<Client> threads = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Client c = new Client(runs);
      threads.add(c);
      c.start();
    }
    Thread.sleep(warmupMillis);
    CpuMeter.Reading before = cpu.read();
    long start = System.nanoTime();
    windowStart = start;
    Thread.sleep(windowMillis);
    long end = System.nanoTime();
    windowEnd = end;
    CpuMeter.Reading used = cpu.read().minus(before);
    stop = true;
    for (Client c : threads) {
      c.join();
    }

    Result r = new Result();
    r.scenario = scenario.key;
    r.clients = clients;
    r.seconds = (end - start) / 1e9;
    int counted = 0;
    for (Client c : threads) {
      counted += c.latencyCount;
    }
    long[] latencies = new long[counted];
    long serverNanos = 0;
    int at = 0;
    for (Client c : threads) {
      r.points += c.points;
      r.requests += c.requests;
      r.errors += c.errors;
      serverNanos += c.serverNanos;
      System.arraycopy(c.latencies, 0, latencies, at, c.latencyCount);
      at += c.latencyCount;
    }
    Arrays.sort(latencies);
    r.firstError = firstError.get();
    r.pointsPerSecond = r.points / r.seconds;
    r.requestsPerSecond = r.requests / r.seconds;
    r.p50Millis = quantile(latencies, 0.50) / 1e6;
    r.p99Millis = quantile(latencies, 0.99) / 1e6;
    r.loopPointsPerSecond = serverNanos > 0 ? r.points / (serverNanos / 1e9) : 0;
    r.tsdCpuSeconds = used.tsd;
    r.hbaseCpuSeconds = used.hbase;
    r.clientCpuSeconds = used.client;
    r.runsUsed = runs.runsUsed();
    return r;
  }

  private static double quantile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
  }

  /** One client: its own connection, requests back to back, counts kept to itself until the end. */
  private final class Client extends Thread {
    private final RunSequence runs;
    long points;
    long requests;
    long errors;
    long serverNanos;
    long[] latencies = new long[4096];
    int latencyCount;

    Client(RunSequence runs) {
      super("bench-client");
      setDaemon(true);
      this.runs = runs;
    }

    @Override
    public void run() {
      try (HttpPoster poster = http.open(host, port)) {
        while (!stop) {
          Scenario.Call call = scenario.next(runs);
          long sent = System.nanoTime();
          Scenario.Outcome outcome;
          try {
            outcome = scenario.accept(call, poster.post(call.target, call.body));
          } catch (Exception e) {
            outcome = Scenario.Outcome.failed(call, null, e.toString());
          }
          long done = System.nanoTime();
          if (done >= windowStart && done < windowEnd) {
            count(outcome, done - sent);
          }
          if (outcome.error != null) {
            Thread.sleep(10); // a refusing TSD must not turn the client into a busy loop
          }
        }
      } catch (Exception e) {
        firstError.compareAndSet(null, e.toString());
        errors++;
      }
    }

    private void count(Scenario.Outcome outcome, long latency) {
      requests++;
      if (outcome.error != null) {
        errors++;
        firstError.compareAndSet(null, outcome.error);
        return;
      }
      points += outcome.points;
      serverNanos += outcome.serverNanos;
      if (latencyCount == latencies.length) {
        latencies = Arrays.copyOf(latencies, latencies.length * 2);
      }
      latencies[latencyCount++] = latency;
    }
  }
}
