package org.opentsdbcatchpoint.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Encoded points, cut at any point without copying. */
class EncodedPointsTest {
  private static List<String> texts(EncodedPoints e) {
    List<String> out = new ArrayList<>();
    for (int k = 0; k < e.points(); k++) {
      out.add(new String(e.bytes(), e.start(k), e.end(k) - e.start(k), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void eachPointIsOnePieceAndCutsShareTheBytes() {
    EncodedPoints.Builder b = new EncodedPoints.Builder(4);
    for (String s : new String[] {"a 1\n", "São 2\n", "c 3\n", "d 4\n"}) {
      b.writeText(s).endPoint();
    }
    EncodedPoints e = b.build();
    assertEquals(List.of("a 1\n", "São 2\n", "c 3\n", "d 4\n"), texts(e));
    assertEquals(List.of("a 1\n", "São 2\n"), texts(e.oldest(2)));
    assertEquals(List.of("c 3\n", "d 4\n"), texts(e.withoutOldest(2)));
    assertEquals(List.of("c 3\n"), texts(e.withoutOldest(2).oldest(1)));
    assertEquals(0, e.withoutOldest(9).points());
    assertEquals(e.end(), e.withoutOldest(4).start(0), "an empty cut starts where the bytes end");
    assertEquals(e.bytes(), e.withoutOldest(1).bytes());
    assertEquals(4, EncodedPoints.total(List.of(e.oldest(1), e.withoutOldest(1))));
  }
}
