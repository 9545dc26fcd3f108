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

/**
 * Parses a JSON body into a tree with a depth limit. Jackson 2.9 (the TSD's) builds trees
 * recursively with no limit, so a body of nested brackets could overflow the stack of a Netty thread;
 * this builder stops at {@link #MAX_DEPTH} and says where.
 */
final class JsonTrees {
  static final int MAX_DEPTH = 32;
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonTrees() {}

  static JsonNode parse(byte[] body, int offset, int length) throws PushException {
    try (JsonParser p = FACTORY.createParser(body, offset, length)) {
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

  private static JsonNode read(JsonParser p, JsonToken t, int depth) throws IOException, PushException {
    switch (t) {
      case START_OBJECT: {
        checkDepth(p, depth);
        ObjectNode o = NODES.objectNode();
        JsonToken next;
        while ((next = p.nextToken()) == JsonToken.FIELD_NAME) {
          String name = p.getCurrentName();
          o.set(name, read(p, p.nextToken(), depth + 1));
        }
        expectEnd(p, next);
        return o;
      }
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

  private static void expectEnd(JsonParser p, JsonToken t) throws PushException {
    if (t == null) {
      throw PushException.badRequest("invalid_json", "the JSON ends before it is complete",
          where(p.getCurrentLocation()));
    }
  }

  private static void checkDepth(JsonParser p, int depth) throws PushException {
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
