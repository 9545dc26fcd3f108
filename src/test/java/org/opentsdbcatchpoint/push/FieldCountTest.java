package org.opentsdbcatchpoint.push;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.Fixtures;

class FieldCountTest {
  private static int count(String json, int stopAfter) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    return FieldCount.json(b, 0, b.length, stopAfter);
  }

  @Test
  void countsNameValuePairsAtEveryDepth() {
    assertEquals(0, count("{}", 100));
    assertEquals(1, count("{\"a\":1}", 100));
    assertEquals(4, count("{\"a\":{\"b\":[{\"c\":1},{\"d\":2}]}}", 100));
    assertEquals(0, count("[1,2,3]", 100));
  }

  @Test
  void colonsInsideStringsAreNotFields() {
    assertEquals(1, count("{\"url\":\"https://x:443/a:b\"}", 100));
    assertEquals(1, count("{\"a\\\":b\":\"c\\\\\"}", 100), "escaped quotes and backslashes");
    assertEquals(2, count("{\"a\":\"\\\\\",\"b\":1}", 100), "a string ending in an escaped backslash ends there");
  }

  @Test
  void stopsCountingOnePastTheLimit() {
    assertEquals(6, count("{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":1}}}}}}}}", 5));
  }

  @Test
  void theWebFixtureHasAFewDozenFields() {
    byte[] b = Fixtures.bytes("push-web-default.json");
    int n = FieldCount.json(b, 0, b.length, Integer.MAX_VALUE);
    assertEquals(80, n);
  }
}
