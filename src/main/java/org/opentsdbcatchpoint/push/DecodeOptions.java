package org.opentsdbcatchpoint.push;

/** The decoder's switches, from the plugin settings. */
public final class DecodeOptions {
  public final boolean traceroutePerHop;
  public final boolean hostCollections;
  public final boolean contentZones;

  public DecodeOptions(boolean traceroutePerHop, boolean hostCollections, boolean contentZones) {
    this.traceroutePerHop = traceroutePerHop;
    this.hostCollections = hostCollections;
    this.contentZones = contentZones;
  }

  public static DecodeOptions defaults() {
    return new DecodeOptions(false, false, false);
  }
}
