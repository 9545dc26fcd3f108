package org.opentsdbcatchpoint.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Random;
import org.opentsdbcatchpoint.catalog.NodeCatalog;
import org.opentsdbcatchpoint.catalog.NodeCatalogReader;
import org.opentsdbcatchpoint.catalog.StaticNodeCatalog;

/**
 * A node catalog in the shape of Catchpoint's REST v1 {@code /nodes}, with as many nodes as asked and
 * a production-like spread of cities, countries and ISPs, so every benchmark point carries the full
 * eight tags and the TSD resolves as many distinct tag values as it would in the field.
 *
 * <p>Usage: {@code NodeCatalogGenerator FILE [NODES]}
 */
public final class NodeCatalogGenerator {
  static final long FIRST_NODE_ID = 1000;

  /** city, region, country, continent. */
  private static final String[][] PLACES = {
    {"Frankfurt", "Hesse", "Germany", "Europe"}, {"Berlin", "Berlin", "Germany", "Europe"},
    {"London", "England", "United Kingdom", "Europe"}, {"Paris", "Ile-de-France", "France", "Europe"},
    {"Amsterdam", "North Holland", "Netherlands", "Europe"}, {"Madrid", "Madrid", "Spain", "Europe"},
    {"Milan", "Lombardy", "Italy", "Europe"}, {"Stockholm", "Stockholm", "Sweden", "Europe"},
    {"Warsaw", "Masovia", "Poland", "Europe"}, {"Zurich", "Zurich", "Switzerland", "Europe"},
    {"New York", "New York", "United States", "North America"},
    {"Chicago", "Illinois", "United States", "North America"},
    {"Dallas", "Texas", "United States", "North America"},
    {"Seattle", "Washington", "United States", "North America"},
    {"Ashburn", "Virginia", "United States", "North America"},
    {"Los Angeles", "California", "United States", "North America"},
    {"Toronto", "Ontario", "Canada", "North America"}, {"Mexico City", "CDMX", "Mexico", "North America"},
    {"São Paulo", "São Paulo", "Brazil", "South America"},
    {"Buenos Aires", "Buenos Aires", "Argentina", "South America"},
    {"Santiago", "Santiago", "Chile", "South America"}, {"Tokyo", "Tokyo", "Japan", "Asia"},
    {"Osaka", "Osaka", "Japan", "Asia"}, {"Singapore", "Singapore", "Singapore", "Asia"},
    {"Mumbai", "Maharashtra", "India", "Asia"}, {"Jinan", "Shandong", "China", "Asia"},
    {"Seoul", "Seoul", "South Korea", "Asia"}, {"Hong Kong", "Hong Kong", "China", "Asia"},
    {"Sydney", "New South Wales", "Australia", "Oceania"}, {"Auckland", "Auckland", "New Zealand", "Oceania"},
    {"Johannesburg", "Gauteng", "South Africa", "Africa"}, {"Lagos", "Lagos", "Nigeria", "Africa"},
  };
  /** ISP and its AS number. */
  private static final String[][] ISPS = {
    {"Amazon", "16509"}, {"Google Cloud", "15169"}, {"Microsoft Azure", "8075"}, {"Level3", "3356"},
    {"Cogent", "174"}, {"NTT", "2914"}, {"Telia", "1299"}, {"GTT", "3257"}, {"Zayo", "6461"},
    {"Deutsche Telekom", "3320"}, {"Orange", "5511"}, {"Vodafone", "1273"}, {"Comcast", "7922"},
    {"Verizon", "701"}, {"AT&T", "7018"}, {"Telstra", "1221"}, {"China Unicom", "4837"},
    {"KDDI", "2516"}, {"Vivo", "26599"}, {"Rogers", "812"}, {"Singtel", "7473"}, {"Akamai", "20940"},
  };
  private static final String[] NETWORK_TYPES = {"Backbone", "Last Mile", "Public Cloud", "Wireless"};

  private NodeCatalogGenerator() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      throw new IllegalArgumentException("usage: NodeCatalogGenerator FILE [NODES]");
    }
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    Path file = Paths.get(args[0]);
    Files.createDirectories(file.toAbsolutePath().getParent());
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), catalog(count, 42));
    System.out.println("node catalog: " + count + " nodes in " + file);
  }

  /** The catalog that {@link #main} writes, as the plugin reads it, and the JSON items it came from. */
  public static final class Generated {
    public final NodeCatalog catalog;
    /** {@code items} of the JSON, in order: {@code id}, {@code name} and the rest of each node. */
    public final JsonNode items;

    private Generated(NodeCatalog catalog, JsonNode items) {
      this.catalog = catalog;
      this.items = items;
    }
  }

  /** The catalog of {@code count} nodes without a file, read through the plugin's own reader. */
  public static Generated generate(int count) throws IOException {
    ObjectNode json = catalog(count, 42);
    byte[] bytes = new ObjectMapper().writeValueAsBytes(json);
    NodeCatalog catalog = new StaticNodeCatalog(NodeCatalogReader.read(new ByteArrayInputStream(bytes)));
    return new Generated(catalog, json.path("items"));
  }

  static ObjectNode catalog(int count, long seed) {
    Random random = new Random(seed);
    ObjectNode root = new ObjectMapper().createObjectNode();
    ArrayNode items = root.putArray("items");
    for (int i = 0; i < count; i++) {
      String[] place = PLACES[random.nextInt(PLACES.length)];
      String[] isp = ISPS[random.nextInt(ISPS.length)];
      ObjectNode n = items.addObject();
      n.put("id", FIRST_NODE_ID + i);
      n.put("name", place[0] + ", " + place[2] + " - " + isp[0]);
      n.putObject("network_type").put("name", NETWORK_TYPES[random.nextInt(NETWORK_TYPES.length)]);
      n.putObject("isp").put("name", isp[0]);
      n.putObject("asn").put("value", "AS" + isp[1]);
      n.putObject("city").put("name", place[0]);
      n.putObject("region").put("name", place[1]);
      n.putObject("country").put("name", place[2]);
      n.putObject("continent").put("name", place[3]);
    }
    return root;
  }
}
