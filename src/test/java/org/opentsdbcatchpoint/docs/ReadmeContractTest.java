package org.opentsdbcatchpoint.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.opentsdbcatchpoint.config.Key;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.PluginSettings;
import org.opentsdbcatchpoint.mapping.Vocabulary;

/** The README's configuration and naming tables are the public contract: they must list what the code does. */
class ReadmeContractTest {
  private static String readme;

  @BeforeAll
  static void read() throws Exception {
    readme = new String(Files.readAllBytes(Paths.get("README.md")), StandardCharsets.UTF_8);
  }

  @Test
  void opensWithTheTwoCommands() {
    String head = readme.substring(0, Math.min(readme.length(), 1500));
    assertTrue(head.contains("integration-tests/tsd.sh start"), "README must open with the local stack command");
    assertTrue(head.contains("integration-tests/test.sh"), "README must open with the test command");
  }

  @Test
  void everySettingIsInTheConfigurationTable() {
    for (Key k : PluginSettings.KEYS) {
      assertTrue(readme.contains("| `" + k.name + "` |"), "README configuration table lacks " + k.name);
      if (k.defaultValue != null) {
        assertTrue(readme.contains("`" + k.defaultValue + "`"), "README lacks the default of " + k.name);
      }
    }
  }

  @Test
  void everyKnownMetricKeyIsInTheNamingTable() {
    for (String group : new String[] {Vocabulary.TIMING, Vocabulary.BYTES, Vocabulary.COUNT, Vocabulary.ERROR,
        Vocabulary.PING, Vocabulary.SCORE}) {
      assertTrue(readme.contains("`catchpoint." + group + "."), "README lacks the group " + group);
      for (String key : Vocabulary.knownKeys(group)) {
        assertTrue(readme.contains("`" + key + "`"), "README naming table lacks " + group + "." + key);
      }
    }
    for (String metric : new String[] {Vocabulary.RUN, Vocabulary.ERROR_CODE, Vocabulary.TRACEROUTE_HOP_COUNT,
        Vocabulary.TRACEROUTE_LAST_HOP_RTT, Vocabulary.TRACEROUTE_LAST_HOP_LOSS}) {
      assertTrue(readme.contains("`" + metric + "`"), "README naming table lacks " + metric);
    }
    for (String tag : Vocabulary.ENRICHMENT_TAGS) {
      assertTrue(readme.contains("`" + tag + "`"), "README tag table lacks " + tag);
    }
  }
}
