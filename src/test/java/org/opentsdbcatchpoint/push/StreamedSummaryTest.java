package org.opentsdbcatchpoint.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.Fixtures;

/**
 * The streaming reader ({@link JsonBody}, {@link StreamedSummary}) against the tree ({@link JsonTrees}),
 * which is the reference: for any body, the same run, the same skipped fields, or the same error.
 */
class StreamedSummaryTest {
  private static final List<DecodeOptions> OPTIONS = Arrays.asList(
      DecodeOptions.defaults(), new DecodeOptions(true, true, true));
  private static final List<String> FIXTURES = Arrays.asList("push-web-default.json", "push-ping.json",
      "push-traceroute.json", "push-dns-v3.json", "push-dns-error.json", "push-template-filled.json",
      "push-template-recommended.json");
  private static final List<String> DEFAULT_FIXTURES = FIXTURES.subList(0, 5);

  @Test
  void fixturesDecodeAsFromTheTree() {
    for (String name : FIXTURES) {
      for (DecodeOptions o : OPTIONS) {
        assertSame(Fixtures.bytes(name), o);
      }
    }
  }

  @Test
  void defaultFormatFixturesAreStreamedAndTemplatesAreTrees() throws PushException {
    for (String name : DEFAULT_FIXTURES) {
      byte[] body = Fixtures.bytes(name);
      assertNotNull(JsonBody.parse(body, 0, body.length, DecodeOptions.defaults()).summary, name);
    }
    byte[] template = Fixtures.bytes("push-template-filled.json");
    JsonBody parsed = JsonBody.parse(template, 0, template.length, DecodeOptions.defaults());
    assertNull(parsed.summary);
    assertEquals(JsonTrees.parse(template, 0, template.length), parsed.root);
  }

  @Test
  void repeatedFieldsDecodeAsFromTheTree() {
    String[] bodies = {
        "{\"TestId\":1,\"NodeId\":2,\"Summary\":{\"Timestamp\":\"20240115121433012\",\"Timing\":{\"Dns\":1,\"Dns\":2,\"Total\":3}}}",
        "{\"TestId\":1,\"NodeId\":2,\"Summary\":{\"Timestamp\":\"20240115121433012\",\"Timing\":{\"Dns\":1},\"Timing\":{\"Total\":3}}}",
        "{\"TestId\":1,\"NodeId\":2,\"Summary\":{\"Timing\":{\"Dns\":1}},\"Summary\":{\"Timestamp\":\"20240115121433012\"}}",
        "{\"TestId\":1,\"NodeId\":2,\"Summary\":{\"Timestamp\":\"20240115121433012\"},\"Summary\":5}",
        "{\"TestId\":1,\"NodeId\":2,\"TestId\":3,\"Summary\":{\"Timestamp\":\"1\",\"Timestamp\":\"20240115121433012\"}}",
        "{\"TestId\":1,\"NodeId\":2,\"Summary\":{\"Timestamp\":\"20240115121433012\",\"Byte\":{\"R\":{\"C\":1,\"C\":2},\"R\":3}}}",
        "{\"TestId\":1,\"NodeId\":2,\"TestDetail\":{\"TypeId\":1,\"TypeId\":5},\"Summary\":{\"Timestamp\":\"20240115121433012\"}}",
        "{\"TestId\":1,\"NodeId\":2,\"Summary\":{\"Timestamp\":\"20240115121433012\",\"HostCollections\":{},\"HostCollections\":null}}",
        // a lower-case first field: read as a whole tree, whatever follows
        "{\"src\":1,\"TestId\":1,\"NodeId\":2,\"Summary\":{\"Timestamp\":\"20240115121433012\",\"Timing\":{\"Dns\":1}}}",
        "{\"testId\":\"1\",\"nodeId\":\"2\",\"ts\":\"20240115121433012\",\"timing\":{\"dns\":\"1\"}} x",
        "{\"\":1,\"TestId\":1,\"NodeId\":2,\"Summary\":{\"Timestamp\":\"20240115121433012\"}}",
        "{\"testId\":\"1\",\"nodeId\":\"2\",\"ts\":\"20240115121433012\",\"timing\":{\"dns\":\"1\"}",
        "{}",
    };
    for (String body : bodies) {
      for (DecodeOptions o : OPTIONS) {
        assertSame(body.getBytes(StandardCharsets.UTF_8), o);
      }
    }
  }

  @Test
  void everyTruncationOfTheFixturesFailsOrDecodesAsFromTheTree() {
    for (String name : DEFAULT_FIXTURES) {
      byte[] body = Fixtures.bytes(name);
      for (int end = 1; end < body.length; end++) {
        assertSame(Arrays.copyOf(body, end), DecodeOptions.defaults());
      }
    }
  }

  @Test
  void mutatedFixturesDecodeAsFromTheTree() {
    Random random = new Random(1);
    String chars = "{}[]\":,.-+0123456789eEtrufalsn \\u\u00e9x";
    for (String name : DEFAULT_FIXTURES) {
      byte[] body = Fixtures.bytes(name);
      for (int i = 0; i < 1500; i++) {
        String s = new String(body, StandardCharsets.UTF_8);
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
          int at = random.nextInt(s.length());
          char c = chars.charAt(random.nextInt(chars.length()));
          switch (random.nextInt(3)) {
            case 0:
              s = s.substring(0, at) + c + s.substring(at + 1);
              break;
            case 1:
              s = s.substring(0, at) + c + s.substring(at);
              break;
            default:
              s = s.substring(0, at) + s.substring(at + 1);
          }
        }
        assertSame(s.getBytes(StandardCharsets.UTF_8), OPTIONS.get(i % 2));
      }
    }
  }

  @Test
  void randomDocumentsDecodeAsFromTheTree() {
    Random random = new Random(2024);
    int streamed = 0;
    int runs = 0;
    for (int i = 0; i < 20000; i++) {
      byte[] body = new RandomPush(random).document().getBytes(StandardCharsets.UTF_8);
      DecodeOptions o = OPTIONS.get(i % 2);
      String outcome = assertSame(body, o);
      try {
        if (JsonBody.parse(body, 0, body.length, o).summary != null) {
          streamed++;
        }
      } catch (PushException e) {
        // invalid: the tree's error, compared above
      }
      if (outcome.startsWith("run")) {
        runs++;
      }
    }
    // The generator must reach the streaming reader and the decoder, not only their error paths.
    assertTrue(streamed > 5000, "streamed " + streamed);
    assertTrue(runs > 3000, "runs " + runs);
  }

  /** Asserts both readings agree; returns the outcome. */
  private static String assertSame(byte[] body, DecodeOptions options) {
    String expected = viaTree(body, options);
    String actual = viaStream(body, options);
    assertEquals(expected, actual, () -> new String(body, StandardCharsets.UTF_8));
    return actual;
  }

  /** What PushDecoder did before streaming: a tree, then the decoder its shape calls for. */
  private static String viaTree(byte[] body, DecodeOptions options) {
    try {
      return decodeTree(JsonTrees.parse(body, 0, body.length), options);
    } catch (PushException e) {
      return describe(e);
    }
  }

  private static String viaStream(byte[] body, DecodeOptions options) {
    try {
      JsonBody parsed = JsonBody.parse(body, 0, body.length, options);
      if (parsed.summary != null) {
        return describe(new DefaultFormatDecoder(options).decode(parsed.root, parsed.summary, "f"));
      }
      return decodeTree(parsed.root, options);
    } catch (PushException e) {
      return describe(e);
    }
  }

  private static String decodeTree(JsonNode root, DecodeOptions options) throws PushException {
    if (!root.isObject()) {
      return "not an object: " + root.getNodeType();
    }
    return describe(DefaultFormatDecoder.accepts(root)
        ? new DefaultFormatDecoder(options).decode(root, "f")
        : new TemplateFormatDecoder().decode(root, "f"));
  }

  private static String describe(DecodedPush d) {
    return "run " + d.run() + " type=" + d.run().typeId() + " skipped=" + d.skipped() + " " + d.format();
  }

  private static String describe(PushException e) {
    return "error " + e.status() + " " + e.kind() + " " + e.getMessage() + " @ " + e.where();
  }

  /** Bodies shaped like the default format, with every kind of value where the decoder looks. */
  private static final class RandomPush {
    private static final String[] ROOT_KEYS = {"TestId", "NodeId", "TestRuntime", "Step", "TestDetail",
        "Diagnostic", "Summary", "Version", "NodeName", "Labels", "testId", "timing"};
    private static final String[] SUMMARY_KEYS = {"Timestamp", "Step", "Timing", "Counter", "Score", "Ping",
        "Byte", "AverageFramesPerSecond", "Error", "HostCollections", "ContentZones", "Address", "V"};
    private static final String[] FIELD_KEYS = {"Dns", "Total", "ContentType", "Response", "Content", "Any",
        "Code", "X_y", "", "LoadObjects", "rttAvg", "São", "Timing", "Counter", "Error", "RoundTripTimes", "Hops",
        "TraceRoute", "TypeId"};
    private static final String[] SCALARS = {"0", "1", "-3", "12.5", "-0.0", "1e308", "1e999", "-1e999",
        "99999999999999999999999", "9223372036854775807", "\"12\"", "\"\"", "\" \"", "\"${x}\"", "\"True\"",
        "\"abc\"", "\"NaN\"", "\"Infinity\"", "\"\\u00e9\\n\"", "true", "false", "null",
        "\"20240115121433012\"", "20240115121433012", "1705320605"};
    private final Random random;
    private final StringBuilder out = new StringBuilder();

    RandomPush(Random random) {
      this.random = random;
    }

    String document() {
      out.append('{');
      int n = random.nextInt(5);
      boolean identity = random.nextInt(5) > 0;
      if (identity) {
        out.append("\"TestId\":").append(1 + random.nextInt(1000)).append(",\"NodeId\":").append(1 + random.nextInt(99));
        out.append(",\"Summary\":");
        summary();
      }
      for (int i = 0; i < n; i++) {
        if (identity || i > 0) {
          out.append(',');
        }
        String key = pick(ROOT_KEYS);
        key(key);
        if (key.equals("Summary")) {
          summary();
        } else {
          // Top-level objects other than Diagnostic are a template's: mostly scalars, to reach the stream.
          value(2, key.equals("Diagnostic") ? 6 : random.nextInt(4) == 0 ? 2 : 0);
        }
      }
      out.append('}');
      return out.toString();
    }

    private void summary() {
      if (random.nextInt(20) == 0) {
        value(2, 2);
        return;
      }
      out.append('{');
      if (random.nextInt(4) > 0) {
        out.append("\"Timestamp\":\"2024011512").append(10 + random.nextInt(50)).append("33012\",");
      }
      int n = random.nextInt(8);
      for (int i = 0; i < n; i++) {
        key(pick(SUMMARY_KEYS));
        value(3, 3);
        out.append(',');
      }
      out.append("\"V\":1}");
    }

    /** A value {@code depth} levels down, nesting at most {@code nesting} more; rarely far too deep. */
    private void value(int depth, int nesting) {
      int kind = random.nextInt(10);
      if (nesting > 0 && kind < 4) {
        boolean object = kind < 3;
        out.append(object ? '{' : '[');
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
          if (i > 0) {
            out.append(',');
          }
          if (object) {
            key(pick(FIELD_KEYS));
          }
          value(depth + 1, nesting - 1);
        }
        out.append(object ? '}' : ']');
      } else if (kind == 4 && random.nextInt(40) == 0) {
        int levels = 25 + random.nextInt(15);
        for (int i = 0; i < levels; i++) {
          out.append(random.nextBoolean() ? "[" : "{\"a\":");
        }
        out.append('1');
        // closes what it opened, innermost first
        String opened = out.substring(out.length() - 1);
        int close = levels;
        StringBuilder closers = new StringBuilder();
        String text = out.toString();
        int at = text.length() - 2;
        while (close > 0) {
          char c = text.charAt(at);
          if (c == '[') {
            closers.append(']');
            close--;
            at--;
          } else if (c == ':') {
            closers.append('}');
            close--;
            at -= 5;
          } else {
            at--;
          }
        }
        out.append(closers);
        assertEquals("1", opened);
      } else {
        out.append(pick(SCALARS));
      }
    }

    private void key(String key) {
      out.append('"').append(key).append("\":");
    }

    private String pick(String[] from) {
      return from[random.nextInt(from.length)];
    }
  }
}
