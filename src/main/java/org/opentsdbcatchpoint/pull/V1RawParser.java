package org.opentsdbcatchpoint.pull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.opentsdbcatchpoint.web.JsonGuard;

/**
 * Reads a v1 {@code /performance/raw} answer as a stream:
 * {@code {start, end, timezone, detail: {fields: {synthetic_metrics: [{name}]}, items: [...]}}}. Each
 * item's {@code synthetic_metrics} values line up by position with the columns, whose names say what
 * they are. {@code detail} is null or missing when there is no data. A body with an expired-token
 * {@code Message} (any casing) or an {@code error} string fails with a {@link PullException}.
 */
final class V1RawParser {
  private V1RawParser() {}

  static void parse(InputStream in, RunAssembler out) throws IOException, InterruptedException {
    try (JsonParser p = JsonGuard.parser(JsonStream.MAPPER.getFactory().createParser(in))) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw JsonStream.notCatchpoint("a v1 raw answer is a JSON object");
      }
      boolean sawDetail = false;
      String message = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.getCurrentName();
        JsonToken t = p.nextToken();
        String lower = field.toLowerCase(Locale.ROOT);
        if ("detail".equals(lower)) {
          sawDetail = true;
          if (t == JsonToken.START_OBJECT) {
            detail(p, out);
          } else {
            p.skipChildren();
          }
        } else if ("message".equals(lower)) {
          message = JsonStream.text(p, t);
          if (CatchpointHttp.isExpiredToken(message)) {
            throw new PullException(PullException.Kind.EXPIRED_TOKEN, 200, "token expired: " + message, null);
          }
        } else if ("error".equals(lower)) {
          String error = JsonStream.text(p, t);
          if (error != null && !error.trim().isEmpty()) {
            throw new PullException(PullException.Kind.API_ERROR, 200, "Catchpoint answered with an error: "
                + CatchpointHttp.abbreviate(error), null);
          }
        } else {
          p.skipChildren();
        }
      }
      if (!sawDetail && message != null) {
        throw new PullException(PullException.Kind.API_ERROR, 200, "Catchpoint answered: "
            + CatchpointHttp.abbreviate(message), null);
      }
      out.finish();
    }
  }

  private static void detail(JsonParser p, RunAssembler out) throws IOException, InterruptedException {
    RawItems items = new RawItems(out, V1RawParser::item);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.getCurrentName();
      JsonToken t = p.nextToken();
      if ("fields".equals(field) && t == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String f = p.getCurrentName();
          JsonToken v = p.nextToken();
          if ("synthetic_metrics".equals(f) && v == JsonToken.START_ARRAY) {
            List<String> names = new ArrayList<>();
            JsonToken c;
            while ((c = p.nextToken()) != JsonToken.END_ARRAY && c != null) {
              names.add(JsonStream.name(p, c));
            }
            items.columns(out.columns(names));
          } else {
            p.skipChildren();
          }
        }
      } else if ("items".equals(field) && t == JsonToken.START_ARRAY) {
        items.read(p, "detail.items");
      } else {
        p.skipChildren();
      }
    }
    items.emitHeld();
  }

  private static RawItems.Item item(JsonParser p) throws IOException {
    RawItems.Item item = new RawItems.Item();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.getCurrentName();
      JsonToken t = p.nextToken();
      switch (f) {
        case "breakdown_1": {
          JsonStream.IdName test = JsonStream.idName(p, t);
          item.testId = test.id;
          item.testName = test.name;
          break;
        }
        case "breakdown_2": {
          JsonStream.IdName node = JsonStream.idName(p, t);
          item.nodeId = node.id;
          item.nodeName = node.name;
          break;
        }
        case "dimension":
          item.time = JsonStream.name(p, t);
          break;
        case "step":
          item.step = JsonStream.smallNumber(JsonStream.text(p, t));
          break;
        case "hop_number":
          item.hop = JsonStream.smallNumber(JsonStream.text(p, t));
          break;
        case "synthetic_metrics":
          item.values = JsonStream.numbers(p, t);
          break;
        default:
          p.skipChildren();
      }
    }
    return item;
  }
}
