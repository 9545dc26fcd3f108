import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hbase.HBaseConfiguration;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptorBuilder;
import org.apache.hadoop.hbase.client.CompactionState;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.RegionInfo;
import org.apache.hadoop.hbase.client.TableDescriptorBuilder;
import org.apache.hadoop.hbase.io.compress.Compression;
import org.apache.hadoop.hbase.util.Bytes;
import org.apache.hadoop.hbase.util.CommonFSUtils;

/**
 * The HBase tables of the local test stack, through the Admin API: what OpenTSDB's create_table.sh
 * does, without the HBase shell (JRuby), which the Maven jars lack; and a table's size on disk for
 * the benchmark.
 *
 * <p>Run with the JDK's single-file source launcher, the HBase jars and the directory holding
 * hbase-site.xml on the class path (integration-tests/tsd.sh does this):
 *
 * <pre>
 * java -cp "CONF_DIR:LIB/hbase/*" HBaseTables.java create tsdb-uid:id,name tsdb:t ...
 * java -cp "CONF_DIR:LIB/hbase/*" HBaseTables.java compact tsdb
 * </pre>
 *
 * <p>{@code create}: each argument is {@code TABLE:FAMILY[,FAMILY...]}. Families get one version and
 * no compression, as in create_table.sh with COMPRESSION=NONE. Existing tables are left as they are.
 * Exit code 0 when every table exists afterwards.
 *
 * <p>{@code compact}: flushes the table, major-compacts it, waits until the compaction is done and
 * prints the size of the store files it wrote in bytes: {@code TABLE: N bytes in F store files ...}.
 */
public class HBaseTables {
  /** The longest wait for a major compaction: the benchmark's table holds a few hundred MB at most. */
  private static final long COMPACTION_TIMEOUT_MILLIS = 20 * 60_000;

  public static void main(String[] args) throws Exception {
    boolean create = args.length > 1 && args[0].equals("create");
    if (!create && !(args.length == 2 && args[0].equals("compact"))) {
      System.err.println("usage: HBaseTables create TABLE:FAMILY[,FAMILY...] ... | compact TABLE");
      System.exit(2);
    }
    Configuration conf = HBaseConfiguration.create();
    // Fail within a minute rather than retrying for many minutes when HBase is not up.
    conf.setInt("hbase.client.retries.number", 10);
    conf.setInt("hbase.client.operation.timeout", 60_000);

    try (Connection connection = ConnectionFactory.createConnection(conf);
        Admin admin = connection.getAdmin()) {
      if (create) {
        for (String spec : Arrays.asList(args).subList(1, args.length)) {
          createIfMissing(admin, spec);
        }
      } else {
        compact(conf, admin, TableName.valueOf(args[1]));
      }
    }
  }

  private static void createIfMissing(Admin admin, String spec) throws Exception {
    int colon = spec.indexOf(':');
    if (colon <= 0 || colon == spec.length() - 1) {
      throw new IllegalArgumentException("not TABLE:FAMILY[,FAMILY...]: " + spec);
    }
    TableName table = TableName.valueOf(spec.substring(0, colon));
    if (admin.tableExists(table)) {
      System.out.println("table " + table + ": exists");
      return;
    }
    List<String> families = new ArrayList<>();
    TableDescriptorBuilder builder = TableDescriptorBuilder.newBuilder(table);
    for (String family : spec.substring(colon + 1).split(",")) {
      families.add(family);
      builder.setColumnFamily(
          ColumnFamilyDescriptorBuilder.newBuilder(Bytes.toBytes(family))
              .setMaxVersions(1)
              .setCompressionType(Compression.Algorithm.NONE)
              .build());
    }
    admin.createTable(builder.build());
    System.out.println("table " + table + ": created with families " + families);
  }

  /**
   * Flush (synchronous), then a major compaction, which {@code majorCompact} only queues. Each store it
   * compacts gets one new file; the files it replaced stay beside it until the region server's discharger
   * chore archives them (minutes later), so the size is that of the new files, and the compaction is done
   * when every store that had files has its new one and the region server reports no compaction.
   */
  private static void compact(Configuration conf, Admin admin, TableName table) throws Exception {
    long started = System.currentTimeMillis();
    admin.flush(table);
    Map<Path, Map<String, Long>> before = storeFiles(conf, admin, table);
    admin.majorCompact(table);
    while (true) {
      boolean running = admin.getCompactionState(table) != CompactionState.NONE;
      Map<Path, Map<String, Long>> now = storeFiles(conf, admin, table);
      long bytes = 0;
      int compacted = 0;
      int toCompact = 0;
      for (Map.Entry<Path, Map<String, Long>> store : before.entrySet()) {
        if (store.getValue().isEmpty()) {
          continue;
        }
        toCompact++;
        Map<String, Long> added = new HashMap<>(now.getOrDefault(store.getKey(), Collections.emptyMap()));
        added.keySet().removeAll(store.getValue().keySet());
        compacted += added.isEmpty() ? 0 : 1;
        for (long b : added.values()) {
          bytes += b;
        }
      }
      long waited = System.currentTimeMillis() - started;
      if (!running && compacted == toCompact) {
        System.out.printf(Locale.ROOT, "%s: %d bytes in %d store files (%d regions), after a flush and a major "
            + "compaction (%.1f s)%n", table, bytes, compacted, admin.getRegions(table).size(), waited / 1000.0);
        return;
      }
      if (waited > COMPACTION_TIMEOUT_MILLIS) {
        throw new IllegalStateException("the major compaction of " + table + " did not end within "
            + COMPACTION_TIMEOUT_MILLIS / 60_000 + " minutes");
      }
      Thread.sleep(200);
    }
  }

  /** The files in each store directory of the table's regions, by name, with their sizes. */
  private static Map<Path, Map<String, Long>> storeFiles(Configuration conf, Admin admin, TableName table)
      throws Exception {
    Path tableDir = CommonFSUtils.getTableDir(CommonFSUtils.getRootDir(conf), table);
    FileSystem fs = tableDir.getFileSystem(conf);
    Map<Path, Map<String, Long>> stores = new HashMap<>();
    for (RegionInfo region : admin.getRegions(table)) {
      for (byte[] family : admin.getDescriptor(table).getColumnFamilyNames()) {
        Path storeDir = new Path(new Path(tableDir, region.getEncodedName()), Bytes.toString(family));
        Map<String, Long> files = new HashMap<>();
        for (FileStatus f : fs.exists(storeDir) ? fs.listStatus(storeDir) : new FileStatus[0]) {
          if (f.isFile() && !f.getPath().getName().startsWith(".")) {
            files.put(f.getPath().getName(), f.getLen());
          }
        }
        stores.put(storeDir, files);
      }
    }
    return stores;
  }
}
