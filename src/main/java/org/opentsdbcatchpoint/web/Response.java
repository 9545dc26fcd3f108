package org.opentsdbcatchpoint.web;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP answer from the plugin: status, JSON body, extra headers. */
public final class Response {
  private final int status;
  private final byte[] body;
  private final String contentType;
  private final Map<String, String> headers;

  public Response(int status, byte[] body, String contentType, Map<String, String> headers) {
    this.status = status;
    this.body = body;
    this.contentType = contentType;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  public static Response json(int status, String json) {
    return new Response(status, json.getBytes(StandardCharsets.UTF_8), "application/json; charset=UTF-8",
        Collections.<String, String>emptyMap());
  }

  public Response withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new Response(status, body, contentType, h);
  }

  public int status() {
    return status;
  }

  public byte[] body() {
    return body;
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  public String contentType() {
    return contentType;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
