package org.opentsdbcatchpoint.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;

/**
 * Jackson's parser for JSON from outside (request bodies, Catchpoint's answers, catalog files), with
 * the failures of Jackson 2.9 (the TSD's) on hostile JSON turned into the
 * {@link JsonParseException} every reader already handles as invalid JSON:
 * <ul>
 *   <li>the digits of a long integer are parsed into a {@code BigInteger} as soon as its type or value
 *       is asked for, in time quadratic in its length: one number of a megabyte of digits held a thread for
 *       minutes. A number longer than {@link #MAX_NUMBER_LENGTH} characters is refused (a double has at most
 *       309 digits before its point, and Catchpoint's numbers a few dozen);
 *   <li>a {@code \\u} escape with a non-ASCII byte among its four digits makes the byte parser throw
 *       {@code ArrayIndexOutOfBoundsException} instead;
 *   <li>trees are built recursively with no depth limit, so a few kilobytes of {@code [[[[...} overflow
 *       the stack of the thread that reads them: JSON nested deeper than {@link #MAX_DEPTH} is refused.
 * </ul>
 * Every parser the plugin makes over such JSON is made through {@link #parser}, trees through
 * {@link #readTree}.
 */
public final class JsonGuard extends JsonParserDelegate {
  /** Far deeper than any body or answer the plugin reads (Catchpoint's answers: under ten levels). */
  public static final int MAX_DEPTH = 64;
  /** Longer number literals are refused before Jackson parses them. */
  public static final int MAX_NUMBER_LENGTH = 1000;

  private JsonGuard(JsonParser p) {
    super(p);
  }

  /** {@code p} guarded; a tree read from it ({@code readValueAsTree}) is guarded too. */
  public static JsonParser parser(JsonParser p) {
    return new JsonGuard(p);
  }

  /** The tree of the JSON in {@code body}, as {@code mapper.readTree} reads it (null for no content). */
  public static JsonNode readTree(ObjectMapper mapper, byte[] body) throws IOException {
    try (JsonParser p = parser(mapper.getFactory().createParser(body))) {
      return mapper.readTree(p);
    }
  }

  /** The tree of the JSON in {@code in}, as {@code mapper.readTree} reads it (null for no content). */
  public static JsonNode readTree(ObjectMapper mapper, InputStream in) throws IOException {
    try (JsonParser p = parser(mapper.getFactory().createParser(in))) {
      return mapper.readTree(p);
    }
  }

  @Override
  public JsonToken nextToken() throws IOException {
    JsonToken t;
    try {
      t = super.nextToken();
    } catch (ArrayIndexOutOfBoundsException e) {
      throw badEscape();
    }
    if ((t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) && tooDeep(getParsingContext())) {
      throw new JsonParseException(this, "the JSON is nested deeper than " + MAX_DEPTH + " levels");
    }
    if ((t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT)
        && delegate.getTextLength() > MAX_NUMBER_LENGTH) {
      throw new JsonParseException(this, "a number of more than " + MAX_NUMBER_LENGTH + " characters");
    }
    return t;
  }

  /** As JsonParser's own: through {@link #nextToken} (the delegate's would skip the checks). */
  @Override
  public JsonToken nextValue() throws IOException {
    JsonToken t = nextToken();
    return t == JsonToken.FIELD_NAME ? nextToken() : t;
  }

  @Override
  public JsonParser skipChildren() throws IOException {
    try {
      return super.skipChildren();
    } catch (ArrayIndexOutOfBoundsException e) {
      throw badEscape();
    }
  }

  @Override
  public String getText() throws IOException {
    try {
      return super.getText();
    } catch (ArrayIndexOutOfBoundsException e) {
      throw badEscape();
    }
  }

  @Override
  public char[] getTextCharacters() throws IOException {
    try {
      return super.getTextCharacters();
    } catch (ArrayIndexOutOfBoundsException e) {
      throw badEscape();
    }
  }

  @Override
  public int getTextLength() throws IOException {
    try {
      return super.getTextLength();
    } catch (ArrayIndexOutOfBoundsException e) {
      throw badEscape();
    }
  }

  @Override
  public int getTextOffset() throws IOException {
    try {
      return super.getTextOffset();
    } catch (ArrayIndexOutOfBoundsException e) {
      throw badEscape();
    }
  }

  @Override
  public String getValueAsString() throws IOException {
    try {
      return super.getValueAsString();
    } catch (ArrayIndexOutOfBoundsException e) {
      throw badEscape();
    }
  }

  @Override
  public String getValueAsString(String defaultValue) throws IOException {
    try {
      return super.getValueAsString(defaultValue);
    } catch (ArrayIndexOutOfBoundsException e) {
      throw badEscape();
    }
  }

  private JsonParseException badEscape() {
    return new JsonParseException(this, "invalid \\u escape: a \\u must be followed by four hex digits");
  }

  /** Counts the enclosing objects and arrays, up to one more than the limit. */
  private static boolean tooDeep(JsonStreamContext c) {
    int depth = 0;
    for (JsonStreamContext x = c; x != null && !x.inRoot(); x = x.getParent()) {
      if (++depth > MAX_DEPTH) {
        return true;
      }
    }
    return false;
  }
}
