package org.opentsdbcatchpoint.pull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What reading REST answers found: rows, runs, skipped values, columns the vocabulary did not know. */
public final class RowCounts {
  long rows;
  long runs;
  long values;
  long nullValues;
  long invalidRows;
  /** Whether a v2 answer said it held only part of the window's records. */
  boolean hasMoreRecords;
  private final Map<String, String> derivedColumns = new LinkedHashMap<>();

  public long rows() {
    return rows;
  }

  public long runs() {
    return runs;
  }

  /** Values handed on as measurements. */
  public long values() {
    return values;
  }

  /** Null (or non-numeric) values, skipped. */
  public long nullValues() {
    return nullValues;
  }

  /** Rows without a test id, node id or readable time, skipped. */
  public long invalidRows() {
    return invalidRows;
  }

  public boolean hasMoreRecords() {
    return hasMoreRecords;
  }

  /** Columns not in the vocabulary's table, with the derived metric their values went to. */
  public Map<String, String> derivedColumns() {
    return Collections.unmodifiableMap(derivedColumns);
  }

  void derived(String column, String metric) {
    if (derivedColumns.size() < 100) {
      derivedColumns.put(column, metric);
    }
  }

  public void add(RowCounts o) {
    rows += o.rows;
    runs += o.runs;
    values += o.values;
    nullValues += o.nullValues;
    invalidRows += o.invalidRows;
    hasMoreRecords |= o.hasMoreRecords;
    for (Map.Entry<String, String> e : o.derivedColumns.entrySet()) {
      derived(e.getKey(), e.getValue());
    }
  }

  @Override
  public String toString() {
    return "rows=" + rows + " runs=" + runs + " values=" + values + " null=" + nullValues
        + " invalid_rows=" + invalidRows;
  }
}
