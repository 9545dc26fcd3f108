package org.opentsdbcatchpoint.push;

/** The decoder's switches, from the plugin settings. */
public final class DecodeOptions {
  final boolean traceroutePerHop;
  final boolean hostCollections;
  final boolean contentZones;

  public DecodeOptions(boolean traceroutePerHop, boolean hostCollections, boolean contentZones) {
    this.traceroutePerHop = traceroutePerHop;
    this.hostCollections = hostCollections;
    this.contentZones = contentZones;
  }

  public static DecodeOptions defaults() {
    return new DecodeOptions(false, false, false);
  }
}
