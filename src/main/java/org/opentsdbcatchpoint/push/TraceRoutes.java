package org.opentsdbcatchpoint.push;

import com.fasterxml.jackson.databind.JsonNode;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.opentsdbcatchpoint.pipeline.SkipReason;

/**
 * Derives traceroute values from {@code Diagnostic.TraceRoute.Hops}: the hop count, and the mean
 * round trip time and the loss of the last hop. Per-hop series are optional (one series per hop is
 * many series for a large account).
 */
final class TraceRoutes {
  private TraceRoutes() {}

  static void derive(JsonNode hops, String where, boolean perHop, RunCollector out) {
    JsonNode list = unwrapList(hops);
    if (list == null || list.size() == 0) {
      out.skip(where, SkipReason.NO_ANSWER, "no hops");
      return;
    }
    out.add(Vocabulary.TRACEROUTE_HOP_COUNT, list.size(), where);
    for (int i = 0; i < list.size(); i++) {
      boolean last = i == list.size() - 1;
      if (!last && !perHop) {
        continue;
      }
      JsonNode probes = unwrapList(list.get(i).path("RoundTripTimes"));
      int sent = 0;
      int answered = 0;
      double sum = 0;
      if (probes != null) {
        for (JsonNode p : probes) {
          sent++;
          Values.Parsed v = Values.read(p);
          if (v.ok()) {
            answered++;
            sum += v.value;
          }
        }
      }
      String hopWhere = where + "[" + i + "].RoundTripTimes";
      if (sent == 0) {
        out.skip(hopWhere, SkipReason.NO_ANSWER, "no probes");
        continue;
      }
      double lossPct = 100.0 * (sent - answered) / sent;
      int hopNumber = i + 1;
      if (last) {
        out.add(Vocabulary.TRACEROUTE_LAST_HOP_LOSS, lossPct, hopWhere);
        if (answered > 0) {
          out.add(Vocabulary.TRACEROUTE_LAST_HOP_RTT, sum / answered, hopWhere);
        } else {
          out.skip(hopWhere, SkipReason.NO_ANSWER, "every probe of the last hop was lost");
        }
      }
      if (perHop) {
        out.addPart(Vocabulary.TRACEROUTE_HOP_LOSS, lossPct, Vocabulary.TAG_HOP, Integer.toString(hopNumber));
        if (answered > 0) {
          out.addPart(Vocabulary.TRACEROUTE_HOP_RTT, sum / answered, Vocabulary.TAG_HOP, Integer.toString(hopNumber));
        }
      }
    }
  }

  /** An array, or (XML) an object wrapping one repeated element. */
  static JsonNode unwrapList(JsonNode n) {
    if (n == null) {
      return null;
    }
    if (n.isArray()) {
      return n;
    }
    if (n.isObject() && n.size() == 1) {
      JsonNode only = n.elements().next();
      if (only.isArray()) {
        return only;
      }
      com.fasterxml.jackson.databind.node.ArrayNode single =
          com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
      single.add(only);
      return single;
    }
    return null;
  }
}
