package org.opentsdbcatchpoint.lease;

import java.nio.charset.StandardCharsets;

/**
 * What a lease cell holds: the holder ({@code host:port/start}, empty once released), a term bumped
 * at every renewal (so that a live holder's cell always changes), until when the holder means to hold
 * it by its own clock, and the holder's lease period. Other TSDs never compare that time with theirs:
 * a lease is expired for them when its cell has not changed for the holder's lease period, measured
 * by their own clock (so TSDs configured with different periods still judge each holder by its own).
 */
final class LeaseRecord {
  private static final String VERSION = "2";

  final String owner;
  final long term;
  final long untilMillis;
  /** The holder's lease period; 0 when not known (then the reader's own counts). */
  final long leaseMillis;

  LeaseRecord(String owner, long term, long untilMillis, long leaseMillis) {
    this.owner = owner;
    this.term = term;
    this.untilMillis = untilMillis;
    this.leaseMillis = leaseMillis;
  }

  boolean released() {
    return owner.isEmpty();
  }

  byte[] encode() {
    return (VERSION + "\t" + owner + "\t" + term + "\t" + untilMillis + "\t" + leaseMillis)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The record of a cell; null for a cell this version cannot read (treated as free: it is overwritten). */
  static LeaseRecord parse(byte[] raw) {
    if (raw == null) {
      return null;
    }
    String[] f = new String(raw, StandardCharsets.UTF_8).split("\t", -1);
    if (f.length != 5 || !VERSION.equals(f[0])) {
      return null;
    }
    try {
      return new LeaseRecord(f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** {@code host:port} of an owner id. */
  static String address(String owner) {
    int slash = owner.lastIndexOf('/');
    return slash < 0 ? owner : owner.substring(0, slash);
  }
}
