package org.opentsdbcatchpoint.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON bodies of the plugin's answers. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  public static Response response(int status, JsonNode body) {
    return Response.json(status, body.toString());
  }

  /**
   * The error shape every endpoint uses, a sibling of OpenTSDB's own {@code {"error":{...}}}:
   * status code, a stable kind, a message, and where in the request the problem is.
   */
  public static Response error(int status, String kind, String message, String where) {
    ObjectNode root = object();
    ObjectNode e = root.putObject("error");
    e.put("code", status);
    e.put("kind", kind);
    e.put("message", message);
    if (where != null) {
      e.put("where", where);
    }
    return response(status, root);
  }
}
