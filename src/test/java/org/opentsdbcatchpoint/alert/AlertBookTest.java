package org.opentsdbcatchpoint.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The open-alert logic over the in-memory store and notes kept as OpenTSDB keys them (series and start
 * second), on a clock that moves only when told: an alert opens notes, an improvement ends them, a
 * second alert of a series in the same second takes the next one, a retry changes nothing.
 */
class AlertBookTest {
  static final long T = 1_705_320_000L;
  static final String TEST = "000001000001000001";
  static final String NODE_540 = "000001000001000001000002000002";
  static final String NODE_541 = "000001000001000001000002000003";

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final InMemoryAlertStore store = new InMemoryAlertStore();
  private final MemoryAnnotations notes = new MemoryAnnotations();
  private final AlertBook book = new AlertBook(store, notes, nanos::get);

  private static Alert alert(AlertLevel level, Long node, int type, long time) {
    return new Alert(100001, "Homepage (prod)", node, node == null ? null : "Frankfurt, DE - AWS", level, type, null,
        "Web", 1234L, time, true, "template-json");
  }

  private static List<AlertBook.Target> targets(String nodeTsuid) {
    return nodeTsuid == null
        ? Arrays.asList(new AlertBook.Target("test", TEST), new AlertBook.Target("global", ""))
        : Arrays.asList(new AlertBook.Target("test", TEST), new AlertBook.Target("node", nodeTsuid),
            new AlertBook.Target("global", ""));
  }

  private AlertBook.Recorded record(Alert a, String nodeTsuid) throws Exception {
    return book.record(a, targets(nodeTsuid), nanos.get() + 5_000_000_000L);
  }

  @Test
  void aWarningOpensANoteOnTheTestTheNodeAndGlobally() throws Exception {
    AlertBook.Recorded r = record(alert(AlertLevel.WARNING, 540L, 7, T), NODE_540);
    assertEquals("opened", r.action);
    assertEquals(3, r.notes.size());
    for (String tsuid : Arrays.asList(TEST, NODE_540, "")) {
      Note n = notes.at(tsuid, T);
      assertNotNull(n, "a note on " + tsuid + " at the alert's second: " + notes.notes);
      assertEquals(0, n.endSeconds, "open");
      assertEquals("Catchpoint warning alert (timing): Homepage (prod) (test 100001) on Frankfurt, DE - AWS (node 540)",
          n.description);
      assertEquals(AlertBook.SOURCE, n.custom.get("source"));
      assertEquals("100001", n.custom.get("test_id"));
      assertEquals("540", n.custom.get("node_id"));
      assertEquals("warning", n.custom.get("level"));
      assertEquals("7", n.custom.get("alert_type_id"));
      assertEquals(Long.toString(T), n.custom.get("alert_time"));
      assertEquals("product Web; client 1234", n.notes);
    }
    assertEquals(3, notes.notes.size());
  }

  @Test
  void anImprovedAlertEndsTheOpenNotesInsteadOfAddingOthers() throws Exception {
    record(alert(AlertLevel.CRITICAL, 540L, 7, T), NODE_540);
    AlertBook.Recorded r = record(alert(AlertLevel.IMPROVED, 540L, 7, T + 300), NODE_540);
    assertEquals("ended", r.action);
    assertEquals(3, notes.notes.size(), "no second note: " + notes.notes);
    for (String tsuid : Arrays.asList(TEST, NODE_540, "")) {
      Note n = notes.at(tsuid, T);
      assertEquals(T + 300, n.endSeconds);
      assertTrue(n.description.endsWith("; improved at 2024-01-15T12:05:00Z"), n.description);
      assertEquals("critical", n.custom.get("level"), "the note keeps the level it was raised at");
      assertEquals("improved", n.custom.get("ended_by"));
    }
    // A new alert of the same test, node and type afterwards opens new notes.
    assertEquals("opened", record(alert(AlertLevel.WARNING, 540L, 7, T + 900), NODE_540).action);
    assertEquals(0, notes.at(TEST, T + 900).endSeconds);
    assertEquals(6, notes.notes.size());
  }

  @Test
  void twoAlertsOfOneSeriesInOneSecondKeepBothNotes() throws Exception {
    record(alert(AlertLevel.CRITICAL, 540L, 7, T), NODE_540);
    AlertBook.Recorded second = record(alert(AlertLevel.CRITICAL, 541L, 7, T), NODE_541);
    assertEquals("opened", second.action);
    // The node series differ, so each node note keeps the alert's second; the test and global ones do not.
    assertNotNull(notes.at(NODE_541, T));
    Note moved = notes.at(TEST, T + 1);
    assertNotNull(moved, "the test's second note one second later: " + notes.notes);
    assertTrue(moved.description.endsWith("; raised at 2024-01-15T12:00:00Z, shown 1 s later (other alerts hold "
        + "the seconds before)"), moved.description);
    assertEquals("1", moved.custom.get("shifted_seconds"));
    assertEquals("541", moved.custom.get("node_id"));
    assertEquals("540", notes.at(TEST, T).custom.get("node_id"), "the first is untouched");
    assertNotNull(notes.at("", T + 1));
    // A third, of another type: the next free second again.
    record(alert(AlertLevel.WARNING, 540L, 12, T), NODE_540);
    assertEquals("ping", notes.at(TEST, T + 2).custom.get("alert_type"));
    assertEquals("ping", notes.at(NODE_540, T + 1).custom.get("alert_type"), "node 540's second alert in that second");
    assertEquals(9, notes.notes.size());
    // Ending the second one ends its notes where they are.
    record(alert(AlertLevel.IMPROVED, 541L, 7, T + 60), NODE_541);
    assertEquals(T + 60, notes.at(TEST, T + 1).endSeconds);
    assertEquals(0, notes.at(TEST, T).endSeconds, "the first is still open");
  }

  @Test
  void aRetriedAlertWritesTheSameNotesAgainAndNothingMore() throws Exception {
    Alert warning = alert(AlertLevel.WARNING, 540L, 7, T);
    record(warning, NODE_540);
    AlertBook.Recorded again = record(warning, NODE_540);
    assertEquals("opened", again.action);
    assertEquals(3, notes.notes.size(), notes.notes::toString);
    assertEquals(T, again.notes.get(0).startSeconds, "its own seconds, not the next ones");
    Alert improved = alert(AlertLevel.IMPROVED, 540L, 7, T + 60);
    record(improved, NODE_540);
    AlertBook.Recorded twice = record(improved, NODE_540);
    assertEquals("ended", twice.action);
    assertEquals(3, notes.notes.size());
    assertEquals(T + 60, notes.at(TEST, T).endSeconds);
    // The warning retried after its improvement: nothing is opened again.
    assertEquals("already_ended", record(warning, NODE_540).action);
    assertEquals(T + 60, notes.at(TEST, T).endSeconds);
  }

  @Test
  void aLateRetryOfAnAlertSupersededSinceChangesNothing() throws Exception {
    Alert warning = alert(AlertLevel.WARNING, 540L, 7, T);
    record(warning, NODE_540);
    record(alert(AlertLevel.CRITICAL, 540L, 7, T + 60), NODE_540);
    record(alert(AlertLevel.IMPROVED, 540L, 7, T + 120), NODE_540);
    int writes = notes.writes;
    AlertBook.Recorded late = record(warning, NODE_540);
    assertEquals("already_recorded", late.action);
    assertEquals(writes, notes.writes, "nothing written");
    assertEquals(6, notes.notes.size());
    assertEquals(T + 60, notes.at(TEST, T).endSeconds);
    assertEquals(T + 120, notes.at(TEST, T + 60).endSeconds);
  }

  @Test
  void aChangeOfLevelEndsTheOpenNotesAndOpensNewOnes() throws Exception {
    record(alert(AlertLevel.WARNING, null, 7, T), null);
    AlertBook.Recorded same = record(alert(AlertLevel.WARNING, null, 7, T + 60), null);
    assertEquals("still_open", same.action);
    assertEquals(2, notes.notes.size(), "the same level again adds nothing");
    AlertBook.Recorded critical = record(alert(AlertLevel.CRITICAL, null, 7, T + 120), null);
    assertEquals("level_changed", critical.action);
    assertEquals(T + 120, notes.at(TEST, T).endSeconds);
    assertTrue(notes.at(TEST, T).description.endsWith("; became critical at 2024-01-15T12:02:00Z"));
    assertEquals(0, notes.at(TEST, T + 120).endSeconds);
    assertEquals("critical", notes.at(TEST, T + 120).custom.get("level"));
    record(alert(AlertLevel.IMPROVED, null, 7, T + 180), null);
    assertEquals(T + 180, notes.at(TEST, T + 120).endSeconds);
    assertEquals(T + 120, notes.at(TEST, T).endSeconds, "the warning's end is kept");
  }

  @Test
  void anImprovementWithNothingOpenIsANoteOfItsOwn() throws Exception {
    AlertBook.Recorded r = record(alert(AlertLevel.IMPROVED, 540L, 7, T), NODE_540);
    assertEquals("improved", r.action);
    Note n = notes.at(TEST, T);
    assertEquals(T, n.endSeconds);
    assertTrue(n.description.startsWith("Catchpoint alert improved (timing): "), n.description);
    assertEquals("improved", record(alert(AlertLevel.IMPROVED, 540L, 7, T), NODE_540).action, "a retry");
    assertEquals(3, notes.notes.size());
  }

  @Test
  void twoTsdsSharingTheStoreEndWhatTheOtherOpened() throws Exception {
    MemoryAnnotations sameHBase = notes;
    AlertBook other = new AlertBook(store, sameHBase, nanos::get);
    record(alert(AlertLevel.CRITICAL, 540L, 7, T), NODE_540);
    AlertBook.Recorded r = other.record(alert(AlertLevel.IMPROVED, 540L, 7, T + 30), targets(NODE_540),
        nanos.get() + 5_000_000_000L);
    assertEquals("ended", r.action);
    assertEquals(T + 30, notes.at(NODE_540, T).endSeconds);
    // And a simultaneous alert of another node on the other TSD still finds the test's second taken.
    other.record(alert(AlertLevel.CRITICAL, 541L, 7, T), targets(NODE_541), nanos.get() + 5_000_000_000L);
    assertNotNull(notes.at(TEST, T + 1));
  }

  @Test
  void aSeriesWhoseEverySecondIsTakenGetsNoNoteAndSaysSo() throws Exception {
    for (long s = T; s <= T + AlertBook.MAX_SHIFT; s++) {
      assertTrue(store.compareAndSet("slot/global/" + s, null, "another".getBytes()));
    }
    AlertBook.Recorded r = record(alert(AlertLevel.WARNING, null, 7, T), null);
    assertEquals(1, r.notes.size(), "the test's note only");
    assertTrue(r.skipped.get("global").contains("holds another alert's note"), r.skipped.toString());
  }

  @Test
  void storageFailuresAndTimeoutsAreErrorsNotRecords() throws Exception {
    notes.failure = new IllegalStateException("HBase down");
    assertThrows(ExecutionException.class, () -> record(alert(AlertLevel.WARNING, null, 7, T), null));
    notes.failure = null;
    notes.hang = true;
    assertThrows(TimeoutException.class,
        () -> book.record(alert(AlertLevel.WARNING, null, 7, T), targets(null), nanos.get()));
    notes.hang = false;
    // Nothing was recorded as open: the retry opens the notes, at the seconds the failed tries took.
    assertEquals("opened", record(alert(AlertLevel.WARNING, null, 7, T), null).action);
    assertEquals(2, notes.notes.size(), notes.notes::toString);
    assertNotNull(notes.at(TEST, T));
  }

  @Test
  void aStoreThatFailsIsAnIoError() {
    AlertStore broken = new AlertStore() {
      @Override
      public byte[] read(String key) throws IOException {
        throw new IOException("no table");
      }

      @Override
      public boolean compareAndSet(String key, byte[] expected, byte[] value) throws IOException {
        throw new IOException("no table");
      }
    };
    AlertBook b = new AlertBook(broken, notes, nanos::get);
    assertThrows(IOException.class, () -> b.record(alert(AlertLevel.WARNING, null, 7, T), targets(null),
        nanos.get() + 1_000_000_000L));
    assertEquals(0, notes.notes.size());
  }

  @Test
  void theDeadlineIsKeptOnTheBooksClock() throws Exception {
    // Every second taken but the last: the search for a free one stops at the deadline, not the clock's wall time.
    for (long s = T; s < T + AlertBook.MAX_SHIFT; s++) {
      store.compareAndSet("slot/" + TEST + "/" + s, null, "another".getBytes());
    }
    AlertStore slow = new AlertStore() {
      @Override
      public byte[] read(String key) throws IOException {
        return store.read(key);
      }

      @Override
      public boolean compareAndSet(String key, byte[] expected, byte[] value) throws IOException {
        nanos.addAndGet(100_000_000L); // each call takes 100 ms
        return store.compareAndSet(key, expected, value);
      }
    };
    AlertBook b = new AlertBook(slow, notes, nanos::get);
    assertThrows(TimeoutException.class, () -> b.record(alert(AlertLevel.WARNING, null, 7, T), targets(null),
        nanos.get() + 1_000_000_000L));
    assertEquals(0, notes.notes.size());
    // Catchpoint's retry, with a longer deadline, finds the one free second.
    AlertBook.Recorded r = b.record(alert(AlertLevel.WARNING, null, 7, T), targets(null),
        nanos.get() + 60_000_000_000L);
    assertEquals("opened", r.action);
    assertNotNull(notes.at(TEST, T + AlertBook.MAX_SHIFT), notes.notes::toString);
  }
}
