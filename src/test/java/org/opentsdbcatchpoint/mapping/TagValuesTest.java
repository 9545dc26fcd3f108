package org.opentsdbcatchpoint.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TagValuesTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Jinan, CN - Unicom           | Jinan_CN_-_Unicom",
      "Frankfurt, DE - AWS          | Frankfurt_DE_-_AWS",
      "China Unicom (CNC)           | China_Unicom_CNC",
      "São Paulo                    | São_Paulo",
      "Telefônica Brasil (Vivo)     | Telefônica_Brasil_Vivo",
      "Public Cloud                 | Public_Cloud",
      "New South Wales              | New_South_Wales",
      "AS16509                      | AS16509",
      "Frankfurt                    | Frankfurt",
      "www.example.com              | www.example.com",
      "a/b.c-d_e                    | a/b.c-d_e",
      "100002                       | 100002",
      "東京                          | 東京",
      "Zürich                       | Zürich",
      "'a,,, ;;b'                   | a_b",
      "'a = b'                      | a_b",
      "'  padded  '                 | padded",
      "_x_                          | x",
      "'__x__'                      | x",
      "'(x)'                        | x",
      "'100%'                       | 100",
      "'a+b'                        | a_b",
      "'x:y'                        | x_y",
      "'a\"b'                       | a_b"})
  void sanitize(String raw, String expected) {
    assertEquals(expected, TagValues.sanitize(raw));
  }

  @Test
  void controlCharactersAndEmoji() {
    assertEquals("a_b_c", TagValues.sanitize("a\tb\nc"));
    assertEquals("x_y", TagValues.sanitize("x\uD83D\uDE00y"));
    assertEquals("a_b", TagValues.sanitize("a\u0000\u0001b"));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {" ", "   ", "(),;", "___", "_", " _ ( ) _ ", "\uD83D\uDE00", "\t\n"})
  void nothingLegalLeftIsNull(String raw) {
    assertNull(TagValues.sanitize(raw));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Jinan, CN - Unicom", "São Paulo", "  x  ", "a,,,b", "China Unicom (CNC)", "_a_b_"})
  void sanitizeIsIdempotent(String raw) {
    String once = TagValues.sanitize(raw);
    assertEquals(once, TagValues.sanitize(once));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Jinan, CN - Unicom", "a b (c) d,e;f=g+h*i|j\\k\"l'm<n>o?p", "São Paulo, BR", "x\u00a0y"})
  void resultHasOnlyLegalCharactersAndNoDoubleSeparatorFromIllegalRuns(String raw) {
    String s = TagValues.sanitize(raw);
    for (char c : s.toCharArray()) {
      assertTrue(TagValues.isLegal(c), () -> "illegal '" + c + "' in " + s);
    }
    assertFalse(s.contains("__"), s);
    assertFalse(s.startsWith("_") || s.endsWith("_"), s);
  }

  @Test
  void isLegalFollowsOpenTsdb() {
    for (char c : "azAZ09-_./".toCharArray()) {
      assertTrue(TagValues.isLegal(c), String.valueOf(c));
    }
    for (char c : "ãéßü東".toCharArray()) {
      assertTrue(TagValues.isLegal(c), String.valueOf(c));
    }
    for (char c : " ,;:=()[]{}+*|\\\"'!?@#$%^&~`<>\t\n".toCharArray()) {
      assertFalse(TagValues.isLegal(c), String.valueOf(c));
    }
  }
}
