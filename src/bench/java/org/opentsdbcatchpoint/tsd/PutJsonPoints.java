package org.opentsdbcatchpoint.tsd;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opentsdbcatchpoint.pipeline.DataPoint;

/**
 * Reads datapoints in the shape {@code /api/put} takes: a JSON array of
 * {@code {"metric":..., "timestamp":..., "value":..., "tags":{...}}}. Streaming, so a body of tens of
 * thousands of points costs no tree.
 */
public final class PutJsonPoints {
  private static final JsonFactory FACTORY = new JsonFactory();

  private PutJsonPoints() {}

  /** @throws IllegalArgumentException naming what is wrong, when the body is not such an array */
  public static List<DataPoint> parse(byte[] body) {
    try (JsonParser p = FACTORY.createParser(body)) {
      expect(p, p.nextToken(), JsonToken.START_ARRAY, "a JSON array of datapoints");
      List<DataPoint> points = new ArrayList<>();
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
        points.add(point(p));
      }
      expect(p, t, JsonToken.END_ARRAY, "a datapoint object or the end of the array");
      return points;
    } catch (IOException e) {
      throw new IllegalArgumentException("the body is not valid JSON: " + e.getMessage());
    }
  }

  private static DataPoint point(JsonParser p) throws IOException {
    String metric = null;
    Long timestamp = null;
    Double value = null;
    Map<String, String> tags = new HashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.getCurrentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "metric":
          metric = p.getValueAsString();
          break;
        case "timestamp":
          timestamp = p.getValueAsLong();
          break;
        case "value":
          value = t == JsonToken.VALUE_STRING ? Double.parseDouble(p.getText()) : p.getValueAsDouble();
          break;
        case "tags":
          expect(p, t, JsonToken.START_OBJECT, "an object of tags");
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.getCurrentName();
            p.nextToken();
            tags.put(key, p.getValueAsString());
          }
          break;
        default:
          p.skipChildren();
      }
    }
    if (metric == null || timestamp == null || value == null) {
      throw new IllegalArgumentException("a datapoint lacks metric, timestamp or value near "
          + p.getCurrentLocation());
    }
    return new DataPoint(metric, timestamp, value, tags);
  }

  private static void expect(JsonParser p, JsonToken actual, JsonToken wanted, String what) {
    if (actual != wanted) {
      throw new IllegalArgumentException("expected " + what + " at " + p.getCurrentLocation() + ", found " + actual);
    }
  }
}
