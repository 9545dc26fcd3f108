package org.opentsdbcatchpoint.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.PluginSettings;
import org.opentsdbcatchpoint.config.Key;
import org.opentsdbcatchpoint.mapping.Vocabulary;

/**
 * The documentation's tables are the public contract: the README opens with the two commands, and
 * the pages it links to list what the code does, row by row.
 */
class ReadmeContractTest {
  private static final Pattern LINK = Pattern.compile("\\]\\(((?!https?:)[^)#]+)(#[^)]*)?\\)");

  static String read(String path) throws Exception {
    return new String(Files.readAllBytes(Paths.get(path)), StandardCharsets.UTF_8);
  }

  @Test
  void opensWithTheTwoCommands() throws Exception {
    String readme = read("README.md");
    String head = readme.substring(0, Math.min(readme.length(), 1500));
    assertTrue(head.contains("integration-tests/tsd.sh start"), "README must open with the local stack command");
    assertTrue(head.contains("integration-tests/test.sh"), "README must open with the test command");
  }

  /** The cells of a table row, {@code \|} inside a cell kept as {@code |}. */
  static List<String> cells(String row) {
    List<String> out = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    for (int i = 1; i < row.length(); i++) {
      char c = row.charAt(i);
      if (c == '\\' && i + 1 < row.length() && row.charAt(i + 1) == '|') {
        cell.append('|');
        i++;
      } else if (c == '|') {
        out.add(cell.toString().trim());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    return out;
  }

  @Test
  void theConfigurationTableHasOneRowPerSettingWithItsTypeAndDefault() throws Exception {
    Map<String, List<String>> rows = new LinkedHashMap<>();
    for (String line : read("docs/configuration.md").split("\n")) {
      if (line.startsWith("| `")) {
        List<String> c = cells(line);
        String key = c.get(0).replace("`", "");
        assertFalse(rows.containsKey(key), "two rows for " + key);
        rows.put(key, c);
      }
    }
    List<String> keys = new ArrayList<>();
    for (Key k : PluginSettings.KEYS) {
      keys.add(k.name);
      List<String> row = rows.get(k.name);
      assertTrue(row != null, "docs/configuration.md has no row for " + k.name);
      assertEquals(4, row.size(), "columns of " + k.name + ": " + row);
      assertEquals(k.type + (k.secret ? " (secret)" : ""), row.get(1), "type of " + k.name);
      assertEquals(k.defaultValue == null ? "" : "`" + k.defaultValue + "`", row.get(2), "default of " + k.name);
      assertFalse(row.get(3).isEmpty(), "description of " + k.name);
    }
    assertEquals(keys, new ArrayList<>(rows.keySet()), "rows for settings that do not exist, or out of order");
  }

  @Test
  void everyKnownMetricKeyIsInTheNamingTable() throws Exception {
    String naming = read("docs/naming.md");
    for (String group : new String[] {Vocabulary.TIMING, Vocabulary.BYTES, Vocabulary.COUNT, Vocabulary.ERROR,
        Vocabulary.PING, Vocabulary.SCORE}) {
      assertTrue(naming.contains("`catchpoint." + group + "."), "docs/naming.md lacks the group " + group);
      for (String key : Vocabulary.knownKeys(group)) {
        assertTrue(naming.contains("`" + key + "`"), "docs/naming.md lacks " + group + "." + key);
      }
    }
    for (String metric : new String[] {Vocabulary.RUN, Vocabulary.ERROR_CODE, Vocabulary.TRACEROUTE_HOP_COUNT,
        Vocabulary.TRACEROUTE_LAST_HOP_RTT, Vocabulary.TRACEROUTE_LAST_HOP_LOSS}) {
      assertTrue(naming.contains("`" + metric + "`"), "docs/naming.md lacks " + metric);
    }
    for (String tag : Vocabulary.ENRICHMENT_TAGS) {
      assertTrue(naming.contains("`" + tag + "`"), "docs/naming.md's tag table lacks " + tag);
    }
  }

  @Test
  void theExporterTemplatesFieldsAreAllInTheMappingTable() throws Exception {
    String push = read("docs/push.md");
    JsonNode template;
    try (InputStream in = getClass().getResourceAsStream("/push/exporter-template-filled.json")) {
      template = new ObjectMapper().readTree(in);
    }
    for (Iterator<String> it = template.path("Summary").fieldNames(); it.hasNext(); ) {
      String field = it.next();
      assertTrue(push.contains("`" + field + "`"), "docs/push.md's exporter table lacks " + field);
      String metric = Vocabulary.flatMetric(field);
      if (metric != null) {
        String key = metric.substring(metric.lastIndexOf('.') + 1);
        assertTrue(push.contains(metric) || push.contains("`." + key + "`") || push.contains("`_"
            + key.substring(key.lastIndexOf('_') + 1) + "`"), "docs/push.md does not say where " + field
            + " goes (" + metric + ")");
      }
    }
  }

  @Test
  void everyLinkBetweenThePagesLeadsToAFile() throws Exception {
    List<Path> pages = new ArrayList<>();
    pages.add(Paths.get("README.md"));
    try (java.util.stream.Stream<Path> docs = Files.list(Paths.get("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
    }
    for (Path page : pages) {
      Matcher m = LINK.matcher(read(page.toString()));
      while (m.find()) {
        Path target = page.toAbsolutePath().getParent().resolve(m.group(1)).normalize();
        assertTrue(Files.exists(target), page + " links to " + m.group(1) + ", which does not exist");
      }
    }
  }

  @Test
  void theAlertsPageShowsTheShippedTemplateAndEveryAlertType() throws Exception {
    String alerts = read("docs/alerts.md");
    String template = read("plugin-config/catchpoint-alert-template.json").trim();
    assertTrue(alerts.contains(template), "docs/alerts.md must show plugin-config/catchpoint-alert-template.json as "
        + "it is");
    // The README shows it too, indented in its list item: compared line by line without the indent.
    String readme = read("README.md").replaceAll("(?m)^ +", "");
    assertTrue(readme.contains(template.replaceAll("(?m)^ +", "")),
        "README.md must show plugin-config/catchpoint-alert-template.json as it is");
    for (Map.Entry<Integer, String> t : org.opentsdbcatchpoint.alert.Alert.types().entrySet()) {
      assertTrue(alerts.contains(t.getKey() + " " + t.getValue()), "docs/alerts.md lacks the alert type " + t);
    }
  }

  @Test
  void theGrafanaPageHasEveryErrorCodeAndEveryBridgeSetting() throws Exception {
    String grafana = read("docs/grafana.md");
    for (Map.Entry<Long, String> e : org.opentsdbcatchpoint.grafana.ErrorCodes.table().entrySet()) {
      assertTrue(grafana.contains("| " + e.getKey() + " | " + e.getValue() + " |"),
          "docs/grafana.md's error-code table lacks " + e.getKey() + " (" + e.getValue() + ")");
    }
    for (Key k : org.opentsdbcatchpoint.grafana.BridgeSettings.KEYS) {
      assertTrue(grafana.contains("`" + k.name + "`"), "docs/grafana.md does not name " + k.name);
    }
  }

  @Test
  void theMigrationTableHasTheOldNameOfEveryColumn() throws Exception {
    String naming = read("docs/naming.md");
    for (Map.Entry<String, String> e : Vocabulary.legacyTable().entrySet()) {
      assertTrue(naming.contains("| `" + e.getKey() + "` | `" + e.getValue() + "` |"),
          "docs/naming.md's migration table lacks " + e.getKey() + " -> " + e.getValue());
    }
  }
}
