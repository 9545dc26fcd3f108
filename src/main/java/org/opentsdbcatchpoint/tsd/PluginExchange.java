package org.opentsdbcatchpoint.tsd;

import java.util.List;
import java.util.Map;

/** The parts of an HTTP exchange the plugin uses; wraps the final {@code HttpRpcPluginQuery}. */
interface PluginExchange {
  String method();

  /** The request path without the query string, e.g. {@code /plugin/catchpoint/push}. */
  String path();

  Map<String, List<String>> params();

  String header(String name);

  /** The body's size in bytes as the TSD hands it over (after the TSD undid any {@code Content-Encoding}). */
  int bodySize();

  /** The body's first {@code max} bytes, all of it when shorter: a body larger than any route takes is not copied. */
  byte[] body(int max);

  void respond(int status, String contentType, Map<String, String> headers, byte[] body);
}
