package org.opentsdbcatchpoint.web;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** An HTTP request to the plugin, free of Netty and OpenTSDB types. */
public final class Request {
  private final String method;
  private final List<String> path;
  private final Map<String, List<String>> params;
  private final Function<String, String> headers;
  private final byte[] body;
  private final long bodySize;

  /**
   * @param path the segments after {@code /plugin/catchpoint}, e.g. {@code ["push", "SECRET"]}
   * @param headers looks a header up by name, case-insensitively; null when absent
   */
  public Request(String method, List<String> path, Map<String, List<String>> params,
      Function<String, String> headers, byte[] body) {
    this(method, path, params, headers, body, body == null ? 0 : body.length);
  }

  /**
   * @param body the body, or only its start when it is larger than any route takes
   * @param bodySize the body's whole size
   */
  public Request(String method, List<String> path, Map<String, List<String>> params,
      Function<String, String> headers, byte[] body, long bodySize) {
    this.method = method;
    this.path = Collections.unmodifiableList(path);
    this.params = params;
    this.headers = headers;
    this.body = body == null ? new byte[0] : body;
    this.bodySize = Math.max(bodySize, this.body.length);
  }

  public String method() {
    return method;
  }

  public List<String> path() {
    return path;
  }

  /** The first value of a query parameter; "" for a parameter given without a value; null when absent. */
  public String param(String name) {
    List<String> v = params.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  public boolean hasParam(String name) {
    return params.containsKey(name);
  }

  public String header(String name) {
    return headers.apply(name);
  }

  /** The body, or its first {@code push.max_body_bytes + 1} bytes when it is larger ({@link #bodyCut()}). */
  public byte[] body() {
    return body;
  }

  /** The body's whole size in bytes, as received. */
  public long bodySize() {
    return bodySize;
  }

  /** True when {@link #body()} is only the start of a body larger than any route takes. */
  public boolean bodyCut() {
    return bodySize > body.length;
  }
}
