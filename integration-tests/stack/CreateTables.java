import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseConfiguration;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptorBuilder;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.TableDescriptorBuilder;
import org.apache.hadoop.hbase.io.compress.Compression;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * Creates the HBase tables of the local test stack when they are missing: what OpenTSDB's
 * create_table.sh does, without the HBase shell (JRuby), which the Maven jars lack.
 *
 * <p>Run with the JDK's single-file source launcher, the HBase jars and the directory
 * holding hbase-site.xml on the class path (integration-tests/tsd.sh does this):
 *
 * <pre>
 * java -cp "CONF_DIR:LIB/hbase/*" CreateTables.java tsdb-uid:id,name tsdb:t ...
 * </pre>
 *
 * <p>Each argument is {@code TABLE:FAMILY[,FAMILY...]}. Families get one version and no
 * compression, as in create_table.sh with COMPRESSION=NONE. Existing tables are left as
 * they are. Exit code 0 when every table exists afterwards.
 */
public class CreateTables {

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: CreateTables TABLE:FAMILY[,FAMILY...] ...");
      System.exit(2);
    }
    Configuration conf = HBaseConfiguration.create();
    // Fail within a minute rather than retrying for many minutes when HBase is not up.
    conf.setInt("hbase.client.retries.number", 10);
    conf.setInt("hbase.client.operation.timeout", 60_000);

    try (Connection connection = ConnectionFactory.createConnection(conf);
        Admin admin = connection.getAdmin()) {
      for (String spec : args) {
        createIfMissing(admin, spec);
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
}
