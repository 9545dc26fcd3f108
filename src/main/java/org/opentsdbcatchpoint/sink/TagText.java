package org.opentsdbcatchpoint.sink;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The tags of the points in a {@link PointRing}, as bytes in a ring: records appended in order and
 * released from the oldest end. A record is its number of tags, then each key and value as a length
 * and UTF-8 bytes. The points of a run share one tags map, and so one record: the last few records are
 * remembered by what they were made from (a map, or a record of another ring), even while other
 * threads' runs come in between. Positions are absolute (they only grow, wrapping around {@code int});
 * the buffer grows as needed, so what it holds is bounded by the points that use it. Holding tags this
 * way keeps no object per run alive: the tags maps, their entries and their strings die young, as
 * they would without forwarders. Not thread-safe.
 */
final class TagText {
  private static final int RECENT = 8;

  private byte[] buf = new byte[1024];
  private byte[] scratch = new byte[256];
  private int head;
  private int tail;
  /** The records made lately and what from: a tags map (position unused), or another ring and a position there. */
  private final Object[] madeFrom = new Object[RECENT];
  private final int[] madeFromAt = new int[RECENT];
  private final int[] recentAt = new int[RECENT];
  private int recent;
  private int nextRecent;
  /** The oldest of the recent records, or the tail: see {@link #floor}. */
  private int floor;

  /** The record of these tags: a recent one made from the same map, else a new one. */
  int record(Map<String, String> tags) {
    int r = recent(tags, 0);
    if (r >= 0) {
      return recentAt[r];
    }
    return remember(tags, 0, append(tags));
  }

  /** The record of record {@code at} of {@code from}: a recent copy of it, else a new copy. */
  int record(TagText from, int at) {
    int r = recent(from, at);
    if (r >= 0) {
      return recentAt[r];
    }
    return remember(from, at, copy(from, at));
  }

  /**
   * The oldest record a point added from now on can use: once the points added before are gone, the
   * records before this one can be released.
   */
  int floor() {
    return recent == 0 ? tail : floor;
  }

  /** The newest first: the points of a run come one after another, mostly. */
  private int recent(Object from, int at) {
    for (int k = 1; k <= recent; k++) {
      int i = (nextRecent - k + RECENT) % RECENT;
      if (madeFrom[i] == from && madeFromAt[i] == at) {
        return i;
      }
    }
    return -1;
  }

  private int remember(Object from, int at, int record) {
    madeFrom[nextRecent] = from;
    madeFromAt[nextRecent] = at;
    recentAt[nextRecent] = record;
    nextRecent = (nextRecent + 1) % RECENT;
    recent = Math.min(recent + 1, RECENT);
    floor = recentAt[recent < RECENT ? 0 : nextRecent]; // the oldest remembered: they are made in order
    return record;
  }

  private int append(Map<String, String> tags) {
    int n = putLength(tags.size(), 0);
    for (Map.Entry<String, String> t : tags.entrySet()) {
      n = putString(t.getKey(), n);
      n = putString(t.getValue(), n);
    }
    return appendScratch(n);
  }

  private int copy(TagText from, int at) {
    int length = from.recordLength(at);
    scratch(length);
    from.get(at, scratch, 0, length);
    return appendScratch(length);
  }

  /** The record at {@code at} as a new sorted map. */
  SortedMap<String, String> read(int at) {
    int[] pos = {at};
    int n = readLength(pos);
    SortedMap<String, String> tags = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      String key = readString(pos);
      tags.put(key, readString(pos));
    }
    return tags;
  }

  /** The records before {@code at} are no longer used. */
  void releaseBefore(int at) {
    head = at;
  }

  /** Releases every record: no point uses one any more. */
  void clear() {
    head = tail;
    Arrays.fill(madeFrom, null);
    recent = 0;
    nextRecent = 0;
  }

  /** Bytes held (for tests). */
  int size() {
    return tail - head;
  }

  private int recordLength(int at) {
    int[] pos = {at};
    int n = readLength(pos);
    for (int i = 0; i < 2 * n; i++) {
      int length = readLength(pos); // before the +=, which would read pos[0] ahead of the call
      pos[0] += length;
    }
    return pos[0] - at;
  }

  /** A record is made in the scratch array, then copied into the ring whole. */
  @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int): the low byte of each char, exact for ASCII
  private int putString(String s, int n) {
    int length = s.length();
    if (ascii(s)) {
      int at = putLength(length, n);
      scratch(at + length);
      s.getBytes(0, length, scratch, at);
      return at + length;
    }
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    int at = putLength(utf8.length, n);
    scratch(at + utf8.length);
    System.arraycopy(utf8, 0, scratch, at, utf8.length);
    return at + utf8.length;
  }

  private static boolean ascii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** Seven bits a byte, the high bit set on all but the last. */
  private int putLength(int v, int n) {
    scratch(n + 5);
    int at = n;
    int x = v;
    while (x >= 0x80) {
      scratch[at++] = (byte) (x | 0x80);
      x >>>= 7;
    }
    scratch[at++] = (byte) x;
    return at;
  }

  private void scratch(int length) {
    if (length > scratch.length) {
      scratch = Arrays.copyOf(scratch, Math.max(length, 2 * scratch.length));
    }
  }

  private int appendScratch(int length) {
    room(length);
    int at = tail;
    int offset = tail & (buf.length - 1);
    int first = Math.min(length, buf.length - offset);
    System.arraycopy(scratch, 0, buf, offset, first);
    System.arraycopy(scratch, first, buf, 0, length - first);
    tail += length;
    return at;
  }

  /** Copies {@code length} bytes from position {@code at} out of the ring. */
  private void get(int at, byte[] to, int toOffset, int length) {
    int offset = at & (buf.length - 1);
    int first = Math.min(length, buf.length - offset);
    System.arraycopy(buf, offset, to, toOffset, first);
    System.arraycopy(buf, 0, to, toOffset + first, length - first);
  }

  private String readString(int[] pos) {
    int n = readLength(pos);
    byte[] b = new byte[n];
    get(pos[0], b, 0, n);
    pos[0] += n;
    return new String(b, StandardCharsets.UTF_8);
  }

  private int readLength(int[] pos) {
    int v = 0;
    for (int shift = 0; ; shift += 7) {
      byte b = buf[(pos[0]++) & (buf.length - 1)];
      v |= (b & 0x7f) << shift;
      if (b >= 0) {
        return v;
      }
    }
  }

  /** Makes room for {@code n} more bytes: a buffer twice as large, the bytes at the same positions. */
  private void room(int n) {
    int held = tail - head;
    if (held + n <= buf.length) {
      return;
    }
    int length = buf.length;
    while (length < held + n) {
      length *= 2;
    }
    byte[] grown = new byte[length];
    for (int p = head; p != tail; p++) {
      grown[p & (length - 1)] = buf[p & (buf.length - 1)];
    }
    buf = grown;
  }
}
