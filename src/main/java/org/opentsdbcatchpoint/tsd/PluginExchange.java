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

  byte[] body();

  void respond(int status, String contentType, Map<String, String> headers, byte[] body);
}
