package org.opentsdbcatchpoint.pull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** Imports kept in memory: for tests, and a TSD without the plugin's table (a restart forgets them). */
public final class InMemoryImportStore implements ImportStore {
  private final Map<String, String> records = new ConcurrentSkipListMap<>();

  @Override
  public List<String> loadAll() {
    return new ArrayList<>(records.values());
  }

  @Override
  public void save(String id, String record) {
    records.put(id, record);
  }

  @Override
  public void delete(String id) {
    records.remove(id);
  }
}
