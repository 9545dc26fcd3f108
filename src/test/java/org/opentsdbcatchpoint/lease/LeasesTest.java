package org.opentsdbcatchpoint.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Leases over one shared store, each TSD on a clock of its own that the test drives. */
class LeasesTest {
  static final long LEASE = 60_000;
  static final long RENEW = 20_000;
  static final List<String> TWO = Arrays.asList("acme", "globex");

  private final MemoryLeaseStore store = new MemoryLeaseStore();

  /** One TSD: its clocks, what it was told, and which accounts are mid-pull. */
  final class Tsd implements Leases.Listener {
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final AtomicLong wall = new AtomicLong(1_705_320_000_000L);
    final List<String> events = new ArrayList<>();
    final Set<String> busy = new HashSet<>();
    final Leases leases;

    Tsd(String me, List<String> accounts) {
      leases = new Leases(store, me, accounts, true, nanos::get, wall::get, LEASE, RENEW, busy::contains, this);
    }

    void advance(long millis) {
      nanos.addAndGet(millis * 1_000_000L);
      wall.addAndGet(millis);
    }

    /** Ticks every renewal interval for this long. */
    void run(long millis) {
      for (long t = 0; t < millis; t += RENEW) {
        advance(RENEW);
        leases.tick();
      }
    }

    @Override
    public void acquired(String account) {
      events.add("+" + account);
    }

    @Override
    public void lost(String account) {
      events.add("-" + account);
    }

    List<String> pulling() {
      List<String> out = new ArrayList<>();
      for (String a : TWO) {
        if (leases.mayPull(a)) {
          out.add(a);
        }
      }
      return out;
    }
  }

  /** Ticks the TSDs in turn, a renewal interval apart, for this long. */
  static void together(long millis, Tsd... tsds) {
    for (long t = 0; t < millis; t += RENEW) {
      for (Tsd tsd : tsds) {
        tsd.advance(RENEW);
        tsd.leases.tick();
      }
    }
  }

  @Test
  void aLoneTsdTakesEveryAccountAndTheCatalogAtItsFirstTick() {
    Tsd a = new Tsd("a:4242/1", TWO);
    assertEquals(Collections.emptyList(), a.pulling(), "nothing before the first tick");
    a.leases.tick();
    assertEquals(TWO, a.pulling());
    assertTrue(a.leases.holdsCatalog());
    assertEquals(Arrays.asList("+acme", "+globex"), a.events);
    assertEquals("a:4242/1", store.record("account/acme").owner);
    assertEquals(a.wall.get() + LEASE, store.record("account/acme").untilMillis, "for people to read");
  }

  @Test
  void aRenewingHolderKeepsItsLeasesAndTheOthersNeverTakeThem() {
    Tsd a = new Tsd("a:4242/1", TWO);
    a.leases.tick();
    Tsd b = new Tsd("b:4242/1", TWO);
    together(10 * LEASE, a, b);
    assertEquals(TWO.subList(0, 1), a.pulling(), "one account given back to b, which held none");
    assertEquals(TWO.subList(1, 2), b.pulling());
    assertEquals(Arrays.asList("+acme", "+globex", "-globex"), a.events);
    assertEquals(Collections.singletonList("+globex"), b.events);
    assertFalse(b.leases.holdsCatalog(), "the catalog stays with a");
  }

  @Test
  void threeTsdsTwoAccountsOneEachAndTheThirdWaits() {
    Tsd a = new Tsd("a:4242/1", TWO);
    Tsd b = new Tsd("b:4242/1", TWO);
    Tsd c = new Tsd("c:4242/1", TWO);
    together(5 * LEASE, a, b, c);
    List<String> pulled = new ArrayList<>(a.pulling());
    pulled.addAll(b.pulling());
    pulled.addAll(c.pulling());
    pulled.sort(null);
    assertEquals(TWO, pulled, "each account pulled by exactly one TSD");
    assertTrue(a.pulling().size() <= 1 && b.pulling().size() <= 1 && c.pulling().size() <= 1);
    String before = a.events + " " + b.events + " " + c.events;
    together(10 * LEASE, a, b, c);
    assertEquals(before, a.events + " " + b.events + " " + c.events, "settled: no account moves back and forth");
  }

  @Test
  void aDeadHoldersAccountIsTakenAfterALeasePeriodOfTheTakersClockNotBefore() {
    Tsd a = new Tsd("a:4242/1", TWO);
    Tsd b = new Tsd("b:4242/1", TWO);
    together(3 * LEASE, a, b);
    List<String> aHad = a.pulling();
    assertEquals(1, aHad.size());
    // a dies. b saw a's cells change at its last tick: it waits a whole lease period from then.
    b.run(LEASE - RENEW);
    assertEquals(1, b.pulling().size(), "not before a lease period");
    b.run(2 * RENEW);
    assertEquals(TWO, b.pulling(), "then it takes a's account");
    assertTrue(b.events.contains("+" + aHad.get(0)), b.events.toString());
    b.run(2 * LEASE);
    assertTrue(b.leases.holdsCatalog() || store.record("catalog").owner.equals("b:4242/1"));
  }

  @Test
  void aPausedHolderStopsTrustingItsLeaseAndFindsItLostBeforeWriting() {
    Tsd a = new Tsd("a:4242/1", Collections.singletonList("acme"));
    a.leases.tick();
    assertTrue(a.leases.mayPull("acme"));
    Tsd b = new Tsd("b:4242/1", Collections.singletonList("acme"));
    b.leases.tick();
    // a is paused (SIGSTOP) for two lease periods; b takes the account meanwhile.
    b.run(2 * LEASE);
    assertTrue(b.leases.mayPull("acme"));
    a.advance(2 * LEASE);
    assertFalse(a.leases.mayPull("acme"), "past its trust, a does not pull");
    assertFalse(a.leases.confirm("acme"), "its renewal finds b's cell");
    assertEquals(Arrays.asList("+acme", "-acme"), a.events);
    a.leases.tick();
    assertFalse(a.leases.mayPull("acme"), "and it does not take it back");
  }

  @Test
  void aHolderPausedShortlyRenewsWhenItConfirms() {
    Tsd a = new Tsd("a:4242/1", Collections.singletonList("acme"));
    a.leases.tick();
    a.advance(LEASE - RENEW + 1);
    assertFalse(a.leases.mayPull("acme"));
    assertTrue(a.leases.confirm("acme"), "nobody took it: renewed");
    assertTrue(a.leases.mayPull("acme"));
  }

  @Test
  void cutOffFromHBaseAHolderStopsWithinTheLeaseAndResumesWhenItIsBack() {
    Tsd a = new Tsd("a:4242/1", Collections.singletonList("acme"));
    a.leases.tick();
    store.down = true;
    a.run(RENEW);
    assertTrue(a.leases.mayPull("acme"), "one failed renewal is within the trust");
    a.run(2 * RENEW);
    assertFalse(a.leases.mayPull("acme"), "no pull on a lease it cannot renew");
    assertTrue(a.leases.lastError().contains("HBase unreachable"));
    store.down = false;
    a.run(RENEW);
    assertTrue(a.leases.mayPull("acme"), "renewed: nobody took it");
  }

  @Test
  void aWallClockThatJumpsChangesNothing() {
    Tsd a = new Tsd("a:4242/1", TWO);
    Tsd b = new Tsd("b:4242/1", TWO);
    together(3 * LEASE, a, b);
    List<String> aHas = a.pulling();
    a.wall.addAndGet(-3_600_000L);
    b.wall.addAndGet(7_200_000L);
    together(5 * LEASE, a, b);
    assertEquals(aHas, a.pulling());
    assertEquals(1, b.pulling().size());
  }

  @Test
  void aRenewalWhoseAnswerWasLostIsStillThisTsds() {
    Tsd a = new Tsd("a:4242/1", Collections.singletonList("acme"));
    a.leases.tick();
    store.loseNextAnswer = true;
    a.run(RENEW);
    a.run(RENEW);
    assertTrue(a.leases.mayPull("acme"), "its own write, recognised at the next tick");
    assertEquals(Collections.singletonList("+acme"), a.events);
  }

  @Test
  void theNextProcessOnTheSameAddressTakesAtOnceAndACleanShutdownHandsOverAtOnce() {
    Tsd old = new Tsd("a:4242/1", TWO);
    old.leases.tick();
    Tsd restarted = new Tsd("a:4242/2", TWO);
    restarted.leases.tick();
    assertEquals(TWO, restarted.pulling(), "a:4242 is this process's now: the old one is gone");
    restarted.leases.releaseAll();
    Tsd b = new Tsd("b:4242/1", TWO);
    b.leases.tick();
    assertEquals(TWO, b.pulling(), "given back: taken at b's first tick " + b.events + " " + b.leases.status()
        + b.leases.lastError());
    assertTrue(b.leases.holdsCatalog());
    assertFalse(restarted.leases.mayPull("acme"));
  }

  @Test
  void anAccountIsGivenBackOnlyBetweenPulls() {
    Tsd a = new Tsd("a:4242/1", TWO);
    a.leases.tick();
    a.busy.addAll(TWO);
    Tsd b = new Tsd("b:4242/1", TWO);
    together(5 * LEASE, a, b);
    assertEquals(0, b.pulling().size(), "a's pulls are still running");
    assertEquals(1, a.pulling().size(), "but a starts no new pull of the one it gives back");
    a.busy.clear();
    together(2 * RENEW, a, b);
    assertEquals(1, b.pulling().size());
  }

  @Test
  void aFreeAccountNobodyTakesIsTakenAfterTwoLeasePeriods() throws Exception {
    Tsd a = new Tsd("a:4242/1", TWO);
    a.leases.tick();
    // b is live (its member cell changes every tick) but never takes an account: say its pulls are stuck.
    long[] term = {0};
    Runnable bRenews = () -> {
      try {
        byte[] current = store.readAll().get("member/b:4242");
        store.compareAndSet("member/b:4242", current, new LeaseRecord("b:4242/1", ++term[0], 0, LEASE).encode());
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
    };
    bRenews.run();
    a.leases.tick();
    a.busy.clear();
    together(2 * RENEW, a);
    bRenews.run();
    a.leases.tick();
    assertEquals(1, a.pulling().size(), "a gave one back for b, which holds none");
    for (long t = 0; t < LEASE; t += RENEW) {
      bRenews.run();
      a.run(RENEW);
    }
    assertEquals(1, a.pulling().size(), "left for b for a while");
    for (long t = 0; t < 2 * LEASE; t += RENEW) {
      bRenews.run();
      a.run(RENEW);
    }
    assertEquals(TWO, a.pulling(), "nobody took it: a does");
    String events = a.events.toString();
    for (long t = 0; t < 5 * LEASE; t += RENEW) {
      bRenews.run();
      a.run(RENEW);
    }
    assertEquals(TWO, a.pulling());
    assertEquals(events, a.events.toString(), "and keeps it: not given back to b again");
  }

  @Test
  void aLeaseShorterThanTwoRenewalsIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Leases(store, "a:1/1", TWO, true, System::nanoTime,
        System::currentTimeMillis, 30_000, 20_000, x -> false, null));
  }

  @Test
  void aHolderIsJudgedByItsOwnLeasePeriodNotTheReaders() {
    // a renews every 20 s on a 60 s lease; b is configured with a 10 s lease and ticks every 3 s.
    Tsd a = new Tsd("a:4242/1", Collections.singletonList("acme"));
    a.leases.tick();
    AtomicLong bNanos = new AtomicLong(1_000_000_000L);
    List<String> bEvents = new ArrayList<>();
    Leases b = new Leases(store, "b:4242/1", Collections.singletonList("acme"), true, bNanos::get,
        System::currentTimeMillis, 10_000, 3_000, x -> false, new Leases.Listener() {
          @Override
          public void acquired(String account) {
            bEvents.add("+" + account);
          }

          @Override
          public void lost(String account) {
            bEvents.add("-" + account);
          }
        });
    for (int i = 0; i < 40; i++) { // two minutes of b's ticks, a renewing on its own schedule
      bNanos.addAndGet(3_000_000_000L);
      b.tick();
      if (i % 7 == 6) {
        a.run(RENEW);
      }
    }
    assertEquals(Collections.emptyList(), bEvents, "a renews within its own 60 s: b never takes acme");
    assertTrue(a.leases.mayPull("acme"));
    assertTrue(a.leases.holdsCatalog());
  }
}
