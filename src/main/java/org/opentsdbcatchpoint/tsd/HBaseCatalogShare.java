package org.opentsdbcatchpoint.tsd;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.hbase.async.Bytes;
import org.hbase.async.KeyValue;
import org.opentsdbcatchpoint.catalog.CatalogShare;

/**
 * The shared node catalog in the plugin's own table ({@link PluginTable}), row {@code catalog}:
 * {@code c:version} (when it was fetched, an 8-byte long) and {@code c:nodes} (the cache file's JSON,
 * gzipped), written together in one row put so a reader never sees one without the other.
 */
final class HBaseCatalogShare implements CatalogShare {
  static final byte[] ROW = "catalog".getBytes(StandardCharsets.UTF_8);
  static final byte[] VERSION = "version".getBytes(StandardCharsets.UTF_8);
  static final byte[] NODES = "nodes".getBytes(StandardCharsets.UTF_8);
  /** A catalog of tens of thousands of nodes is a few MB of JSON; more is not a catalog. */
  static final int MAX_JSON_BYTES = 64 << 20;

  private final PluginTable table;

  HBaseCatalogShare(PluginTable table) {
    this.table = table;
  }

  @Override
  public long version() throws IOException {
    for (KeyValue kv : table.get(ROW, VERSION, "read the shared catalog's version")) {
      if (kv.value().length == 8) {
        return Bytes.getLong(kv.value());
      }
    }
    return 0;
  }

  @Override
  public byte[] read() throws IOException {
    for (KeyValue kv : table.get(ROW, NODES, "read the shared catalog")) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(kv.value()))) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
          out.write(buf, 0, n);
          if (out.size() > MAX_JSON_BYTES) {
            throw new IOException("the shared catalog is larger than " + MAX_JSON_BYTES + " bytes");
          }
        }
        return out.toByteArray();
      }
    }
    return null;
  }

  @Override
  public void publish(long version, byte[] json) throws IOException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(json);
    }
    table.put(ROW, new byte[][] {NODES, VERSION}, new byte[][] {gz.toByteArray(), Bytes.fromLong(version)},
        "share the node catalog");
  }
}
