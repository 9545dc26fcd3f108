package org.opentsdbcatchpoint.push;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.opentsdbcatchpoint.web.JsonGuard;

/**
 * Parses a JSON body into a tree with a depth limit. Jackson 2.9 (the TSD's) builds trees
 * recursively with no limit, so a body of nested brackets could overflow the stack of a Netty thread;
 * this builder stops at {@link #MAX_DEPTH} and says where.
 */
final class JsonTrees {
  static final int MAX_DEPTH = 32;
  static final JsonFactory FACTORY = new JsonFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonTrees() {}

  static JsonNode parse(byte[] body, int offset, int length) throws PushException {
    try (JsonParser p = JsonGuard.parser(FACTORY.createParser(body, offset, length))) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw PushException.badRequest("empty_body", "the body holds no JSON value", "body");
      }
      JsonNode root = read(p, first, 1);
      JsonToken trailing = p.nextToken();
      if (trailing != null) {
        throw PushException.badRequest("invalid_json",
            "unexpected content after the JSON value: " + trailing, where(p.getCurrentLocation()));
      }
      return root;
    } catch (JsonParseException e) {
      throw PushException.badRequest("invalid_json", "the body is not valid JSON: " + e.getOriginalMessage(),
          where(e.getLocation()));
    } catch (IOException e) {
      throw PushException.badRequest("invalid_json", "the body could not be read as JSON: " + e.getMessage(), "body");
    }
  }

  /** The value that starts at token {@code t}, {@code depth} levels down (the root is 1). */
  static JsonNode read(JsonParser p, JsonToken t, int depth) throws IOException, PushException {
    switch (t) {
      case START_OBJECT:
        checkDepth(p, depth);
        return readFields(p, p.nextToken(), depth);
      case START_ARRAY: {
        checkDepth(p, depth);
        ArrayNode a = NODES.arrayNode();
        JsonToken next;
        while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
          expectEnd(p, next);
          a.add(read(p, next, depth + 1));
        }
        return a;
      }
      case VALUE_STRING:
        return NODES.textNode(p.getText());
      case VALUE_NUMBER_INT:
        // Big integers keep their digits; the value reader decides whether they fit a double.
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? NODES.numberNode(p.getBigIntegerValue()) : NODES.numberNode(p.getLongValue());
      case VALUE_NUMBER_FLOAT:
        return NODES.numberNode(p.getDoubleValue());
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        throw PushException.badRequest("invalid_json", "unexpected token " + t, where(p.getCurrentLocation()));
    }
  }

  /**
   * The rest of an object {@code depth} levels down whose START_OBJECT has been read, from token
   * {@code t} (its first field's name, or its end).
   */
  static ObjectNode readFields(JsonParser p, JsonToken t, int depth) throws IOException, PushException {
    ObjectNode o = NODES.objectNode();
    JsonToken next = t;
    while (next == JsonToken.FIELD_NAME) {
      String name = p.getCurrentName();
      o.set(name, read(p, p.nextToken(), depth + 1));
      next = p.nextToken();
    }
    expectEnd(p, next);
    return o;
  }

  /**
   * Reads the value that starts at token {@code t} as {@link #read} does, with the same parser calls
   * and the same checks, but keeps nothing: so a body it accepts is one {@link #read} accepts too.
   */
  static void skip(JsonParser p, JsonToken t, int depth) throws IOException, PushException {
    switch (t) {
      case START_OBJECT: {
        checkDepth(p, depth);
        JsonToken next;
        while ((next = p.nextToken()) == JsonToken.FIELD_NAME) {
          skip(p, p.nextToken(), depth + 1);
        }
        expectEnd(p, next);
        return;
      }
      case START_ARRAY: {
        checkDepth(p, depth);
        JsonToken next;
        while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
          expectEnd(p, next);
          skip(p, next, depth + 1);
        }
        return;
      }
      case VALUE_STRING:
        // Decodes the string into the parser's buffer, as getText would, without making a String.
        p.getTextCharacters();
        return;
      case VALUE_NUMBER_INT:
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          p.getBigIntegerValue();
        } else {
          p.getLongValue();
        }
        return;
      case VALUE_NUMBER_FLOAT:
        p.getDoubleValue();
        return;
      case VALUE_TRUE:
      case VALUE_FALSE:
      case VALUE_NULL:
        return;
      default:
        throw PushException.badRequest("invalid_json", "unexpected token " + t, where(p.getCurrentLocation()));
    }
  }

  static void expectEnd(JsonParser p, JsonToken t) throws PushException {
    if (t == null) {
      throw PushException.badRequest("invalid_json", "the JSON ends before it is complete",
          where(p.getCurrentLocation()));
    }
  }

  static void checkDepth(JsonParser p, int depth) throws PushException {
    if (depth > MAX_DEPTH) {
      throw PushException.badRequest("too_deep",
          "the JSON is nested deeper than " + MAX_DEPTH + " levels", where(p.getCurrentLocation()));
    }
  }

  static String where(JsonLocation loc) {
    if (loc == null) {
      return "body";
    }
    return "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
  }
}
