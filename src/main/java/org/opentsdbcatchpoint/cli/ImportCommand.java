package org.opentsdbcatchpoint.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UnsupportedEncodingException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code java -jar opentsdb-catchpoint.jar import ...}: a thin client of the TSD's
 * {@code POST /plugin/catchpoint/pull/import}. It asks for the import (the TSD stores it and the
 * holder of the account's lease pulls it), prints the plan, then follows its progress until it ends:
 * a bar redrawn in place on a terminal, a plain line every few seconds otherwise. The import runs in
 * the TSD: stopping this command stops nothing, and running it again attaches to the same import.
 */
final class ImportCommand {
  static final String TOKEN_ENV = "CATCHPOINT_ADMIN_TOKEN";
  static final String USAGE = "usage: java -jar opentsdb-catchpoint.jar import --account NAME --tests ID[,ID...] "
      + "--from DATE|TIME --to DATE|TIME\n"
      + "    [--type TYPE] [--tsd http://HOST:4242] [--token-env VAR | --token SECRET] [--again] [--detach] [--plain]\n"
      + "  DATE is 2026-11-01 (from its midnight UTC; --to includes that whole day), TIME ISO-8601 or epoch seconds\n"
      + "  --type      the test type of tests the account does not list (web, api, dns, ping, traceroute, ...)\n"
      + "  --tsd       the TSD (default http://127.0.0.1:4242)\n"
      + "  --token-env the environment variable holding pull.admin_token (default " + TOKEN_ENV + ");\n"
      + "              --token gives it on the command line instead (visible to other users of the machine)\n"
      + "  --again     import a range that was imported already once more\n"
      + "  --detach    print the plan and leave the import to the TSD\n"
      + "  --plain     plain lines even on a terminal\n";

  /** One HTTP exchange with the TSD. */
  interface Exchange {
    /** @return the status and the body */
    Object[] send(String method, String pathAndQuery) throws IOException;
  }

  /** Waits between two looks at the progress. */
  interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  static final long POLL_MILLIS = 1000;
  /** A plain line at most this often (and when the state changes). */
  static final long LINE_MILLIS = 5000;
  /** How long the TSD may stay unreachable (a restart) before the command gives up following. */
  static final long UNREACHABLE_MILLIS = 300_000;

  private final PrintStream out;
  private final boolean terminal;
  private final Exchange tsd;
  private final Sleeper sleeper;
  private final java.util.function.LongSupplier clock;

  ImportCommand(PrintStream out, boolean terminal, Exchange tsd, Sleeper sleeper, java.util.function.LongSupplier clock) {
    this.out = out;
    this.terminal = terminal;
    this.tsd = tsd;
    this.sleeper = sleeper;
    this.clock = clock;
  }

  /** Reads the options; null and the usage printed to {@code err} when they are wrong. */
  static Map<String, String> options(String[] args, int from, PrintStream err) {
    Map<String, String> o = new LinkedHashMap<>();
    for (int i = from; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--again") || a.equals("--detach") || a.equals("--plain")) {
        o.put(a.substring(2), "true");
      } else if (a.equals("--help") || a.equals("-h")) {
        err.print(USAGE);
        return null;
      } else if (a.startsWith("--") && i + 1 < args.length && isOption(a)) {
        o.put(a.substring(2), args[++i]);
      } else {
        err.println("import: unknown or incomplete option " + a);
        err.print(USAGE);
        return null;
      }
    }
    for (String required : new String[] {"account", "tests", "from", "to"}) {
      if (!o.containsKey(required)) {
        err.println("import: --" + required + " is required");
        err.print(USAGE);
        return null;
      }
    }
    return o;
  }

  private static boolean isOption(String a) {
    switch (a) {
      case "--account":
      case "--tests":
      case "--from":
      case "--to":
      case "--type":
      case "--tsd":
      case "--token":
      case "--token-env":
        return true;
      default:
        return false;
    }
  }

  /** The admin token: {@code --token}, else the environment variable; never printed. */
  static String token(Map<String, String> o, Function<String, String> env) {
    if (o.containsKey("token")) {
      return o.get("token");
    }
    return env.apply(o.getOrDefault("token-env", TOKEN_ENV));
  }

  /** Asks for the import and follows it. @return the exit code: 0 done, 1 failed or refused, 3 TSD lost */
  int run(Map<String, String> o) throws InterruptedException {
    StringBuilder q = new StringBuilder("/plugin/catchpoint/pull/import?account=").append(enc(o.get("account")))
        .append("&tests=").append(enc(o.get("tests"))).append("&from=").append(enc(o.get("from")))
        .append("&to=").append(enc(o.get("to")));
    if (o.containsKey("type")) {
      q.append("&type=").append(enc(o.get("type")));
    }
    if (o.containsKey("again")) {
      q.append("&again");
    }
    Map<String, Object> answer;
    try {
      Object[] a = tsd.send("POST", q.toString());
      int status = (Integer) a[0];
      answer = object(a[1]);
      if (status != 200 && status != 202) {
        Object e = answer.get("error");
        out.println("import refused (" + status + "): " + (e instanceof Map ? ((Map<?, ?>) e).get("message") : a[1]));
        return 1;
      }
    } catch (IOException | IllegalArgumentException e) {
      out.println("import: cannot ask the TSD: " + e.getMessage());
      return 1;
    }
    Map<String, Object> p = object(answer.get("import"));
    out.println(ProgressText.plan(p));
    out.println(answer.get("message"));
    String id = String.valueOf(p.get("id"));
    if (o.containsKey("detach")) {
      return 0;
    }
    return follow(id, p);
  }

  private int follow(String id, Map<String, Object> first) throws InterruptedException {
    Map<String, Object> p = first;
    long lastLine = 0;
    String lastState = null;
    long unreachableSince = 0;
    while (true) {
      String state = String.valueOf(p.get("state"));
      boolean finished = state.equals("done") || state.equals("failed");
      long now = clock.getAsLong();
      if (terminal) {
        out.print("\r" + ProgressText.bar(p) + "\u001b[K");
        if (finished) {
          out.println();
        }
        out.flush();
      } else if (finished || !state.equals(lastState) || now - lastLine >= LINE_MILLIS) {
        out.println(ProgressText.line(p, now));
        lastLine = now;
      }
      lastState = state;
      if (finished) {
        out.println(ProgressText.end(p));
        return state.equals("done") ? 0 : 1;
      }
      sleeper.sleep(POLL_MILLIS);
      try {
        Object[] a = tsd.send("GET", "/plugin/catchpoint/pull/import?id=" + enc(id));
        if ((Integer) a[0] == 200) {
          p = object(object(a[1]).get("import"));
          unreachableSince = 0;
          continue;
        }
        unreachable("the TSD answered " + a[0], now);
      } catch (IOException | IllegalArgumentException e) {
        unreachable(e.getMessage(), now);
      }
      if (unreachableSince == 0) {
        unreachableSince = now;
      } else if (now - unreachableSince > UNREACHABLE_MILLIS) {
        out.println("import " + id + ": the TSD did not answer for " + UNREACHABLE_MILLIS / 1000 + " s; the import "
            + "goes on in the TSDs (run the same command again to follow it)");
        return 3;
      }
    }
  }

  private void unreachable(String why, long now) {
    String text = "TSD not answering (" + why + "): the import goes on in the TSDs; still looking";
    if (terminal) {
      out.print("\r" + text + "\u001b[K");
      out.flush();
    } else {
      out.println(ProgressText.timeOfDay(now) + " " + text);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object o) {
    if (o instanceof Map) {
      return (Map<String, Object>) o;
    }
    throw new IllegalArgumentException("the TSD's answer is not what the import command expects: " + o);
  }

  static String enc(String s) {
    try {
      return URLEncoder.encode(s, "UTF-8");
    } catch (UnsupportedEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The exchange over HTTP, the token in a header (never in the URL, where access logs keep it). */
  static Exchange http(String base, String token) {
    String root = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    return (method, pathAndQuery) -> {
      HttpURLConnection c = (HttpURLConnection) new URL(root + pathAndQuery).openConnection();
      c.setRequestMethod(method);
      c.setConnectTimeout(5000);
      c.setReadTimeout(30_000);
      c.setRequestProperty("Accept", "application/json");
      if (token != null && !token.isEmpty()) {
        c.setRequestProperty("X-Catchpoint-Admin-Token", token);
      }
      if (method.equals("POST")) {
        c.setDoOutput(true);
        try (OutputStream o = c.getOutputStream()) {
          o.write(new byte[0]);
        }
      }
      int status = c.getResponseCode();
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      String body = "";
      if (in != null) {
        try (InputStream i = in) {
          ByteArrayOutputStream b = new ByteArrayOutputStream();
          byte[] buf = new byte[8192];
          int n;
          while ((n = i.read(buf)) > 0 && b.size() < 4 * 1024 * 1024) {
            b.write(buf, 0, n);
          }
          body = new String(b.toByteArray(), StandardCharsets.UTF_8);
        }
      }
      Object parsed;
      try {
        parsed = MiniJson.parse(body);
      } catch (IllegalArgumentException e) {
        parsed = body;
      }
      return new Object[] {status, parsed};
    };
  }
}
