package org.opentsdbcatchpoint.web;

import java.util.concurrent.CompletableFuture;

/** One sub-route of {@code /plugin/catchpoint}. Must not block: slow work completes the future later. */
public interface Endpoint {
  CompletableFuture<Response> handle(Request request);
}
