package org.opentsdbcatchpoint.tsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Arrays;
import net.opentsdb.core.TSDB;
import net.opentsdb.utils.Config;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.CatchpointService;
import org.opentsdbcatchpoint.PluginSettings;

/**
 * The one service both plugin classes share: built on the first acquire, with the settings the
 * startup plugin adopted, shut down when the last user releases it, and built anew after that.
 */
class SharedServiceTest {
  private final TSDB tsdb = mock(TSDB.class);

  SharedServiceTest() throws Exception {
    Config config = new Config(false);
    config.overrideConfig("tsd.plugin.catchpoint.push.token", "shared-Token-81");
    when(tsdb.getConfig()).thenReturn(config);
    when(tsdb.uidTable()).thenReturn("tsdb-uid".getBytes());
    // No plugin table: names are kept in memory, the service still starts.
    org.hbase.async.HBaseClient client = mock(org.hbase.async.HBaseClient.class);
    when(client.ensureTableFamilyExists(org.mockito.ArgumentMatchers.any(byte[].class),
        org.mockito.ArgumentMatchers.any(byte[].class))).thenReturn(com.stumbleupon.async.Deferred.fromError(
        new IllegalStateException("table catchpoint-plugin not found")));
    when(tsdb.getClient()).thenReturn(client);
    when(tsdb.getMode()).thenReturn(TSDB.OperationMode.READWRITE);
    when(tsdb.suggestMetrics(anyString(), anyInt())).thenReturn(Arrays.asList("catchpoint.run",
        "catchpoint.timing.old_derived"));
  }

  @AfterEach
  void releaseAll() {
    // Nothing of one test may leak into the next: the holder is the plugin's one static.
    CatchpointService s;
    while ((s = SharedService.current()) != null) {
      SharedService.release(s);
    }
  }

  @Test
  void bothPluginsShareOneServiceUntilTheLastLetsGo() {
    CatchpointService first = SharedService.acquire(tsdb);
    CatchpointService second = SharedService.acquire(tsdb);
    assertSame(first, second);
    assertEquals(1, first.metricBudget().derivedNames(), "seeded from the TSD's UID table");
    SharedService.release(first);
    assertSame(first, SharedService.current(), "one user left");
    SharedService.release(second);
    assertEquals(null, SharedService.current());
    CatchpointService again = SharedService.acquire(tsdb);
    assertNotSame(first, again, "a new service after the last release");
  }

  @Test
  void theSettingsTheStartupPluginAdoptedAreUsed() throws Exception {
    Config other = new Config(false);
    other.overrideConfig("tsd.plugin.catchpoint.push.allow_anonymous", "true");
    other.overrideConfig("tsd.plugin.catchpoint.push.write_threads", "2");
    SharedService.adopt(PluginSettings.from(new TsdbSettings(other)));
    CatchpointService s = SharedService.acquire(tsdb);
    assertEquals(2, s.settings().push.writeThreads, "not the TSD's Config, whose secrets are masked by then");
  }

  @Test
  void aPushOnlyTsdTakesTheSecretsOutOfTheTsdsConfigAndKeepsUsingThem() {
    SharedService.adopt(null); // no startup plugin
    CatchpointService first = SharedService.acquire(tsdb);
    assertEquals("shared-Token-81", first.settings().push.token);
    assertEquals(CatchpointStartupPlugin.MASK, tsdb.getConfig().getString("tsd.plugin.catchpoint.push.token"),
        "what /api/config serves");
    SharedService.release(first);
    CatchpointService again = SharedService.acquire(tsdb);
    assertEquals("shared-Token-81", again.settings().push.token, "not the mask read back");
  }

  @Test
  void releasingAServiceThatIsNotTheCurrentOneChangesNothing() {
    CatchpointService s = SharedService.acquire(tsdb);
    SharedService.release(null);
    assertSame(s, SharedService.current());
  }
}
