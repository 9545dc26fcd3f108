package org.opentsdbcatchpoint.tsd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.stumbleupon.async.Deferred;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import org.hbase.async.DeleteRequest;
import org.hbase.async.GetRequest;
import org.hbase.async.HBaseClient;
import org.hbase.async.KeyValue;
import org.hbase.async.PutRequest;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class HBaseImportStoreTest {
  private static final byte[] ROW = "imports".getBytes(StandardCharsets.UTF_8);
  private final HBaseClient client = mock(HBaseClient.class);
  private final HBaseImportStore store = new HBaseImportStore(new PluginTable(client, PluginTable.NAME, 1000));

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void anImportIsOneCellOfTheImportsRowWrittenWhole() throws Exception {
    when(client.put(any(PutRequest.class))).thenReturn(Deferred.fromResult((Object) null));
    store.save("acme-0a1b2c3d", "id=acme-0a1b2c3d\ncursors=1:1705320000\nwindows_done=3\n");
    ArgumentCaptor<PutRequest> put = ArgumentCaptor.forClass(PutRequest.class);
    verify(client).put(put.capture());
    assertArrayEquals(utf8("catchpoint-plugin"), put.getValue().table());
    assertArrayEquals(ROW, put.getValue().key());
    assertArrayEquals(utf8("acme-0a1b2c3d"), put.getValue().qualifier());
    assertArrayEquals(utf8("id=acme-0a1b2c3d\ncursors=1:1705320000\nwindows_done=3\n"), put.getValue().value());
  }

  @Test
  void everyImportIsReadAtOnceAndOneCanBeDeleted() throws Exception {
    ArrayList<KeyValue> cells = new ArrayList<>(Arrays.asList(
        new KeyValue(ROW, PluginTable.FAMILY, utf8("a-1"), utf8("id=a-1\n")),
        new KeyValue(ROW, PluginTable.FAMILY, utf8("a-2"), utf8("id=a-2\n"))));
    when(client.get(any(GetRequest.class))).thenReturn(Deferred.fromResult(cells));
    assertEquals(Arrays.asList("id=a-1\n", "id=a-2\n"), store.loadAll());

    when(client.delete(any(DeleteRequest.class))).thenReturn(Deferred.fromResult((Object) null));
    store.delete("a-1");
    ArgumentCaptor<DeleteRequest> delete = ArgumentCaptor.forClass(DeleteRequest.class);
    verify(client).delete(delete.capture());
    assertArrayEquals(ROW, delete.getValue().key());
    assertArrayEquals(utf8("a-1"), delete.getValue().qualifiers()[0]);
  }
}
