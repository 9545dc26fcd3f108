package org.opentsdbcatchpoint.sink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Prometheus remote write 1.0: a batch as the protobuf {@code prometheus.WriteRequest}, written by hand
 * (the TSD ships protobuf-java 2.5, and these three messages are small):
 *
 * <pre>
 * WriteRequest { repeated TimeSeries timeseries = 1; }
 * TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 * Label        { string name = 1; string value = 2; }
 * Sample       { double value = 1; int64 timestamp = 2; }   // milliseconds
 * </pre>
 *
 * <p>The naming: the metric, every character other than {@code A-Z a-z 0-9 _ :} (the dots) turned into
 * {@code _}, is the label {@code __name__} ({@code catchpoint.timing.dns} → {@code catchpoint_timing_dns});
 * every tag is a label, its key in snake_case with every other character {@code _} ({@code test_id}
 * stays, {@code TestId} → {@code test_id}), a leading digit after a {@code _}, and a leading run of
 * underscores cut to one ({@code __} is Prometheus's own); its value as it is (UTF-8). A tag with an
 * empty value, or a key that comes out like an earlier one's, is left out (Prometheus refuses a series
 * with a label twice). The labels are sorted by name, as the protocol asks. The points of a batch with
 * the same labels are one series, their samples in time order; each keeps its run's own timestamp
 * (seconds × 1000). Values go as they are, NaN and infinities too (Prometheus stores them; a NaN is
 * written as Java's one NaN, never Prometheus's stale marker). A point whose metric leaves no name is
 * left out (counted as invalid).
 */
public final class PrometheusRemoteWrite {
  /** The metric's name label. */
  public static final String NAME = "__name__";
  private static final byte[] NAME_BYTES = NAME.getBytes(StandardCharsets.UTF_8);

  /**
   * Caches, bounded: a metric's name as bytes (one array per name: series compare names by identity),
   * and a tag key's label.
   */
  private static final int CACHE_MAX = 10_000;
  private final Map<String, byte[]> metricNames = new HashMap<>();
  private final Map<String, byte[]> names = new HashMap<>();
  private final Map<String, String> labelNames = new HashMap<>();

  /** {@code catchpoint.timing.dns} → {@code catchpoint_timing_dns}; empty when nothing is left. */
  public static String metricName(String metric) {
    StringBuilder b = new StringBuilder(metric.length() + 1);
    for (int i = 0; i < metric.length(); i++) {
      char c = metric.charAt(i);
      b.append(isLetter(c) || c == '_' || c == ':' || isDigit(c) ? c : '_');
    }
    if (b.length() > 0 && isDigit(b.charAt(0))) {
      b.insert(0, '_');
    }
    return b.toString();
  }

  /** {@code test_id} → {@code test_id}, {@code TestId} → {@code test_id}, {@code HTTPCode} → {@code http_code}. */
  public static String labelName(String key) {
    StringBuilder b = new StringBuilder(key.length() + 4);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        char prev = i > 0 ? key.charAt(i - 1) : '_';
        char next = i + 1 < key.length() ? key.charAt(i + 1) : '_';
        boolean wordStart = (prev >= 'a' && prev <= 'z') || isDigit(prev)
            || (prev >= 'A' && prev <= 'Z' && next >= 'a' && next <= 'z');
        if (wordStart && b.length() > 0 && b.charAt(b.length() - 1) != '_') {
          b.append('_');
        }
        b.append((char) (c + ('a' - 'A')));
      } else {
        b.append(isLetter(c) || isDigit(c) ? c : '_');
      }
    }
    int underscores = 0;
    while (underscores < b.length() && b.charAt(underscores) == '_') {
      underscores++;
    }
    if (underscores > 1) {
      b.delete(0, underscores - 1);
    }
    if (b.length() > 0 && isDigit(b.charAt(0))) {
      b.insert(0, '_');
    }
    return b.toString();
  }

  private static boolean isLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** The batch as one {@code WriteRequest}, not yet compressed. */
  public Encoded encode(PointRing batch) {
    Map<Series, Series> series = new LinkedHashMap<>();
    int invalid = 0;
    SortedMap<String, String> lastTags = null;
    byte[][] lastLabels = null;
    int lastLabelsHash = 0;
    for (int i = 0; i < batch.size(); i++) {
      byte[] name = metricNames.get(batch.metric(i));
      if (name == null) {
        name = names.computeIfAbsent(metricName(batch.metric(i)), n -> n.getBytes(StandardCharsets.UTF_8));
        metricNames.put(batch.metric(i), name);
      }
      if (name.length == 0) {
        invalid++;
        continue;
      }
      SortedMap<String, String> tags = batch.tags(i);
      if (tags != lastTags) { // the points of a run share their tags: their labels are made once
        lastTags = tags;
        lastLabels = labels(tags);
        lastLabelsHash = Arrays.deepHashCode(lastLabels);
      }
      Series key = new Series(name, lastLabels, lastLabelsHash);
      Series s = series.get(key);
      if (s == null) {
        s = key;
        series.put(key, s);
      }
      s.add(batch.seconds(i) * 1000, batch.value(i));
    }
    if (metricNames.size() > CACHE_MAX || labelNames.size() > CACHE_MAX) {
      metricNames.clear();
      names.clear();
      labelNames.clear();
    }
    int size = 0;
    for (Series s : series.values()) {
      size += lengthDelimited(s.size());
    }
    Protobuf out = new Protobuf(size);
    for (Series s : series.values()) {
      out.tag(1, Protobuf.LENGTH_DELIMITED).varint(s.size());
      s.write(out);
    }
    return new Encoded(out.bytes(), batch.size() - invalid, invalid);
  }

  /** The tags as label names and values, alternating, sorted by name, without {@code __name__}. */
  private byte[][] labels(SortedMap<String, String> tags) {
    Map<String, String> byName = new HashMap<>();
    List<String> names = new ArrayList<>(tags.size());
    for (Map.Entry<String, String> t : tags.entrySet()) {
      if (t.getValue().isEmpty()) {
        continue;
      }
      String n = labelNames.computeIfAbsent(t.getKey(), PrometheusRemoteWrite::labelName);
      if (n.isEmpty() || n.equals(NAME) || byName.containsKey(n)) {
        continue;
      }
      byName.put(n, t.getValue());
      names.add(n);
    }
    names.sort(null);
    byte[][] out = new byte[names.size() * 2][];
    for (int i = 0; i < names.size(); i++) {
      out[2 * i] = names.get(i).getBytes(StandardCharsets.UTF_8);
      out[2 * i + 1] = byName.get(names.get(i)).getBytes(StandardCharsets.UTF_8);
    }
    return out;
  }

  static int lengthDelimited(int length) {
    return 1 + Protobuf.varintSize(length) + length;
  }

  /** One series of the batch: its labels and its samples. */
  private static final class Series {
    private final byte[] name;
    private final byte[][] labels;
    private final int hash;
    private long[] times;
    private double[] values;
    private int samples;
    private int size = -1;
    private boolean sorted = true;

    Series(byte[] name, byte[][] labels, int labelsHash) {
      this.name = name;
      this.labels = labels;
      this.hash = 31 * System.identityHashCode(name) + labelsHash;
    }

    void add(long millis, double value) {
      if (times == null) {
        times = new long[4];
        values = new double[4];
      } else if (samples == times.length) {
        times = Arrays.copyOf(times, samples * 2);
        values = Arrays.copyOf(values, samples * 2);
      }
      if (samples > 0 && millis < times[samples - 1]) {
        sorted = false;
      }
      times[samples] = millis;
      values[samples] = value;
      samples++;
    }

    /** The encoded size of this TimeSeries message (also puts the samples in time order). */
    int size() {
      if (size >= 0) {
        return size;
      }
      if (!sorted) {
        sortByTime();
      }
      int n = 0;
      boolean nameWritten = false;
      for (int i = 0; i < labels.length; i += 2) {
        if (!nameWritten && compare(NAME_BYTES, labels[i]) < 0) {
          n += lengthDelimited(label(NAME_BYTES, name));
          nameWritten = true;
        }
        n += lengthDelimited(label(labels[i], labels[i + 1]));
      }
      if (!nameWritten) {
        n += lengthDelimited(label(NAME_BYTES, name));
      }
      for (int i = 0; i < samples; i++) {
        n += lengthDelimited(sample(times[i]));
      }
      size = n;
      return n;
    }

    void write(Protobuf out) {
      boolean nameWritten = false;
      for (int i = 0; i < labels.length; i += 2) {
        if (!nameWritten && compare(NAME_BYTES, labels[i]) < 0) {
          writeLabel(out, NAME_BYTES, name);
          nameWritten = true;
        }
        writeLabel(out, labels[i], labels[i + 1]);
      }
      if (!nameWritten) {
        writeLabel(out, NAME_BYTES, name);
      }
      for (int i = 0; i < samples; i++) {
        out.tag(2, Protobuf.LENGTH_DELIMITED).varint(sample(times[i]));
        out.tag(1, Protobuf.FIXED64).fixed64(Double.doubleToLongBits(values[i]));
        out.tag(2, Protobuf.VARINT).varint(times[i]);
      }
    }

    private static int label(byte[] name, byte[] value) {
      return lengthDelimited(name.length) + lengthDelimited(value.length);
    }

    private static int sample(long millis) {
      return 1 + 8 + 1 + Protobuf.varintSize(millis);
    }

    private static void writeLabel(Protobuf out, byte[] name, byte[] value) {
      out.tag(1, Protobuf.LENGTH_DELIMITED).varint(label(name, value));
      out.tag(1, Protobuf.LENGTH_DELIMITED).varint(name.length).raw(name);
      out.tag(2, Protobuf.LENGTH_DELIMITED).varint(value.length).raw(value);
    }

    /** Stable: points of the same millisecond keep their order (Prometheus keeps the first). */
    private void sortByTime() {
      Integer[] order = new Integer[samples];
      for (int i = 0; i < samples; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Long.compare(times[a], times[b]));
      long[] t = new long[samples];
      double[] v = new double[samples];
      for (int i = 0; i < samples; i++) {
        t[i] = times[order[i]];
        v[i] = values[order[i]];
      }
      times = t;
      values = v;
      sorted = true;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Series)) {
        return false;
      }
      Series s = (Series) o;
      return hash == s.hash && name == s.name && (labels == s.labels || Arrays.deepEquals(labels, s.labels));
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** Unsigned byte order, as Prometheus sorts label names. */
  static int compare(byte[] a, byte[] b) {
    int n = Math.min(a.length, b.length);
    for (int i = 0; i < n; i++) {
      int d = (a[i] & 0xff) - (b[i] & 0xff);
      if (d != 0) {
        return d;
      }
    }
    return a.length - b.length;
  }

  /** The protobuf wire format, into an array of the size computed beforehand. */
  static final class Protobuf {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;

    private final byte[] buf;
    private int at;

    Protobuf(int size) {
      buf = new byte[size];
    }

    Protobuf tag(int field, int wireType) {
      return varint((field << 3) | wireType);
    }

    Protobuf varint(long v) {
      long x = v;
      while ((x & ~0x7FL) != 0) {
        buf[at++] = (byte) ((x & 0x7F) | 0x80);
        x >>>= 7;
      }
      buf[at++] = (byte) x;
      return this;
    }

    Protobuf fixed64(long v) {
      for (int i = 0; i < 8; i++) {
        buf[at++] = (byte) (v >>> (8 * i));
      }
      return this;
    }

    Protobuf raw(byte[] b) {
      System.arraycopy(b, 0, buf, at, b.length);
      at += b.length;
      return this;
    }

    static int varintSize(long v) {
      int n = 1;
      long x = v;
      while ((x & ~0x7FL) != 0) {
        n++;
        x >>>= 7;
      }
      return n;
    }

    byte[] bytes() {
      if (at != buf.length) {
        throw new IllegalStateException("wrote " + at + " bytes of " + buf.length);
      }
      return buf;
    }
  }
}
