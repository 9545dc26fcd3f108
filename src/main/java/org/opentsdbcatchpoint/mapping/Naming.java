package org.opentsdbcatchpoint.mapping;

/**
 * Which names the plugin writes ({@code tsd.plugin.catchpoint.naming}): its naming contract, the old
 * Python REST script's {@code catchpoint.testdata.*} names (for dashboards built on them), or both
 * while dashboards move over.
 */
public enum Naming {
  CONTRACT, LEGACY, BOTH;

  boolean contract() {
    return this != LEGACY;
  }

  boolean legacy() {
    return this != CONTRACT;
  }
}
