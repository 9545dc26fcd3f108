package org.opentsdbcatchpoint.alert;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One OpenTSDB annotation as the plugin writes and reads it: the series it is on (a TSUID in hex, empty
 * for a global note), its start and end in seconds (0: still open), a description, notes, custom
 * fields. OpenTSDB keys it by series and start second alone.
 */
public final class Note {
  public final String tsuid;
  public final long startSeconds;
  public final long endSeconds;
  public final String description;
  public final String notes;
  public final Map<String, String> custom;

  public Note(String tsuid, long startSeconds, long endSeconds, String description, String notes,
      Map<String, String> custom) {
    this.tsuid = tsuid == null ? "" : tsuid;
    this.startSeconds = startSeconds;
    this.endSeconds = endSeconds;
    this.description = description;
    this.notes = notes == null ? "" : notes;
    this.custom = Collections.unmodifiableMap(new TreeMap<>(custom));
  }

  public boolean isGlobal() {
    return tsuid.isEmpty();
  }

  Note ending(long end, String newDescription, Map<String, String> newCustom) {
    return new Note(tsuid, startSeconds, end, newDescription, notes, newCustom);
  }

  @Override
  public String toString() {
    return (isGlobal() ? "global" : tsuid) + "@" + startSeconds + (endSeconds > 0 ? "-" + endSeconds : "") + " "
        + description;
  }
}
