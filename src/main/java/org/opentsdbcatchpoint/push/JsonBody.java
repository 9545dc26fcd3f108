package org.opentsdbcatchpoint.push;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.opentsdbcatchpoint.web.JsonGuard;

/**
 * A JSON push body. A body in the default format (a {@code Summary} object) is read in one pass
 * without a full tree: {@code Summary} by {@link StreamedSummary}, and of the top level only the
 * fields {@link DefaultFormatDecoder} reads. A body whose first field is in lower case (a template) is
 * read as a whole tree in that same pass. Anything else (a template, not an object, invalid JSON,
 * too deep, a repeated field the streaming reader cannot place) is parsed again by {@link JsonTrees},
 * whose tree and error messages are the reference. The streaming pass makes the same parser calls and
 * checks as {@link JsonTrees} on every token, so it never accepts a body that {@link JsonTrees} refuses.
 */
final class JsonBody {
  /** Top-level fields the default format decoder reads, kept whole. */
  private static final String[] ROOT_FIELDS = {"TestId", "NodeId", "NodeName", "TestRuntime", "Step", "Diagnostic"};
  /** The fields of {@code TestDetail} it reads. */
  private static final String TEST_DETAIL = "TestDetail";
  private static final String TYPE_ID = "TypeId";
  private static final String NAME = "Name";

  /** The top level: the whole tree, or (with {@link #summary}) only the fields the decoder reads. */
  final JsonNode root;
  /** The default format's {@code Summary}, or null when {@link #root} is the whole tree. */
  final StreamedSummary summary;

  private JsonBody(JsonNode root, StreamedSummary summary) {
    this.root = root;
    this.summary = summary;
  }

  static JsonBody parse(byte[] body, int offset, int length, DecodeOptions options) throws PushException {
    JsonBody streamed;
    try {
      streamed = stream(body, offset, length, options);
    } catch (IOException | PushException e) {
      streamed = null; // the tree parser below says what is wrong, in its words
    }
    return streamed != null ? streamed : new JsonBody(JsonTrees.parse(body, offset, length), null);
  }

  /** Null when the body is not one this reader takes. */
  private static JsonBody stream(byte[] body, int offset, int length, DecodeOptions options)
      throws IOException, PushException {
    try (JsonParser p = JsonGuard.parser(JsonTrees.FACTORY.createParser(body, offset, length))) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      JsonToken next = p.nextToken();
      if (next == JsonToken.FIELD_NAME && startsLowerCase(p.getCurrentName())) {
        // Catchpoint's own fields are PascalCase; lower case first is a template ("src", "testId"):
        // the whole tree, from this parser, without a second pass.
        ObjectNode tree = JsonTrees.readFields(p, next, 1);
        return p.nextToken() == null ? new JsonBody(tree, null) : null;
      }
      ObjectNode root = JsonNodeFactory.instance.objectNode();
      StreamedSummary summary = null;
      boolean summarySeen = false;
      for (; next == JsonToken.FIELD_NAME; next = p.nextToken()) {
        String name = p.getCurrentName();
        JsonToken t = p.nextToken();
        if (name.equals("Summary")) {
          if (summarySeen || t != JsonToken.START_OBJECT) {
            return null; // not the default format, or a tree would keep the last Summary
          }
          summarySeen = true;
          summary = StreamedSummary.read(p, 2, options);
          if (summary == null) {
            return null;
          }
        } else if (name.equals(TEST_DETAIL)) {
          root.set(name, testDetail(p, t, 2));
        } else if (t == JsonToken.START_OBJECT && !name.equals("Diagnostic")) {
          // Besides TestDetail and Diagnostic, top-level objects are a template's (timing, ping...):
          // no use reading on.
          return null;
        } else if (isRootField(name)) {
          root.set(name, JsonTrees.read(p, t, 2)); // a repeated one replaces the earlier, as in a tree
        } else {
          JsonTrees.skip(p, t, 2);
        }
      }
      JsonTrees.expectEnd(p, next);
      if (summary == null || p.nextToken() != null) {
        return null;
      }
      return new JsonBody(root, summary);
    }
  }

  /** {@code TestDetail} with only its {@code TypeId} and {@code Name} (when it is an object; else whole). */
  private static JsonNode testDetail(JsonParser p, JsonToken t, int depth) throws IOException, PushException {
    if (t != JsonToken.START_OBJECT) {
      return JsonTrees.read(p, t, depth);
    }
    JsonTrees.checkDepth(p, depth);
    ObjectNode detail = JsonNodeFactory.instance.objectNode();
    JsonToken next;
    while ((next = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.getCurrentName();
      JsonToken v = p.nextToken();
      if (name.equals(TYPE_ID) || name.equals(NAME)) {
        detail.set(name, JsonTrees.read(p, v, depth + 1));
      } else {
        JsonTrees.skip(p, v, depth + 1);
      }
    }
    JsonTrees.expectEnd(p, next);
    return detail;
  }

  private static boolean startsLowerCase(String name) {
    return !name.isEmpty() && Character.isLowerCase(name.charAt(0));
  }

  private static boolean isRootField(String name) {
    for (String f : ROOT_FIELDS) {
      if (f.equals(name)) {
        return true;
      }
    }
    return false;
  }
}
