package org.opentsdbcatchpoint.tsd;

import com.stumbleupon.async.Callback;
import com.stumbleupon.async.Deferred;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import net.opentsdb.core.DataPoint;
import net.opentsdb.core.DataPoints;
import net.opentsdb.core.Query;
import net.opentsdb.core.TSDB;
import net.opentsdb.core.TSQuery;
import net.opentsdb.core.TSSubQuery;
import net.opentsdb.query.filter.TagVFilter;
import net.opentsdb.uid.NoSuchUniqueName;
import org.opentsdbcatchpoint.grafana.Series;
import org.opentsdbcatchpoint.grafana.SeriesQuery;
import org.opentsdbcatchpoint.grafana.SeriesSource;

/**
 * The Grafana bridge's queries run by the TSD's own query engine, in process, as {@code /api/query}
 * would run them: a {@link TSQuery} of one sub-query, {@code literal_or} filters, grouping by
 * {@code wildcard(*)} filters. A metric or tag value the TSD has never seen is no series (OpenTSDB's
 * {@link NoSuchUniqueName}); an unknown value among several is left out and the query run again.
 */
final class TsdbSeriesSource implements SeriesSource {
  private final TSDB tsdb;

  TsdbSeriesSource(TSDB tsdb) {
    this.tsdb = tsdb;
  }

  @Override
  public CompletableFuture<List<Series>> query(SeriesQuery query) {
    CompletableFuture<List<Series>> answer = new CompletableFuture<>();
    run(query, new LinkedHashMap<>(query.filters), answer);
    return answer;
  }

  private void run(SeriesQuery q, Map<String, List<String>> filters, CompletableFuture<List<Series>> answer) {
    Deferred<Query[]> built;
    try {
      built = tsQuery(q, filters).buildQueriesAsync(tsdb);
    } catch (IllegalArgumentException e) {
      answer.completeExceptionally(e);
      return;
    } catch (NoSuchUniqueName e) {
      retryWithout(q, filters, e, answer);
      return;
    }
    built.addCallbackDeferring(new Callback<Deferred<DataPoints[]>, Query[]>() {
      @Override
      public Deferred<DataPoints[]> call(Query[] queries) {
        return queries[0].runAsync();
      }
    }).addCallbackDeferring(new Callback<Deferred<List<Series>>, DataPoints[]>() {
      @Override
      public Deferred<List<Series>> call(DataPoints[] found) {
        return series(q.metric, found);
      }
    }).addCallbacks(new Callback<Object, List<Series>>() {
      @Override
      public Object call(List<Series> series) {
        answer.complete(series);
        return null;
      }
    }, new Callback<Object, Exception>() {
      @Override
      public Object call(Exception e) {
        Throwable cause = unwrap(e);
        if (cause instanceof NoSuchUniqueName) {
          retryWithout(q, filters, (NoSuchUniqueName) cause, answer);
        } else {
          answer.completeExceptionally(cause);
        }
        return null;
      }
    });
  }

  /** An unknown metric or tag key matches nothing; an unknown tag value is dropped from its filter. */
  private void retryWithout(SeriesQuery q, Map<String, List<String>> filters, NoSuchUniqueName unknown,
      CompletableFuture<List<Series>> answer) {
    if (!"tagv".equals(unknown.kind())) {
      answer.complete(Collections.<Series>emptyList());
      return;
    }
    Map<String, List<String>> fewer = new LinkedHashMap<>();
    boolean removed = false;
    for (Map.Entry<String, List<String>> e : filters.entrySet()) {
      List<String> values = new ArrayList<>(e.getValue());
      removed |= values.remove(unknown.name());
      if (values.isEmpty()) {
        answer.complete(Collections.<Series>emptyList()); // a filter nothing can match
        return;
      }
      fewer.put(e.getKey(), values);
    }
    if (!removed) {
      answer.complete(Collections.<Series>emptyList());
      return;
    }
    run(q, fewer, answer);
  }

  private static TSQuery tsQuery(SeriesQuery q, Map<String, List<String>> filters) {
    List<TagVFilter> tagFilters = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : filters.entrySet()) {
      tagFilters.add(new TagVFilter.Builder().setType("literal_or").setTagk(e.getKey())
          .setFilter(String.join("|", e.getValue())).setGroupBy(q.groupBy.contains(e.getKey())).build());
    }
    for (String tag : q.groupBy) {
      if (!filters.containsKey(tag)) {
        tagFilters.add(new TagVFilter.Builder().setType("wildcard").setTagk(tag).setFilter("*").setGroupBy(true)
            .build());
      }
    }
    TSSubQuery sub = new TSSubQuery();
    sub.setMetric(q.metric);
    sub.setAggregator(q.aggregator);
    if (q.downsample != null) {
      sub.setDownsample(q.downsample);
    }
    sub.setFilters(tagFilters);
    TSQuery query = new TSQuery();
    query.setStart(Long.toString(q.startSeconds));
    query.setEnd(Long.toString(q.endSeconds));
    query.setQueries(new ArrayList<>(Collections.singletonList(sub)));
    query.validateAndSetQuery();
    return query;
  }

  private static Deferred<List<Series>> series(String metric, DataPoints[] all) {
    // Annotations alone (the alert webhook's notes on a test's or node's series) come back, with the
    // none aggregator, as groups without points or tags: no series.
    List<DataPoints> kept = new ArrayList<>(all.length);
    for (DataPoints dps : all) {
      if (dps.size() > 0) {
        kept.add(dps);
      }
    }
    DataPoints[] found = kept.toArray(new DataPoints[0]);
    List<Deferred<Map<String, String>>> tags = new ArrayList<>(found.length);
    for (DataPoints dps : found) {
      tags.add(dps.getTagsAsync());
    }
    return Deferred.groupInOrder(tags).addCallback(new Callback<List<Series>, ArrayList<Map<String, String>>>() {
      @Override
      public List<Series> call(ArrayList<Map<String, String>> tagsOf) {
        List<Series> out = new ArrayList<>(found.length);
        for (int i = 0; i < found.length; i++) {
          out.add(points(metric, tagsOf.get(i), found[i]));
        }
        return out;
      }
    });
  }

  private static Series points(String metric, Map<String, String> tags, DataPoints dps) {
    long[] seconds = new long[Math.max(0, dps.size())];
    double[] values = new double[seconds.length];
    int n = 0;
    for (DataPoint p : dps) {
      if (n == seconds.length) {
        seconds = java.util.Arrays.copyOf(seconds, Math.max(16, n * 2));
        values = java.util.Arrays.copyOf(values, seconds.length);
      }
      seconds[n] = p.timestamp() / 1000;
      values[n] = p.isInteger() ? p.longValue() : p.doubleValue();
      n++;
    }
    return new Series(metric, tags, java.util.Arrays.copyOf(seconds, n), java.util.Arrays.copyOf(values, n));
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while (t instanceof com.stumbleupon.async.DeferredGroupException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
