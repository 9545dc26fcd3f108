package org.opentsdbcatchpoint.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/** One way into the TSD for the same datapoints: what to send next, and what an answer acknowledged. */
abstract class Scenario {
  /** Stable key in results.json: push, put-sync, put-sync-run, put, limit, addpoint-double. */
  final String key;
  private final Function<RunSequence, Call> calls;

  private Scenario(String key, Function<RunSequence, Call> calls) {
    this.key = key;
    this.calls = calls;
  }

  /** A request to send: where, the body, and how many datapoints it carries. */
  static final class Call {
    final String target;
    final byte[] body;
    final int points;

    Call(String target, byte[] body, int points) {
      this.target = target;
      this.body = body;
      this.points = points;
    }

    /** One whole run a request. */
    Call(String target, RunSequence.Run run) {
      this(target, run.body, run.points);
    }
  }

  /** What an answer acknowledged; {@code error} is null when it acknowledged the whole call. */
  static final class Outcome {
    final long points;
    /** Time the TSD itself measured for the call (the addPoint loop), else 0. */
    final long serverNanos;
    final String error;

    Outcome(long points, long serverNanos, String error) {
      this.points = points;
      this.serverNanos = serverNanos;
      this.error = error;
    }

    static Outcome failed(Call call, HttpPoster.Reply reply, String why) {
      String body = reply == null ? "" : reply.text();
      return new Outcome(0, 0, why + (reply == null ? "" : " (HTTP " + reply.status + ": "
          + body.substring(0, Math.min(300, body.length())) + ")") + " for " + call.target);
    }
  }

  /** What to send next. */
  final Call next(RunSequence runs) {
    return calls.apply(runs);
  }

  abstract Outcome accept(Call call, HttpPoster.Reply reply);

  /** {@code POST /plugin/catchpoint/push}: one run per request, as Catchpoint sends them. */
  static Scenario push(String token) {
    String target = "/plugin/catchpoint/push?token=" + encode(token);
    return new Scenario("push", runs -> new Call(target, runs.nextPush())) {
      @Override
      Outcome accept(Call call, HttpPoster.Reply reply) {
        if (reply.status != 200) {
          return Outcome.failed(call, reply, "push refused");
        }
        long written = writtenCount(reply.body);
        return written == call.points ? new Outcome(written, 0, null)
            : Outcome.failed(call, reply, "the plugin wrote " + written + " of " + call.points + " datapoints");
      }
    };
  }

  /** {@code POST /api/put}, {@code batch} datapoints a request as the old bridges sent them. */
  static Scenario put(boolean sync, int batch) {
    String target = sync ? "/api/put?sync=true" : "/api/put";
    return put(sync ? "put-sync" : "put", runs -> new Call(target, runs.nextBatch(batch), batch));
  }

  /**
   * {@code POST /api/put?sync=true} with the datapoints of one run a request: a bridge that forwards each
   * webhook as it comes, acknowledged.
   */
  static Scenario putSyncRun() {
    return put("put-sync-run", runs -> new Call("/api/put?sync=true", runs.nextRunPoints()));
  }

  private static Scenario put(String key, Function<RunSequence, Call> calls) {
    return new Scenario(key, calls) {
      @Override
      Outcome accept(Call call, HttpPoster.Reply reply) {
        return reply.status == 204 || reply.status == 200 ? new Outcome(call.points, 0, null)
            : Outcome.failed(call, reply, "put refused");
      }
    };
  }

  /** The plugin's bench-only addPoint loop: {@code batch} datapoints a request, the TSD times the loop. */
  static Scenario limit(String token, int batch, int inFlight) {
    String target = "/plugin/catchpoint-bench/addpoint?token=" + encode(token) + "&in_flight=" + inFlight;
    return addPoint("limit", runs -> new Call(target, runs.nextBatch(batch), batch));
  }

  /**
   * The addPoint loop with one run's datapoints a request, every value written as a double as the plugin
   * did before compact storage (0.2): what the same runs took in HBase before.
   */
  static Scenario addPointDoubles(String token) {
    String target = "/plugin/catchpoint-bench/addpoint?token=" + encode(token) + "&encoding=double";
    return addPoint("addpoint-double", runs -> new Call(target, runs.nextRunPoints()));
  }

  private static Scenario addPoint(String key, Function<RunSequence, Call> calls) {
    ObjectMapper json = new ObjectMapper();
    return new Scenario(key, calls) {
      @Override
      Outcome accept(Call call, HttpPoster.Reply reply) {
        if (reply.status != 200) {
          return Outcome.failed(call, reply, "bench loop refused (is the benchmark's plugin jar on the TSD's class path?)");
        }
        try {
          JsonNode a = json.readTree(reply.body);
          long written = a.path("written").asLong();
          if (written != call.points) {
            return Outcome.failed(call, reply, "the loop wrote " + written + " of " + call.points + " datapoints");
          }
          return new Outcome(written, a.path("elapsed_ns").asLong(), null);
        } catch (IOException e) {
          return Outcome.failed(call, reply, "unreadable answer");
        }
      }
    };
  }

  /** The {@code "written":N} of a push answer, without parsing the rest. */
  static long writtenCount(byte[] body) {
    byte[] key = "\"written\":".getBytes(StandardCharsets.US_ASCII);
    outer:
    for (int i = 0; i + key.length <= body.length; i++) {
      for (int j = 0; j < key.length; j++) {
        if (body[i + j] != key[j]) {
          continue outer;
        }
      }
      long n = 0;
      for (int k = i + key.length; k < body.length && body[k] >= '0' && body[k] <= '9'; k++) {
        n = n * 10 + (body[k] - '0');
      }
      return n;
    }
    return -1;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
