package org.opentsdbcatchpoint.grafana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One event Grafana draws as an annotation (a failed run, an alert), and the two shapes it is sent in:
 * the JSON datasource's frame and simple-json's {@code /annotations} list.
 */
final class Event {
  final long seconds;
  /** The end, in seconds: {@link #seconds} for an instant, later for a span. */
  final long endSeconds;
  final String title;
  final String text;
  final List<String> tags;

  Event(long seconds, long endSeconds, String title, String text, List<String> tags) {
    this.seconds = seconds;
    this.endSeconds = Math.max(seconds, endSeconds);
    this.title = title;
    this.text = text;
    this.tags = tags;
  }

  /** The frame Grafana turns into annotations: time, timeEnd, title, text, tags. */
  static JsonNode frame(String name, List<Event> events, String refId) {
    ObjectNode frame = JsonNodeFactory.instance.objectNode();
    if (refId != null) {
      frame.put("refId", refId);
    }
    frame.put("name", name);
    ArrayNode fields = frame.putArray("fields");
    ArrayNode time = fields.addObject().put("name", "time").put("type", "time").putArray("values");
    ArrayNode timeEnd = fields.addObject().put("name", "timeEnd").put("type", "time").putArray("values");
    ArrayNode title = fields.addObject().put("name", "title").put("type", "string").putArray("values");
    ArrayNode text = fields.addObject().put("name", "text").put("type", "string").putArray("values");
    ArrayNode tags = fields.addObject().put("name", "tags").put("type", "other").putArray("values");
    for (Event e : events) {
      time.add(e.seconds * 1000);
      timeEnd.add(e.endSeconds * 1000);
      title.add(e.title);
      text.add(e.text);
      ArrayNode t = tags.addArray();
      e.tags.forEach(t::add);
    }
    return frame;
  }

  /** simple-json's answer: {@code [{annotation, time, timeEnd, title, text, tags}]}. */
  static void addTo(ArrayNode out, JsonNode annotation, List<Event> events) {
    for (Event e : events) {
      ObjectNode a = out.addObject();
      a.set("annotation", annotation);
      a.put("time", e.seconds * 1000);
      if (e.endSeconds != e.seconds) {
        a.put("timeEnd", e.endSeconds * 1000);
        a.put("isRegion", true);
      }
      a.put("title", e.title);
      a.put("text", e.text);
      ArrayNode tags = a.putArray("tags");
      e.tags.forEach(tags::add);
    }
  }
}
