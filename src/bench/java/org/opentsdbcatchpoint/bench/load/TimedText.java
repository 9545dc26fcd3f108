package org.opentsdbcatchpoint.bench.load;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A request body with its run time left open: rendering it for a second is a few array copies, so
 * the load generator spends its CPU on sending, not on building JSON. Markers in the source text
 * say where the time goes and in which form.
 */
final class TimedText {
  /** Catchpoint's {@code yyyyMMddHHmmssSSS} (UTC), inside a JSON string. */
  static final String COMPACT = "@@COMPACT_TIME@@";
  /** Epoch seconds, inside a JSON string (the template's {@code tsEpoch}). */
  static final String EPOCH_TEXT = "@@EPOCH_TIME@@";
  /** Epoch seconds as a JSON number: the marker is written as a string and its quotes go too. */
  static final String EPOCH_NUMBER = "\"@@EPOCH_NUMBER@@\"";

  private enum Form { COMPACT, EPOCH }

  private final List<byte[]> pieces = new ArrayList<>();
  private final List<Form> slots = new ArrayList<>();

  TimedText(String text) {
    int from = 0;
    while (true) {
      int best = -1;
      String marker = null;
      for (String m : new String[] {COMPACT, EPOCH_TEXT, EPOCH_NUMBER}) {
        int at = text.indexOf(m, from);
        if (at >= 0 && (best < 0 || at < best)) {
          best = at;
          marker = m;
        }
      }
      if (best < 0) {
        pieces.add(text.substring(from).getBytes(StandardCharsets.UTF_8));
        return;
      }
      pieces.add(text.substring(from, best).getBytes(StandardCharsets.UTF_8));
      slots.add(COMPACT.equals(marker) ? Form.COMPACT : Form.EPOCH);
      from = best + marker.length();
    }
  }

  void render(long epochSeconds, ByteArrayOutputStream out) {
    byte[] compact = null;
    byte[] epoch = null;
    for (int i = 0; i < slots.size(); i++) {
      byte[] piece = pieces.get(i);
      out.write(piece, 0, piece.length);
      byte[] time;
      if (slots.get(i) == Form.COMPACT) {
        time = compact != null ? compact : (compact = compact(epochSeconds));
      } else {
        time = epoch != null ? epoch : (epoch = Long.toString(epochSeconds).getBytes(StandardCharsets.US_ASCII));
      }
      out.write(time, 0, time.length);
    }
    byte[] last = pieces.get(pieces.size() - 1);
    out.write(last, 0, last.length);
  }

  byte[] render(long epochSeconds) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    render(epochSeconds, out);
    return out.toByteArray();
  }

  private static byte[] compact(long epochSeconds) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(epochSeconds, 0, ZoneOffset.UTC);
    byte[] b = "yyyyMMddHHmmss000".getBytes(StandardCharsets.US_ASCII);
    digits(b, 0, 4, t.getYear());
    digits(b, 4, 2, t.getMonthValue());
    digits(b, 6, 2, t.getDayOfMonth());
    digits(b, 8, 2, t.getHour());
    digits(b, 10, 2, t.getMinute());
    digits(b, 12, 2, t.getSecond());
    return b;
  }

  private static void digits(byte[] b, int at, int width, int value) {
    for (int i = at + width - 1; i >= at; i--) {
      b[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
  }
}
