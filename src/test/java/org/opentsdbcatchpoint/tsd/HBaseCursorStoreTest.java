package org.opentsdbcatchpoint.tsd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.stumbleupon.async.Deferred;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import org.hbase.async.Bytes;
import org.hbase.async.GetRequest;
import org.hbase.async.HBaseClient;
import org.hbase.async.KeyValue;
import org.hbase.async.PutRequest;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.opentsdbcatchpoint.pull.PullCursor;

class HBaseCursorStoreTest {
  private final HBaseClient client = mock(HBaseClient.class);
  private final PluginTable table = new PluginTable(client, PluginTable.NAME, 1000);
  private final HBaseCursorStore store = new HBaseCursorStore(table);

  @Test
  void aCursorIsOneCellPerAccountAndTest() throws Exception {
    when(client.put(any(PutRequest.class))).thenReturn(Deferred.fromResult((Object) null));
    store.save(new PullCursor("acme", 100001, 1705320480L));
    ArgumentCaptor<PutRequest> put = ArgumentCaptor.forClass(PutRequest.class);
    verify(client).put(put.capture());
    assertArrayEquals("catchpoint-plugin".getBytes(StandardCharsets.UTF_8), put.getValue().table());
    assertArrayEquals("acme/100001".getBytes(StandardCharsets.UTF_8), put.getValue().key());
    assertArrayEquals("c".getBytes(StandardCharsets.UTF_8), put.getValue().family());
    assertArrayEquals("position".getBytes(StandardCharsets.UTF_8), put.getValue().qualifier());
    assertEquals(1705320480L, Bytes.getLong(put.getValue().value()));
  }

  @Test
  void loadReadsTheCellOrNothing() throws Exception {
    byte[] row = HBaseCursorStore.row("acme", 100001);
    ArrayList<KeyValue> cells = new ArrayList<>(Collections.singletonList(
        new KeyValue(row, PluginTable.FAMILY, HBaseCursorStore.POSITION, Bytes.fromLong(1705320480L))));
    when(client.get(any(GetRequest.class))).thenReturn(Deferred.fromResult(cells))
        .thenReturn(Deferred.fromResult(new ArrayList<KeyValue>()));
    assertEquals(new PullCursor("acme", 100001, 1705320480L), store.load("acme", 100001));
    assertNull(store.load("acme", 100001));
  }

  @Test
  void storageErrorsAndAMissingTableAreIoErrors() {
    when(client.get(any(GetRequest.class))).thenReturn(Deferred.<ArrayList<KeyValue>>fromError(
        new RuntimeException("region server down")));
    IOException e = assertThrows(IOException.class, () -> store.load("acme", 1));
    assertEquals(true, e.getMessage().contains("region server down"));
    when(client.ensureTableFamilyExists(any(byte[].class), any(byte[].class))).thenReturn(
        Deferred.fromError(new IllegalStateException("table catchpoint-plugin not found")));
    IOException missing = assertThrows(IOException.class, table::check);
    assertEquals(true, missing.getMessage().contains("catchpoint-plugin"), missing.getMessage());
  }
}
