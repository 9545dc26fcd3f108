package org.opentsdbcatchpoint.pull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.opentsdbcatchpoint.web.JsonGuard;

/**
 * Reads a v2 {@code /tests/explorer/raw} answer as a stream:
 * {@code {data: {responseItems: [{hasMoreRecords, metrics: [{index, name}], items: [{dateTime,
 * values[], dimensions: [{type: {id}, id, name}]}]}]}, errors: [{id, message}], ...}}. {@code values[i]}
 * belongs to the metric whose {@code index} is {@code i}; dimensions are read by their type id.
 */
final class V2RawParser {
  static final int DIMENSION_NODE = 1;
  static final int DIMENSION_STEP = 6;
  static final int DIMENSION_TEST = 16;
  static final int DIMENSION_HOP = 90;

  private V2RawParser() {}

  /**
   * @param skipPartial when true, the items of a response item that says {@code hasMoreRecords} before
   *     its items are skipped (the caller fetches the window again in halves)
   */
  static void parse(InputStream in, RunAssembler out, boolean skipPartial) throws IOException, InterruptedException {
    try (JsonParser p = JsonGuard.parser(JsonStream.MAPPER.getFactory().createParser(in))) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw JsonStream.notCatchpoint("a v2 answer is a JSON object");
      }
      boolean hasData = false;
      List<String> errors = new ArrayList<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.getCurrentName();
        JsonToken t = p.nextToken();
        if ("data".equals(field) && t == JsonToken.START_OBJECT) {
          hasData = true;
          data(p, out, skipPartial);
        } else if ("errors".equals(field) && t == JsonToken.START_ARRAY) {
          JsonToken e;
          while ((e = p.nextToken()) != JsonToken.END_ARRAY && e != null) {
            errors.add(errorMessage(p, e));
          }
        } else {
          p.skipChildren();
        }
      }
      if (!hasData && !errors.isEmpty()) {
        throw new PullException(PullException.Kind.API_ERROR, 200, "Catchpoint answered with errors: "
            + CatchpointHttp.abbreviate(errors.toString()), null);
      }
      out.finish();
    }
  }

  private static String errorMessage(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      return JsonStream.text(p, t);
    }
    String id = null;
    String message = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.getCurrentName();
      JsonToken v = p.nextToken();
      if ("id".equals(f)) {
        id = JsonStream.text(p, v);
      } else if ("message".equals(f)) {
        message = JsonStream.text(p, v);
      } else {
        p.skipChildren();
      }
    }
    return id + ": " + message;
  }

  private static void data(JsonParser p, RunAssembler out, boolean skipPartial) throws IOException, InterruptedException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.getCurrentName();
      JsonToken t = p.nextToken();
      if ("responseItems".equals(field) && t == JsonToken.START_ARRAY) {
        JsonToken r;
        while ((r = p.nextToken()) == JsonToken.START_OBJECT) {
          responseItem(p, out, skipPartial);
        }
        if (r != JsonToken.END_ARRAY) {
          throw JsonStream.notCatchpoint("data.responseItems holds something other than objects");
        }
      } else {
        p.skipChildren();
      }
    }
  }

  private static void responseItem(JsonParser p, RunAssembler out, boolean skipPartial)
      throws IOException, InterruptedException {
    boolean more = false;
    RawItems items = new RawItems(out, V2RawParser::item);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.getCurrentName();
      JsonToken t = p.nextToken();
      if ("hasMoreRecords".equals(field)) {
        more = t == JsonToken.VALUE_TRUE || (t == JsonToken.VALUE_STRING && "true".equalsIgnoreCase(p.getText()));
        if (more) {
          out.counts().hasMoreRecords = true;
        }
      } else if ("metrics".equals(field) && t == JsonToken.START_ARRAY) {
        items.columns(metrics(p, out));
      } else if ("items".equals(field) && t == JsonToken.START_ARRAY) {
        if (more && skipPartial) {
          p.skipChildren();
          continue;
        }
        items.read(p, "items");
      } else {
        p.skipChildren();
      }
    }
    if (!(more && skipPartial)) {
      items.emitHeld();
    }
  }

  /** {@code [{index, name}]} to the metric of each value position. */
  private static String[] metrics(JsonParser p, RunAssembler out) throws IOException {
    TreeMap<Integer, String> byIndex = new TreeMap<>();
    int position = 0;
    JsonToken m;
    while ((m = p.nextToken()) != JsonToken.END_ARRAY && m != null) {
      if (m != JsonToken.START_OBJECT) {
        p.skipChildren();
        position++;
        continue;
      }
      Long index = null;
      String name = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.getCurrentName();
        JsonToken v = p.nextToken();
        if ("index".equals(f)) {
          index = JsonStream.wholeNumber(p, v);
        } else if ("name".equals(f)) {
          name = JsonStream.text(p, v);
        } else {
          p.skipChildren();
        }
      }
      int at = index != null && index >= 0 && index < 10_000 ? index.intValue() : position;
      byIndex.put(at, name);
      position++;
    }
    String[] columns = new String[byIndex.isEmpty() ? 0 : byIndex.lastKey() + 1];
    for (java.util.Map.Entry<Integer, String> e : byIndex.entrySet()) {
      columns[e.getKey()] = out.column(e.getValue());
    }
    return columns;
  }

  private static RawItems.Item item(JsonParser p) throws IOException {
    RawItems.Item item = new RawItems.Item();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.getCurrentName();
      JsonToken t = p.nextToken();
      if ("dateTime".equals(f)) {
        item.time = JsonStream.text(p, t);
      } else if ("values".equals(f)) {
        item.values = JsonStream.numbers(p, t);
      } else if ("dimensions".equals(f) && t == JsonToken.START_ARRAY) {
        JsonToken d;
        while ((d = p.nextToken()) != JsonToken.END_ARRAY && d != null) {
          if (d == JsonToken.START_OBJECT) {
            dimension(p, item);
          } else {
            p.skipChildren();
          }
        }
      } else {
        p.skipChildren();
      }
    }
    return item;
  }

  /** {@code {type: {id, name}, id, name}}: the type says which identity field this is. */
  private static void dimension(JsonParser p, RawItems.Item item) throws IOException {
    Long type = null;
    String typeName = null;
    Long id = null;
    String name = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.getCurrentName();
      JsonToken t = p.nextToken();
      if ("type".equals(f)) {
        if (t == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String tf = p.getCurrentName();
            JsonToken tv = p.nextToken();
            if ("id".equals(tf)) {
              type = JsonStream.wholeNumber(p, tv);
            } else if ("name".equals(tf)) {
              typeName = JsonStream.text(p, tv);
            } else {
              p.skipChildren();
            }
          }
        } else {
          type = JsonStream.wholeNumber(p, t);
        }
      } else if ("id".equals(f)) {
        id = JsonStream.wholeNumber(p, t);
      } else if ("name".equals(f)) {
        name = JsonStream.text(p, t);
      } else {
        p.skipChildren();
      }
    }
    int kind = type != null ? type.intValue() : byName(typeName);
    switch (kind) {
      case DIMENSION_TEST:
        item.testId = id;
        item.testName = name;
        break;
      case DIMENSION_NODE:
        item.nodeId = id;
        item.nodeName = name;
        break;
      case DIMENSION_STEP:
        item.step = id != null ? Integer.valueOf(id.intValue()) : JsonStream.smallNumber(name);
        break;
      case DIMENSION_HOP:
        item.hop = id != null ? Integer.valueOf(id.intValue()) : JsonStream.smallNumber(name);
        break;
      default:
        break;
    }
  }

  private static int byName(String typeName) {
    if (typeName == null) {
      return -1;
    }
    switch (typeName.replaceAll("\\s+", "").toLowerCase(java.util.Locale.ROOT)) {
      case "test":
        return DIMENSION_TEST;
      case "node":
        return DIMENSION_NODE;
      case "step":
        return DIMENSION_STEP;
      case "hopnumber":
        return DIMENSION_HOP;
      default:
        return -1;
    }
  }
}
