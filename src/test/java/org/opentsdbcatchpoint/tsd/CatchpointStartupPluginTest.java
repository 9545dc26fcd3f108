package org.opentsdbcatchpoint.tsd;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.opentsdb.utils.Config;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.config.InvalidSettingsException;

/** The startup plugin is where a bad configuration stops the TSD, before anything else starts. */
class CatchpointStartupPluginTest {

  private static Config config() throws Exception {
    Config c = new Config(false);
    c.overrideConfig("tsd.plugin.catchpoint.push.token", "s3cret-token-value");
    return c;
  }

  @Test
  void aValidConfigurationIsReturnedUnchanged() throws Exception {
    Config c = config();
    assertSame(c, new CatchpointStartupPlugin().initialize(c));
  }

  @Test
  void everyBadKeyIsNamedInOneMessageAndNoSecretLeaks() throws Exception {
    Config c = config();
    c.overrideConfig("tsd.plugin.catchpoint.push.ack_timeout_ms", "30000");
    c.overrideConfig("tsd.plugin.catchpoint.push.allow_anonymous", "maybe");
    c.overrideConfig("tsd.plugin.catchpoint.push.tokn", "typo");
    InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
        () -> new CatchpointStartupPlugin().initialize(c));
    assertTrue(e.getMessage().contains("tsd.plugin.catchpoint.push.ack_timeout_ms"), e.getMessage());
    assertTrue(e.getMessage().contains("tsd.plugin.catchpoint.push.allow_anonymous"), e.getMessage());
    assertTrue(e.getMessage().contains("tsd.plugin.catchpoint.push.tokn"), e.getMessage());
    assertTrue(!e.getMessage().contains("s3cret-token-value"), e.getMessage());
  }

  @Test
  void secretsLeaveTheTsdConfigOnceRead() throws Exception {
    Config c = config();
    c.overrideConfig("tsd.plugin.catchpoint.push.max_body_bytes", "2048");
    new CatchpointStartupPlugin().initialize(c);
    assertTrue(c.getString("tsd.plugin.catchpoint.push.token").equals(CatchpointStartupPlugin.MASK));
    assertTrue(c.getString("tsd.plugin.catchpoint.push.max_body_bytes").equals("2048"), "only secrets are masked");
    assertTrue(!c.getMap().toString().contains("s3cret-token-value"), c.getMap().toString());
  }

  @Test
  void perAccountAndPerTargetSecretsAreRecognised() {
    assertTrue(org.opentsdbcatchpoint.PluginSettings.isSecretKey("tsd.plugin.catchpoint.push.token"));
    assertTrue(org.opentsdbcatchpoint.PluginSettings.isSecretKey("tsd.plugin.catchpoint.pull.prod.api_key"));
    assertTrue(org.opentsdbcatchpoint.PluginSettings.isSecretKey(
        "tsd.plugin.catchpoint.pull.eu.client_secret"));
    assertTrue(!org.opentsdbcatchpoint.PluginSettings.isSecretKey("tsd.plugin.catchpoint.pull.prod.api"));
    assertTrue(!org.opentsdbcatchpoint.PluginSettings.isSecretKey("tsd.plugin.catchpoint.push.max_body_bytes"));
    assertTrue(!org.opentsdbcatchpoint.PluginSettings.isSecretKey("tsd.http.request.max_chunk"));
  }

  @Test
  void noTokenAndNoExplicitAnonymousRefusesToStart() throws Exception {
    Config c = new Config(false);
    InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
        () -> new CatchpointStartupPlugin().initialize(c));
    assertTrue(e.getMessage().contains("tsd.plugin.catchpoint.push.token"), e.getMessage());
  }
}
