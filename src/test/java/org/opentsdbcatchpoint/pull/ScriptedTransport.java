package org.opentsdbcatchpoint.pull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A transport that answers from a script, in order, and records every call. */
final class ScriptedTransport implements HttpTransport {
  /** One scripted answer (or failure). */
  interface Step {
    HttpAnswer answer(HttpCall call) throws IOException;
  }

  private final Deque<Step> steps = new ArrayDeque<>();
  final List<HttpCall> calls = Collections.synchronizedList(new ArrayList<>());

  ScriptedTransport then(Step s) {
    steps.add(s);
    return this;
  }

  ScriptedTransport then(int status, String body, String... headers) {
    return then(call -> answer(status, body, headers));
  }

  ScriptedTransport thenFail(IOException e) {
    return then(call -> {
      throw e;
    });
  }

  @Override
  public synchronized HttpAnswer send(HttpCall call) throws IOException {
    calls.add(call);
    Step s = steps.poll();
    if (s == null) {
      throw new AssertionError("no answer scripted for call " + calls.size() + ": " + call);
    }
    return s.answer(call);
  }

  static HttpAnswer answer(int status, String body, String... headers) {
    return answer(status, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), headers);
  }

  static HttpAnswer answer(int status, InputStream body, String... headers) {
    Map<String, String> h = new HashMap<>();
    for (int i = 0; i < headers.length; i += 2) {
      h.put(headers[i].toLowerCase(Locale.ROOT), headers[i + 1]);
    }
    return new HttpAnswer(status, name -> h.get(name.toLowerCase(Locale.ROOT)), body);
  }
}
