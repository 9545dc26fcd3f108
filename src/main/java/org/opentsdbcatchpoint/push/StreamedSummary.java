package org.opentsdbcatchpoint.push;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.opentsdbcatchpoint.pipeline.Measurement;
import org.opentsdbcatchpoint.pipeline.SkipReason;
import org.opentsdbcatchpoint.pipeline.SkippedField;

/**
 * A default-format {@code Summary} object read straight from the parser: its sections of numbers
 * become measurements as they are read, with no tree (the tree of a web run was a third of what
 * decoding it allocated); the few fields the decoder reads as values are kept as nodes. It gives
 * {@link DefaultFormatDecoder} exactly what the tree would, or gives up ({@link #read} returns null)
 * where the two could differ: a field the decoder reads, or a key of a section, given twice (a tree
 * keeps the last value at the first one's place).
 */
final class StreamedSummary implements DefaultFormatDecoder.Summary {
  /** Fields read as values; the rest of {@code Summary} that no one reads is only checked. */
  private static final String[] VALUES = {"Timestamp", "Step", "AverageFramesPerSecond", "Error"};
  private static final String[] PARTS = {"HostCollections", "ContentZones"};
  private static final String[] SECTIONS = DefaultFormatDecoder.SECTIONS;
  private static final String[] SECTION_WHERE = DefaultFormatDecoder.SECTION_WHERE;

  private final JsonNode[] values = new JsonNode[VALUES.length];
  private final JsonNode[] parts = new JsonNode[PARTS.length];
  private final Section[] sections = new Section[SECTIONS.length];
  /** Keys of the section objects being read, to see a repeated one: a stack, one frame per object. */
  private String[] keys = new String[16];
  /** Keys of one section compared one by one; a section with more goes to a hash set. */
  private static final int LINEAR_KEYS = 32;
  private int keyCount;

  private StreamedSummary() {}

  /**
   * Reads the object whose START_OBJECT is the parser's current token, {@code depth} levels down.
   * Null when the tree could read it differently (the caller then parses the body as a tree).
   */
  static StreamedSummary read(JsonParser p, int depth, DecodeOptions options) throws IOException, PushException {
    JsonTrees.checkDepth(p, depth);
    StreamedSummary s = new StreamedSummary();
    JsonToken next;
    while ((next = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.getCurrentName();
      JsonToken t = p.nextToken();
      int section = indexOf(SECTIONS, name);
      if (section >= 0) {
        if (s.sections[section] != null) {
          return null;
        }
        s.sections[section] = new Section();
        if (t != JsonToken.START_OBJECT) {
          JsonTrees.skip(p, t, depth + 1); // not an object: the decoder takes nothing from it
        } else if (!s.readSection(p, depth + 1, DefaultFormatDecoder.groupOf(name), "", SECTION_WHERE[section],
            s.sections[section], name.equals("Byte"))) {
          return null;
        }
        continue;
      }
      int value = indexOf(VALUES, name);
      if (value >= 0) {
        if (s.values[value] != null) {
          return null;
        }
        s.values[value] = JsonTrees.read(p, t, depth + 1);
        continue;
      }
      int part = indexOf(PARTS, name);
      if (part >= 0) {
        if (s.parts[part] != null) {
          return null;
        }
        boolean enabled = part == 0 ? options.hostCollections : options.contentZones;
        if (enabled) {
          s.parts[part] = JsonTrees.read(p, t, depth + 1);
        } else {
          // Switched off, the decoder only asks whether it is there.
          JsonTrees.skip(p, t, depth + 1);
          s.parts[part] = NullNode.getInstance();
        }
        continue;
      }
      JsonTrees.skip(p, t, depth + 1);
    }
    JsonTrees.expectEnd(p, next);
    return s;
  }

  /**
   * One section object, read as {@code DefaultFormatDecoder.group} does: numbers become measurements,
   * objects and arrays are skipped. With {@code byteGroups} it is {@code DefaultFormatDecoder.bytes}
   * instead: an object is a group of its own ({@code Byte.Response.Content} ->
   * {@code catchpoint.bytes.response_content}). False when a key is repeated.
   */
  private boolean readSection(JsonParser p, int depth, String group, String prefix, String where, Section out,
      boolean byteGroups) throws IOException, PushException {
    JsonTrees.checkDepth(p, depth);
    int frame = keyCount;
    java.util.Set<String> many = null; // the keys of a large section: a scan of the stack would be quadratic
    JsonToken next;
    while ((next = p.nextToken()) == JsonToken.FIELD_NAME) {
      String key = p.getCurrentName();
      if (many != null ? !many.add(key) : !newKey(frame, key)) {
        return false;
      }
      if (many == null && keyCount - frame > LINEAR_KEYS) {
        many = new java.util.HashSet<>(java.util.Arrays.asList(keys).subList(frame, keyCount));
        keyCount = frame;
      }
      JsonToken t = p.nextToken();
      if (byteGroups && t == JsonToken.START_OBJECT) {
        if (!readSection(p, depth + 1, Vocabulary.BYTES, key + "_", where + "." + key, out, false)) {
          return false;
        }
      } else if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        JsonTrees.skip(p, t, depth + 1);
        out.skip(new SkippedField(where + "." + key, SkipReason.NESTED_OBJECT,
            byteGroups ? "an array" : "not a measurement"));
      } else {
        leaf(p, t, depth + 1, group, prefix.isEmpty() ? key : prefix + key, where, key, out);
      }
    }
    JsonTrees.expectEnd(p, next);
    keyCount = frame;
    return true;
  }

  /** {@code RunCollector.measure} of a scalar: a plain number without a node, anything else through one. */
  private static void leaf(JsonParser p, JsonToken t, int depth, String group, String key, String where,
      String whereKey, Section out) throws IOException, PushException {
    if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      // As a LongNode's doubleValue(): always finite.
      out.add(new Measurement(Vocabulary.metric(group, key), (double) p.getLongValue()));
      return;
    }
    if (t == JsonToken.VALUE_NUMBER_FLOAT) {
      double d = p.getDoubleValue();
      if (Double.isFinite(d)) {
        out.add(new Measurement(Vocabulary.metric(group, key), d));
        return;
      }
    }
    Values.Parsed v = Values.read(JsonTrees.read(p, t, depth));
    if (v.ok()) {
      out.add(new Measurement(Vocabulary.metric(group, key), v.value));
    } else {
      out.skip(new SkippedField(where + "." + whereKey, v.skipReason, v.detail));
    }
  }

  /** False when {@code key} is already a key of the object whose keys start at {@code frame}. */
  private boolean newKey(int frame, String key) {
    for (int i = frame; i < keyCount; i++) {
      if (keys[i].equals(key)) {
        return false;
      }
    }
    if (keyCount == keys.length) {
      keys = java.util.Arrays.copyOf(keys, keys.length * 2);
    }
    keys[keyCount++] = key;
    return true;
  }

  private static int indexOf(String[] names, String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public JsonNode path(String field) {
    int value = indexOf(VALUES, field);
    int part = indexOf(PARTS, field);
    JsonNode n = value >= 0 ? values[value] : part >= 0 ? parts[part] : null;
    return n != null ? n : MissingNode.getInstance();
  }

  @Override
  public boolean has(String field) {
    return !path(field).isMissingNode();
  }

  @Override
  public void section(String field, RunCollector out) {
    int i = indexOf(SECTIONS, field);
    Section s = i >= 0 ? sections[i] : null;
    if (s != null) {
      s.into(out);
    }
  }

  /** What a section gave, in the order of its keys. */
  private static final class Section {
    private List<Measurement> measurements;
    private List<SkippedField> skipped;

    void add(Measurement m) {
      if (measurements == null) {
        measurements = new ArrayList<>();
      }
      measurements.add(m);
    }

    void skip(SkippedField f) {
      if (skipped == null) {
        skipped = new ArrayList<>(4);
      }
      skipped.add(f);
    }

    void into(RunCollector out) {
      if (measurements != null) {
        for (Measurement m : measurements) {
          out.add(m);
        }
      }
      if (skipped != null) {
        for (SkippedField f : skipped) {
          out.skip(f);
        }
      }
    }
  }
}
