package org.opentsdbcatchpoint.sink;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A batch as the body of OpenTSDB's {@code POST /api/put}: one object per point, in order, timestamps in
 * seconds as the plugin writes them, the value quoted as the API allows, so the target reads its type
 * from exactly this text:
 *
 * <pre>
 * [{"metric":"catchpoint.timing.dns","timestamp":1705320873,"value":"12.0","tags":{"node_id":"540","test_id":"100001"}}, ...]
 * </pre>
 *
 * Values follow {@link JsonText#value}: the metrics the plugin stores as integers are integers there too,
 * every other value has a decimal point (OpenTSDB then stores it as a 4-byte float when that holds it
 * exactly, else as a double: the same number either way). A point with a non-finite value, an empty
 * metric or no tag with a value (OpenTSDB takes none) is left out and counted as invalid; a tag with an
 * empty value is left out of its point.
 */
final class OpenTsdbJson {
  Encoded encode(PointRing batch) {
    StringBuilder out = new StringBuilder(batch.size() * 200 + 2).append('[');
    Map<String, String> lastTags = null;
    String lastJson = null;
    int invalid = 0;
    int points = 0;
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
      if (points > 0) {
        out.append(',');
      }
      out.append("{\"metric\":");
      JsonText.string(out, metric).append(",\"timestamp\":").append(batch.seconds(i)).append(",\"value\":\"")
          .append(JsonText.value(metric, value)).append("\",\"tags\":").append(lastJson).append('}');
      points++;
    }
    out.append(']');
    return new Encoded(out.toString().getBytes(StandardCharsets.UTF_8), points, invalid);
  }

  /** How many points {@link #encode} wrote: the batch less the invalid ones. */
  static int written(PointRing batch, Encoded e) {
    return batch.size() - e.invalid();
  }
}
