package org.opentsdbcatchpoint.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link TagValues#sanitize} returns clean values as they are: the same result as building them. */
class TagValuesRandomTest {

  @Test
  void sanitizeAgreesWithTheRuleForRandomValues() {
    Random random = new Random(11);
    String alphabet = "aZ09-_./ ,()\u00e9\u6771\u0000\t#_";
    for (int i = 0; i < 20000; i++) {
      int n = random.nextInt(10);
      StringBuilder b = new StringBuilder();
      for (int j = 0; j < n; j++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String raw = b.toString();
      assertEquals(rule(raw), TagValues.sanitize(raw), "'" + raw + "'");
    }
  }

  /** Every run of illegal characters becomes one underscore; underscores at either end go; nothing left is null. */
  private static String rule(String raw) {
    StringBuilder b = new StringBuilder();
    boolean inIllegal = false;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (TagValues.isLegal(c)) {
        b.append(c);
        inIllegal = false;
      } else if (!inIllegal) {
        b.append('_');
        inIllegal = true;
      }
    }
    int start = 0;
    int end = b.length();
    while (start < end && b.charAt(start) == '_') {
      start++;
    }
    while (end > start && b.charAt(end - 1) == '_') {
      end--;
    }
    return start < end ? b.substring(start, end) : null;
  }
}
