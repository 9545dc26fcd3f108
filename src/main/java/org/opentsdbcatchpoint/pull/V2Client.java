package org.opentsdbcatchpoint.pull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentsdbcatchpoint.catalog.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catchpoint REST v2 ({@code .../api/v2}): a static API key as bearer; raw data from
 * {@code /tests/explorer/raw?testIds&startTimeUtc&endTimeUtc}; nodes from {@code /nodes/all}, paged.
 * A window whose answer says {@code hasMoreRecords} is cut in halves and fetched again, down to
 * {@link #MIN_SPLIT_SECONDS}.
 */
public final class V2Client {
  private static final Logger LOG = LoggerFactory.getLogger(V2Client.class);
  /** A window this short is not cut again; what it returned is taken (and the loss logged). */
  static final long MIN_SPLIT_SECONDS = 60;
  static final int NODE_PAGE_SIZE = 100;
  static final int MAX_NODE_PAGES = 1000;

  private final PullAccountSettings account;
  private final CatchpointHttp http;

  public V2Client(PullAccountSettings account, CatchpointHttp http) {
    this.account = account;
    this.http = http;
  }

  /** The runs of the tests (of one type) with a run time in [start, end), epoch seconds. */
  public RowCounts raw(List<Long> testIds, Integer typeId, long startSeconds, long endSeconds, RunSink sink)
      throws IOException, InterruptedException {
    RowCounts total = new RowCounts();
    fetch(testIds, typeId, startSeconds, endSeconds, sink, total);
    return total;
  }

  private void fetch(List<Long> testIds, Integer typeId, long start, long end, RunSink sink, RowCounts total)
      throws IOException, InterruptedException {
    boolean canSplit = end - start >= 2 * MIN_SPLIT_SECONDS;
    String url = account.baseUrl + "/tests/explorer/raw?testIds=" + V1Client.join(testIds)
        + "&startTimeUtc=" + V1Client.encode(RestTimes.iso(start))
        + "&endTimeUtc=" + V1Client.encode(RestTimes.iso(end));
    // The API's bounds may be inclusive: keep only [start, end) so adjacent windows never overlap.
    RunSink inWindow = run -> {
      if (run.timestampSeconds() >= start && run.timestampSeconds() < end) {
        sink.accept(run);
      }
    };
    RowCounts counts = call(get(url), in -> {
      RunAssembler runs = new RunAssembler(typeId, inWindow);
      V2RawParser.parse(in, runs, canSplit);
      return runs.counts();
    });
    if (counts.hasMoreRecords && canSplit) {
      long mid = start + (end - start) / 2;
      http.stats().increment("catchpoint.pull.window_splits", "account", account.name);
      fetch(testIds, typeId, start, mid, sink, total);
      fetch(testIds, typeId, mid, end, sink, total);
      return;
    }
    if (counts.hasMoreRecords) {
      http.stats().increment("catchpoint.pull.windows_truncated", "account", account.name);
      LOG.warn("catchpoint pull, account {}: tests {} still have more records in the {} s window from {}; "
          + "only what Catchpoint returned was written", account.name, testIds, end - start, RestTimes.iso(start));
      counts.hasMoreRecords = false;
    }
    total.add(counts);
  }

  /** Every node of {@code /nodes/all}, page by page while {@code data.hasMore}. */
  public List<Node> nodes() throws IOException, InterruptedException {
    List<Node> all = new ArrayList<>();
    for (int page = 1; page <= MAX_NODE_PAGES; page++) {
      NodePages p = call(get(account.baseUrl + "/nodes/all?pageNumber=" + page + "&pageSize=" + NODE_PAGE_SIZE),
          NodePages::read);
      all.addAll(p.nodes);
      if (!p.hasMore || p.nodes.isEmpty()) {
        return all;
      }
    }
    throw new PullException(PullException.Kind.API_ERROR, 200, account.name + ": /nodes/all still had more after "
        + MAX_NODE_PAGES + " pages", null);
  }

  /** A 401 means a wrong API key (v2 has no token to refresh): logged once and counted like any refusal. */
  private <T> T call(HttpCall call, CatchpointHttp.BodyReader<T> reader) throws IOException, InterruptedException {
    try {
      return http.call(call, reader);
    } catch (PullException e) {
      if (e.isAuthFailure()) {
        throw http.refused(call, e.status(), e.getMessage());
      }
      throw e;
    }
  }

  private HttpCall get(String url) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Accept", "application/json");
    h.put("Authorization", "Bearer " + account.apiKey);
    return new HttpCall("GET", url, h, null, account.timeoutMillis, account.answerDeadlineMillis,
        account.maxAnswerBytes);
  }
}
