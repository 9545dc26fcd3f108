package org.opentsdbcatchpoint.sink;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A batch as the body of KairosDB's {@code POST /api/v1/datapoints}: one object per series of the batch
 * (metric and tags), in the order the series first appear, with its points as {@code [milliseconds,
 * value]} pairs in the order they came:
 *
 * <pre>
 * [{"name":"catchpoint.timing.dns","tags":{"node_id":"540","test_id":"100001"},"datapoints":[[1705320873000,12.0]]}, ...]
 * </pre>
 *
 * The metric is KairosDB's name as it is, every tag a tag. Values follow {@link JsonText#value}: KairosDB
 * stores a value without a decimal point as a long, any other as a double. A point with a non-finite
 * value, an empty metric, or no tag with a value (KairosDB takes none without a tag) is left out and
 * counted as invalid; a tag with an empty value is left out of its point.
 */
final class KairosJson {
  /** The batch as JSON, UTF-8. */
  Encoded encode(PointRing batch) {
    Map<String, StringBuilder> series = new LinkedHashMap<>();
    Map<String, String> lastTags = null;
    String lastJson = null;
    int invalid = 0;
    int points = 0;
    StringBuilder key = new StringBuilder(160);
    for (int i = 0; i < batch.size(); i++) {
      String metric = batch.metric(i);
      double value = batch.value(i);
      Map<String, String> tags = batch.tags(i);
      if (tags != lastTags) {
        lastTags = tags;
        lastJson = JsonText.tags(tags);
      }
      if (!Double.isFinite(value) || metric.isEmpty() || lastJson == null) {
        invalid++;
        continue;
      }
      key.setLength(0);
      key.append(metric).append('\n').append(lastJson);
      String k = key.toString();
      StringBuilder s = series.get(k);
      if (s == null) {
        s = new StringBuilder(96 + lastJson.length());
        s.append("{\"name\":");
        JsonText.string(s, metric).append(",\"tags\":").append(lastJson).append(",\"datapoints\":[");
        series.put(k, s);
      } else {
        s.append(',');
      }
      s.append('[').append(batch.seconds(i) * 1000).append(',').append(JsonText.value(metric, value)).append(']');
      points++;
    }
    StringBuilder out = new StringBuilder(points * 48 + series.size() * 160);
    out.append('[');
    boolean first = true;
    for (StringBuilder s : series.values()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      out.append(s).append("]}");
    }
    out.append(']');
    return new Encoded(out.toString().getBytes(StandardCharsets.UTF_8), points, invalid);
  }
}
