package org.opentsdbcatchpoint.lease;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This TSD's part in sharing the pulls of several TSDs on one HBase: a lease per pull account and one
 * for the node catalog, taken and renewed by compare-and-set in a {@link LeaseStore}.
 *
 * <ul>
 *   <li>A holder renews every lease each {@link #tick}; it trusts that it holds a lease only until a
 *       lease period minus one renewal interval after it sent the last renewal, by its own monotonic
 *       clock. Past that (paused, cut off from HBase) it does not pull until a renewal succeeds.
 *   <li>Another TSD takes a lease when its cell has not changed for a whole lease period of its own
 *       monotonic clock: no two clocks are ever compared, and a wall clock that jumps changes nothing.
 *       A lease released (clean shutdown, a move) or left by this TSD's previous process on the same
 *       {@code host:port} is taken at once.
 *   <li>Accounts spread: a TSD takes a free account only if no other live TSD holds fewer, and gives
 *       one back (once its running pull ended) when it holds two more than another live TSD; so a TSD
 *       that joins gets its share. Live TSDs are those renewing a {@code member/} lease of their own
 *       (only TSDs that pull: a push-only TSD holds no accounts and must not count as one that
 *       holds fewer).
 * </ul>
 */
public final class Leases {
  private static final Logger LOG = LoggerFactory.getLogger(Leases.class);
  public static final String CATALOG = "catalog";
  static final String ACCOUNT = "account/";
  static final String MEMBER = "member/";

  /** Told outside any lock, on the thread that ticks. */
  public interface Listener {
    /** This TSD now holds the account: pull it now, from its cursors. */
    void acquired(String account);

    /** This TSD no longer holds the account (another took it, or it was given back). */
    void lost(String account);

    /** This TSD now fetches the node catalog for all. */
    default void acquiredCatalog() {}
  }

  private static final class Seen {
    final byte[] raw;
    final long sinceNanos;

    Seen(byte[] raw, long sinceNanos) {
      this.raw = raw;
      this.sinceNanos = sinceNanos;
    }
  }

  private static final class Held {
    byte[] raw;
    long term;
    long validUntilNanos;
    final long acquiredNanos;
    boolean giving;

    Held(byte[] raw, long term, long validUntilNanos, long acquiredNanos) {
      this.raw = raw;
      this.term = term;
      this.validUntilNanos = validUntilNanos;
      this.acquiredNanos = acquiredNanos;
    }
  }

  private final LeaseStore store;
  private final String me;
  private final List<String> accounts;
  private final boolean takesCatalog;
  private final LongSupplier nanos;
  private final LongSupplier wallMillis;
  private final long leaseNanos;
  private final long trustNanos;
  private final Predicate<String> busy;
  private final Listener listener;
  /** Every cell as last read, and since when (this TSD's clock) it has held that value. */
  private final Map<String, Seen> seen = new HashMap<>();
  /** Free cells, since when they have been free: one nobody takes is taken after two lease periods. */
  private final Map<String, Long> freeSince = new HashMap<>();
  private final Map<String, Held> held = new LinkedHashMap<>();
  /**
   * Live TSDs that left a free account untaken for two lease periods (stuck, say): not counted as
   * holding fewer, so accounts are not given back to them, until they are seen holding one.
   */
  private final java.util.Set<String> notTaking = new java.util.HashSet<>();
  private volatile String lastError;

  /**
   * @param me this TSD: {@code host:port/start}, unique per process
   * @param accounts the accounts to share (empty: this TSD only keeps the catalog lease)
   * @param takesCatalog whether this TSD may fetch the node catalog for all
   * @param nanos a monotonic clock
   * @param wallMillis the wall clock, only written into the cells for people to read
   * @param renewMillis how often {@link #tick} runs; this TSD trusts a renewal for lease minus that
   * @param busy whether an account's pull is running (an account is given back only between pulls)
   */
  public Leases(LeaseStore store, String me, List<String> accounts, boolean takesCatalog, LongSupplier nanos,
      LongSupplier wallMillis, long leaseMillis, long renewMillis, Predicate<String> busy, Listener listener) {
    if (renewMillis * 2 > leaseMillis) {
      throw new IllegalArgumentException("the lease (" + leaseMillis + " ms) must be at least twice the renewal "
          + "interval (" + renewMillis + " ms)");
    }
    this.store = store;
    this.me = me;
    this.accounts = new ArrayList<>(accounts);
    this.takesCatalog = takesCatalog;
    this.nanos = nanos;
    this.wallMillis = wallMillis;
    this.leaseNanos = leaseMillis * 1_000_000L;
    this.trustNanos = (leaseMillis - renewMillis) * 1_000_000L;
    this.busy = busy;
    this.listener = listener;
  }

  /** One round: renew what this TSD holds, then take or give back accounts. Run every renewal interval. */
  public void tick() {
    List<Runnable> events = new ArrayList<>();
    try {
      Map<String, byte[]> cells = store.readAll();
      synchronized (this) {
        long now = nanos.getAsLong();
        observe(cells, now);
        // What was held before this tick is renewed against the cells just read; what is taken now is fresh.
        for (String name : new ArrayList<>(held.keySet())) {
          renew(name, cells, events);
        }
        String member = MEMBER + LeaseRecord.address(me);
        if (!accounts.isEmpty() && !held.containsKey(member)) {
          take(member, cells, now, events);
        }
        if (takesCatalog && !held.containsKey(CATALOG) && takeable(CATALOG, cells, now)) {
          take(CATALOG, cells, now, events);
        }
        spread(cells, now, events);
      }
      lastError = null;
    } catch (IOException | RuntimeException e) {
      lastError = e.toString();
      LOG.warn("catchpoint leases: {} (what this TSD holds stays trusted for at most a lease period)", e.toString());
    }
    events.forEach(Runnable::run);
  }

  /** True while this TSD may pull the account: it holds its lease, trusts it, and is not giving it back. */
  public synchronized boolean mayPull(String account) {
    Held h = held.get(ACCOUNT + account);
    return h != null && !h.giving && nanos.getAsLong() < h.validUntilNanos;
  }

  /** True while this TSD holds the catalog lease and trusts it. */
  public synchronized boolean holdsCatalog() {
    Held h = held.get(CATALOG);
    return h != null && nanos.getAsLong() < h.validUntilNanos;
  }

  /**
   * Before a pull writes: true if this TSD may pull the account, renewing its lease first when it no
   * longer trusts it (after a pause, say). False when another TSD took it meanwhile.
   */
  public boolean confirm(String account) {
    List<Runnable> events = new ArrayList<>();
    boolean ok;
    synchronized (this) {
      String name = ACCOUNT + account;
      Held h = held.get(name);
      if (h == null || h.giving) {
        return false;
      }
      if (nanos.getAsLong() < h.validUntilNanos) {
        return true;
      }
      try {
        Map<String, byte[]> cells = new HashMap<>();
        cells.put(name, h.raw); // what it must still hold; the compare-and-set checks it
        renew(name, cells, events);
        ok = held.containsKey(name) && nanos.getAsLong() < held.get(name).validUntilNanos;
      } catch (IOException e) {
        lastError = e.toString();
        ok = false;
      }
    }
    events.forEach(Runnable::run);
    return ok;
  }

  /** Gives back every lease (clean shutdown): the other TSDs take them at once. */
  public void releaseAll() {
    synchronized (this) {
      for (Map.Entry<String, Held> e : held.entrySet()) {
        try {
          byte[] released = new LeaseRecord("", e.getValue().term + 1, 0, 0).encode();
          store.compareAndSet(e.getKey(), e.getValue().raw, released);
        } catch (IOException | RuntimeException ex) {
          LOG.warn("catchpoint leases: could not give back {}: {} (it expires in a lease period)", e.getKey(),
              ex.toString());
        }
      }
      held.clear();
    }
  }

  private void observe(Map<String, byte[]> cells, long now) {
    for (Map.Entry<String, byte[]> c : cells.entrySet()) {
      Seen s = seen.get(c.getKey());
      if (s == null || !Arrays.equals(s.raw, c.getValue())) {
        seen.put(c.getKey(), new Seen(c.getValue(), now));
      }
    }
    seen.keySet().retainAll(cells.keySet());
  }

  /** Free: no cell, released, unreadable, left by this TSD's previous process, or unchanged for a lease period. */
  private boolean takeable(String name, Map<String, byte[]> cells, long now) {
    byte[] raw = cells.get(name);
    LeaseRecord r = LeaseRecord.parse(raw);
    if (raw == null || r == null || r.released()) {
      return true;
    }
    if (r.owner.equals(me)) {
      return !held.containsKey(name); // written by this process, its answer lost: take it back
    }
    if (LeaseRecord.address(r.owner).equals(LeaseRecord.address(me))) {
      return true; // this TSD's host:port is ours now: that process is gone
    }
    Seen s = seen.get(name);
    return s != null && now - s.sinceNanos >= periodOf(r);
  }

  /** The live holder of a cell, or null when it is free. */
  private String holder(String name, Map<String, byte[]> cells, long now) {
    if (held.containsKey(name)) {
      return me;
    }
    return takeable(name, cells, now) ? null : LeaseRecord.parse(cells.get(name)).owner;
  }

  private LeaseRecord record(long term) {
    long leaseMillis = leaseNanos / 1_000_000L;
    return new LeaseRecord(me, term, wallMillis.getAsLong() + leaseMillis, leaseMillis);
  }

  /** How long a cell must stay unchanged to be expired: its holder's lease period, or this TSD's. */
  private long periodOf(LeaseRecord r) {
    return r != null && r.leaseMillis > 0 ? r.leaseMillis * 1_000_000L : leaseNanos;
  }

  private boolean take(String name, Map<String, byte[]> cells, long now, List<Runnable> events) throws IOException {
    byte[] current = cells.get(name);
    LeaseRecord old = LeaseRecord.parse(current);
    LeaseRecord next = record(old == null ? 1 : old.term + 1);
    byte[] value = next.encode();
    long sent = nanos.getAsLong();
    if (!store.compareAndSet(name, current, value)) {
      return false; // another TSD was first
    }
    held.put(name, new Held(value, next.term, sent + trustNanos, now));
    seen.put(name, new Seen(value, sent));
    freeSince.remove(name);
    if (name.startsWith(ACCOUNT)) {
      String account = name.substring(ACCOUNT.length());
      LOG.info("catchpoint leases: this TSD ({}) now pulls account {}", me, account);
      events.add(() -> listener.acquired(account));
    } else if (name.equals(CATALOG)) {
      LOG.info("catchpoint leases: this TSD ({}) now fetches the node catalog for all", me);
      events.add(listener::acquiredCatalog);
    }
    return true;
  }

  private void renew(String name, Map<String, byte[]> cells, List<Runnable> events) throws IOException {
    Held h = held.get(name);
    byte[] current = cells.get(name);
    if (!Arrays.equals(current, h.raw)) {
      LeaseRecord r = LeaseRecord.parse(current);
      if (r == null || !r.owner.equals(me)) {
        lose(name, r == null ? "its cell is gone" : "taken by " + r.owner, events);
        return;
      }
      h.raw = current; // this process's own renewal, whose answer was lost
      h.term = r.term;
    }
    if (h.giving && name.startsWith(ACCOUNT) && !busy.test(name.substring(ACCOUNT.length()))) {
      if (store.compareAndSet(name, h.raw, new LeaseRecord("", h.term + 1, 0, 0).encode())) {
        held.remove(name);
        String account = name.substring(ACCOUNT.length());
        LOG.info("catchpoint leases: gave account {} back, for a TSD that holds fewer", account);
        events.add(() -> listener.lost(account));
      }
      return;
    }
    LeaseRecord next = record(h.term + 1);
    byte[] value = next.encode();
    long sent = nanos.getAsLong();
    if (store.compareAndSet(name, h.raw, value)) {
      h.raw = value;
      h.term = next.term;
      h.validUntilNanos = sent + trustNanos;
      seen.put(name, new Seen(value, sent));
    } else {
      lose(name, "another TSD wrote it first", events);
    }
  }

  private void lose(String name, String why, List<Runnable> events) {
    held.remove(name);
    LOG.warn("catchpoint leases: this TSD ({}) lost {}: {}", me, name, why);
    if (name.startsWith(ACCOUNT)) {
      String account = name.substring(ACCOUNT.length());
      events.add(() -> listener.lost(account));
    }
  }

  /** Takes free accounts while no live TSD holds fewer; gives one back when holding two more than one. */
  private void spread(Map<String, byte[]> cells, long now, List<Runnable> events) throws IOException {
    if (accounts.isEmpty()) {
      return;
    }
    Map<String, Integer> load = new LinkedHashMap<>();
    for (String name : cells.keySet()) {
      if (name.startsWith(MEMBER)) {
        String owner = holder(name, cells, now);
        if (owner != null && !owner.equals(me)) {
          load.put(owner, 0);
        }
      }
    }
    int mine = 0;
    for (String account : accounts) {
      String owner = holder(ACCOUNT + account, cells, now);
      if (owner == null) {
        continue;
      }
      if (owner.equals(me)) {
        mine += held.get(ACCOUNT + account).giving ? 0 : 1;
      } else if (load.containsKey(owner)) {
        load.put(owner, load.get(owner) + 1);
      }
    }
    for (Map.Entry<String, Integer> e : load.entrySet()) {
      if (e.getValue() > 0) {
        notTaking.remove(e.getKey());
      }
    }
    int fewest = fewest(load);
    for (String account : accounts) {
      String name = ACCOUNT + account;
      if (held.containsKey(name) || !takeable(name, cells, now)) {
        freeSince.remove(name);
        continue;
      }
      Long free = freeSince.get(name);
      if (free == null) {
        freeSince.put(name, now);
      }
      // Left to a TSD that holds fewer; taken anyway when nobody took it for two lease periods.
      boolean unclaimed = free != null && now - free >= 2 * leaseNanos;
      if ((mine <= fewest || unclaimed) && take(name, cells, now, events)) {
        mine++;
        if (unclaimed) {
          for (Map.Entry<String, Integer> e : load.entrySet()) {
            if (e.getValue() < mine) {
              notTaking.add(e.getKey());
              LOG.warn("catchpoint leases: {} left account {} untaken for two lease periods; this TSD took it",
                  e.getKey(), account);
            }
          }
        }
      }
    }
    fewest = fewest(load);
    if (fewest != Integer.MAX_VALUE && mine > fewest + 1) {
      Held newest = null;
      for (Map.Entry<String, Held> e : held.entrySet()) {
        if (e.getKey().startsWith(ACCOUNT) && !e.getValue().giving
            && (newest == null || e.getValue().acquiredNanos >= newest.acquiredNanos)) {
          newest = e.getValue();
        }
      }
      if (newest != null) {
        newest.giving = true; // no new pull starts; given back at the next tick once the running one ended
      }
    }
  }

  /** The fewest accounts a live TSD that takes accounts holds; MAX_VALUE when there is none. */
  private int fewest(Map<String, Integer> load) {
    int fewest = Integer.MAX_VALUE;
    for (Map.Entry<String, Integer> e : load.entrySet()) {
      if (!notTaking.contains(e.getKey())) {
        fewest = Math.min(fewest, e.getValue());
      }
    }
    return fewest;
  }

  /** Who holds what, for the status pages: lease name to holder and until when by the holder's clock. */
  public synchronized Map<String, Map<String, Object>> status() {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    names.add(CATALOG);
    for (String a : accounts) {
      names.add(ACCOUNT + a);
    }
    long now = nanos.getAsLong();
    for (String name : names) {
      Map<String, Object> m = new LinkedHashMap<>();
      Seen s = seen.get(name);
      LeaseRecord r = s == null ? null : LeaseRecord.parse(s.raw);
      boolean free = r == null || r.released() || now - s.sinceNanos >= periodOf(r);
      m.put("holder", free ? null : r.owner);
      m.put("until", free ? null : r.untilMillis);
      Held h = held.get(name);
      m.put("this_tsd", h != null);
      if (h != null && h.giving) {
        m.put("giving_back", true);
      }
      out.put(name, m);
    }
    return out;
  }

  /** Who holds an account's lease, as last read; null when it is free or this TSD's. */
  public synchronized String holder(String account) {
    String name = ACCOUNT + account;
    Seen s = seen.get(name);
    LeaseRecord r = s == null || held.containsKey(name) ? null : LeaseRecord.parse(s.raw);
    return r == null || r.released() || nanos.getAsLong() - s.sinceNanos >= periodOf(r) ? null : r.owner;
  }

  /** This TSD's id, as the lease cells name it. */
  public String me() {
    return me;
  }

  public String lastError() {
    return lastError;
  }
}
