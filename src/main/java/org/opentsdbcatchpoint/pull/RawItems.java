package org.opentsdbcatchpoint.pull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of one raw answer's column list and items array, the same in both APIs (v1 {@code detail},
 * v2 each of {@code data.responseItems}): an item goes to the assembler as soon as it is read when the
 * columns are known. JSON does not order fields, so items that come before their columns are held
 * until {@link #emitHeld()}.
 */
final class RawItems {
  /** Reads one item, the parser on its {@code START_OBJECT}, up to and with its {@code END_OBJECT}. */
  interface ItemReader {
    Item read(JsonParser p) throws IOException;
  }

  /** One row of an items array, as read (any field may be missing). */
  static final class Item {
    Long testId;
    Long nodeId;
    String testName;
    String nodeName;
    String time;
    Integer step;
    Integer hop;
    List<Double> values = new ArrayList<>();
  }

  private final RunAssembler out;
  private final ItemReader reader;
  private String[] columns;
  private List<Item> held;

  RawItems(RunAssembler out, ItemReader reader) {
    this.out = out;
    this.reader = reader;
  }

  /** The columns the values of the items line up with, by position. */
  void columns(String[] columns) {
    this.columns = columns;
  }

  /**
   * Reads an items array, the parser on its {@code START_ARRAY}.
   *
   * @param arrayName how the error names the array when it holds something other than objects
   */
  void read(JsonParser p, String arrayName) throws IOException, InterruptedException {
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
      Item item = reader.read(p);
      if (columns != null) {
        emit(item, columns);
      } else {
        if (held == null) {
          held = new ArrayList<>();
        }
        held.add(item);
      }
    }
    if (t != JsonToken.END_ARRAY) {
      throw JsonStream.notCatchpoint(arrayName + " holds something other than objects");
    }
  }

  /** The items that came before the columns, once the whole object is read (no columns at all: none). */
  void emitHeld() throws IOException, InterruptedException {
    if (held == null) {
      return;
    }
    String[] cols = columns != null ? columns : new String[0];
    for (Item item : held) {
      emit(item, cols);
    }
    held = null;
  }

  private void emit(Item item, String[] cols) throws IOException, InterruptedException {
    out.row(item.testId, item.nodeId, item.testName, item.nodeName, item.time, item.step, item.hop, cols,
        item.values);
  }
}
