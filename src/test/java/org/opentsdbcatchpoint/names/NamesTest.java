package org.opentsdbcatchpoint.names;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.pipeline.Measurement;
import org.opentsdbcatchpoint.pipeline.Run;

class NamesTest {
  /** A store shared by several TSDs' Names; it can be made to fail. */
  static final class MemoryStore implements NameStore {
    final Map<String, String> cells = new TreeMap<>();
    final List<Map<String, String>> saves = new ArrayList<>();
    boolean down;

    @Override
    public synchronized Map<String, String> loadAll() throws IOException {
      if (down) {
        throw new IOException("region server gone");
      }
      return new LinkedHashMap<>(cells);
    }

    @Override
    public synchronized void save(Map<String, String> entries) throws IOException {
      if (down) {
        throw new IOException("region server gone");
      }
      saves.add(new LinkedHashMap<>(entries));
      cells.putAll(entries);
    }
  }

  private static Run run(long test, long node, int type, String testName, String nodeName) {
    return Run.builder(test, node, 1_705_320_000L).typeId(type).names(testName, nodeName)
        .add(new Measurement("catchpoint.run", 1)).build();
  }

  @Test
  void aRunsNamesAreKeptByIdWithTheTestsType() {
    Names names = new Names(NameStore.NONE);
    names.observe(run(100001, 540, 0, "Homepage (prod)", "Frankfurt, DE - AWS"));
    names.observe(run(100004, 540, 6, "ping-gw", null));
    assertEquals("Homepage (prod)", names.testName(100001));
    assertEquals("web", names.testType(100001));
    assertEquals("ping", names.testType(100004));
    assertEquals("Frankfurt, DE - AWS", names.nodeName(540));
    assertNull(names.testName(540), "a node's id is no test's");
    assertNull(names.nodeName(100001));
    Map<Long, String> tests = new TreeMap<>();
    tests.put(100001L, "Homepage (prod)");
    tests.put(100004L, "ping-gw");
    assertEquals(tests, names.tests());
    assertEquals(Collections.singletonMap(540L, "Frankfurt, DE - AWS"), names.nodes());
  }

  @Test
  void aRenamedTestShowsItsNewNameAndAnUnnamedRunChangesNothing() {
    Names names = new Names(NameStore.NONE);
    names.observe(run(100001, 540, 0, "Homepage", "Frankfurt"));
    names.observe(run(100001, 540, 0, null, " "));
    assertEquals("Homepage", names.testName(100001));
    names.observe(run(100001, 540, 0, "Homepage (prod)", "Frankfurt"));
    assertEquals("Homepage (prod)", names.testName(100001));
  }

  @Test
  void aLongNameIsCutAndTabsCannotBreakTheStoredValue() {
    Names names = new Names(NameStore.NONE);
    StringBuilder longName = new StringBuilder("a\tb");
    for (int i = 0; i < 500; i++) {
      longName.append('x');
    }
    names.observe(run(1, 2, 0, longName.toString(), "n\tm"));
    assertEquals(Names.MAX_NAME, names.testName(1).length());
    assertTrue(names.testName(1).startsWith("a b"));
    assertEquals("web", names.testType(1));
    assertEquals("n m", names.nodeName(2));
  }

  @Test
  void syncWritesWhatChangedOnceAndTakesInWhatOtherTsdsWrote() {
    MemoryStore store = new MemoryStore();
    Names here = new Names(store);
    Names there = new Names(store);
    here.observe(run(100001, 540, 0, "Homepage (prod)", "Frankfurt, DE - AWS"));
    here.sync();
    here.sync();
    assertEquals(1, store.saves.size(), "unchanged names are not written again");
    assertEquals(2, store.saves.get(0).size());
    assertNull(there.testName(100001));
    there.sync();
    assertEquals("Homepage (prod)", there.testName(100001), "another TSD, or this one restarted");
    assertEquals("web", there.testType(100001));
    assertEquals("Frankfurt, DE - AWS", there.nodeName(540));
  }

  @Test
  void aFailedSyncKeepsTheNamesForTheNextOne() {
    MemoryStore store = new MemoryStore();
    Names names = new Names(store);
    names.observe(run(100001, 540, 0, "Homepage", null));
    store.down = true;
    names.sync();
    assertEquals("Homepage", names.testName(100001), "still known here");
    store.down = false;
    names.sync();
    assertEquals("web\tHomepage", store.cells.get("test/100001"));
  }

  @Test
  void garbageInTheStoreIsIgnored() {
    MemoryStore store = new MemoryStore();
    store.cells.put("test/abc", "web\tx");
    store.cells.put("test/7", "no type");
    store.cells.put("other/1", "x");
    store.cells.put("node/9", "Tokyo");
    Names names = new Names(store);
    names.sync();
    assertEquals(Collections.singletonMap(9L, "Tokyo"), names.nodes());
    assertTrue(names.tests().isEmpty(), names.tests().toString());
  }

  @Test
  void aSourceNamingEndlesslyManyTestsIsNotRememberedBeyondTheBound() {
    Names names = new Names(NameStore.NONE);
    for (long id = 1; id <= Names.MAX_ENTRIES + 10; id++) {
      names.observe(run(id, 1, 0, "t" + id, "node"));
    }
    assertEquals(Names.MAX_ENTRIES - 1, names.tests().size(), "one entry is the node's");
    assertEquals(Collections.singletonMap(1L, "node"), names.nodes());
    names.observe(run(1, 1, 0, "renamed", "node"));
    assertEquals("renamed", names.testName(1), "a known test may still be renamed");
  }
}
