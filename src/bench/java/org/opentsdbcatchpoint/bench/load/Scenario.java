package org.opentsdbcatchpoint.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** One way into the TSD for the same datapoints: what to send next, and what an answer acknowledged. */
abstract class Scenario {
  /** Stable key in results.json: push, put-sync, put, limit. */
  final String key;

  private Scenario(String key) {
    this.key = key;
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

  abstract Call next(RunSequence runs);

  abstract Outcome accept(Call call, HttpPoster.Reply reply);

  /** {@code POST /plugin/catchpoint/push}: one run per request, as Catchpoint sends them. */
  static Scenario push(String token) {
    String target = "/plugin/catchpoint/push?token=" + encode(token);
    return new Scenario("push") {
      @Override
      Call next(RunSequence runs) {
        RunSequence.Push p = runs.nextPush();
        return new Call(target, p.body, p.points);
      }

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
    return new Scenario(sync ? "put-sync" : "put") {
      @Override
      Call next(RunSequence runs) {
        return new Call(target, runs.nextBatch(batch), batch);
      }

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
    ObjectMapper json = new ObjectMapper();
    return new Scenario("limit") {
      @Override
      Call next(RunSequence runs) {
        return new Call(target, runs.nextBatch(batch), batch);
      }

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
