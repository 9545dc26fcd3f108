package org.opentsdbcatchpoint.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.opentsdbcatchpoint.push.Decoding.NOW;
import static org.opentsdbcatchpoint.push.Decoding.assertRefused;
import static org.opentsdbcatchpoint.push.Decoding.decodeFixture;
import static org.opentsdbcatchpoint.push.Decoding.decoder;
import static org.opentsdbcatchpoint.push.Decoding.gzip;
import static org.opentsdbcatchpoint.push.Decoding.refused;
import static org.opentsdbcatchpoint.push.Decoding.skips;
import static org.opentsdbcatchpoint.push.Decoding.utf8;
import static org.opentsdbcatchpoint.push.Decoding.values;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentsdbcatchpoint.Fixtures;
import org.opentsdbcatchpoint.pipeline.SkipReason;

/** The XML push format, assumed to mirror the JSON field names. */
class PushDecoderXmlTest {

  /** push-web-default.json, element for field, in the same order. */
  static final String WEB_XML = """
      <?xml version="1.0" encoding="UTF-8"?>
      <TestDataWebhook>
        <Version>4</Version>
        <V>5</V>
        <TestDetail>
          <Name>Homepage (prod)</Name>
          <TypeId>0</TypeId>
          <MonitorTypeId>18</MonitorTypeId>
          <Labels>
            <Label><Env>prod</Env></Label>
            <Label><Team>web</Team><Team>edge</Team></Label>
          </Labels>
        </TestDetail>
        <TestId>100001</TestId>
        <ReportWindow>202401151200</ReportWindow>
        <NodeId>540</NodeId>
        <NodeName>Frankfurt, DE - AWS</NodeName>
        <Asn>16509</Asn>
        <TestRuntime>20240115121433012</TestRuntime>
        <DivisionId>1111</DivisionId>
        <ClientId>22</ClientId>
        <Summary>
          <V>1</V>
          <Timestamp>20240115121433012</Timestamp>
          <MonitorVersion>120.0.0.0</MonitorVersion>
          <Timing>
            <Total>2310</Total>
            <Dns>12</Dns>
            <Connect>9</Connect>
            <Ssl>25</Ssl>
            <Send>1</Send>
            <Wait>310</Wait>
            <Load>40</Load>
            <ContentLoad>1900</ContentLoad>
            <DocumentComplete>1650</DocumentComplete>
            <RenderStart>800</RenderStart>
            <Client>90</Client>
            <Wire>1400</Wire>
            <DomLoad>1200</DomLoad>
            <FirstPaintTime>780</FirstPaintTime>
            <FirstContentfulPaintTime>790</FirstContentfulPaintTime>
            <ContentType>
              <Html>350</Html>
              <Script>900</Script>
              <Image>600</Image>
            </ContentType>
          </Timing>
          <Address>203.0.113.10</Address>
          <Error>
            <Any>1</Any>
            <LoadObjects>1</LoadObjects>
          </Error>
          <Byte>
            <Response>
              <Content>48000</Content>
              <Headers>900</Headers>
              <TotalContent>1800000</TotalContent>
              <TotalHeaders>40000</TotalHeaders>
              <ContentType>
                <Html>48000</Html>
                <Script>900000</Script>
              </ContentType>
            </Response>
          </Byte>
          <Counter>
            <Connections>14</Connections>
            <Hosts>9</Hosts>
            <FailedRequests>1</FailedRequests>
            <Requests>61</Requests>
            <Redirections>0</Redirections>
            <Cached>0</Cached>
          </Counter>
          <Score>
            <SpeedIndex>1234</SpeedIndex>
          </Score>
          <HostCollections>
            <www.example.com>
              <V>1</V>
              <Timing><StartToEnd>900</StartToEnd><Dns>12</Dns></Timing>
              <Counter><Request>20</Request></Counter>
            </www.example.com>
            <cdn.example.net>
              <V>1</V>
              <Timing><StartToEnd>700</StartToEnd></Timing>
              <Counter><Request>41</Request><Failure>1</Failure></Counter>
              <Error>50200</Error>
            </cdn.example.net>
          </HostCollections>
          <Request>https://www.example.com/</Request>
        </Summary>
      </TestDataWebhook>
      """;

  /** push-traceroute.json as XML; a lost probe is an empty element. */
  static final String TRACEROUTE_XML = """
      <TestDataWebhook>
        <Version>4</Version><V>5</V>
        <TestDetail><Name>trace-origin</Name><TypeId>12</TypeId><MonitorTypeId>9</MonitorTypeId></TestDetail>
        <TestId>100003</TestId>
        <ReportWindow>202401151200</ReportWindow>
        <NodeId>88</NodeId>
        <NodeName>Chicago, US - Level3</NodeName>
        <Asn>3356</Asn>
        <DivisionId>1111</DivisionId><ClientId>22</ClientId>
        <Summary><V>1</V><Timestamp>20240115120501003</Timestamp><Timing><Total>31</Total></Timing></Summary>
        <Diagnostic>
          <TraceRoute>
            <Hops>
              <Hop><RoundTripTimes><RoundTripTime>1</RoundTripTime><RoundTripTime>1</RoundTripTime><RoundTripTime>2</RoundTripTime></RoundTripTimes></Hop>
              <Hop><RoundTripTimes><RoundTripTime>9</RoundTripTime><RoundTripTime>8</RoundTripTime><RoundTripTime/></RoundTripTimes></Hop>
              <Hop><RoundTripTimes><RoundTripTime>30</RoundTripTime><RoundTripTime></RoundTripTime><RoundTripTime>31</RoundTripTime></RoundTripTimes></Hop>
            </Hops>
          </TraceRoute>
        </Diagnostic>
      </TestDataWebhook>
      """;

  @Test
  void webXmlDecodesToTheSameRunAsTheJson() throws Exception {
    DecodedPush json = decodeFixture("push-web-default.json");
    DecodedPush xml = decoder().decode(utf8(WEB_XML), "application/xml", NOW);
    assertEquals("default-xml", xml.format());
    assertEquals(values(json), values(xml));
    assertEquals(json.run().toString(), xml.run().toString());
    assertEquals(skips(json), skips(xml));
    assertEquals(1705320873L, xml.run().timestampSeconds());
    assertEquals("web", xml.run().testType());
  }

  @Test
  void webXmlWithHostCollectionsOn() throws Exception {
    DecodeOptions on = new DecodeOptions(false, true, false);
    DecodedPush json = decoder(on).decode(Fixtures.bytes("push-web-default.json"), Decoding.JSON, NOW);
    DecodedPush xml = decoder(on).decode(utf8(WEB_XML), "text/xml; charset=utf-8", NOW);
    assertEquals(values(json), values(xml));
    assertEquals(50200.0, values(xml).get("catchpoint.host.error.code{host=cdn.example.net}"));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"text/plain", "application/octet-stream", "application/xml", "text/xml",
      "application/soap+xml"})
  void xmlIsSniffedOrDeclared(String contentType) throws Exception {
    DecodedPush xml = decoder().decode(utf8(WEB_XML), contentType, NOW);
    assertEquals(values(decodeFixture("push-web-default.json")), values(xml));
  }

  @Test
  void gzippedXml() throws Exception {
    DecodedPush xml = decoder().decode(gzip(utf8(WEB_XML)), null, NOW);
    assertEquals(values(decodeFixture("push-web-default.json")), values(xml));
  }

  @Test
  void tracerouteXmlDecodesToTheSameRunAsTheJson() throws Exception {
    DecodedPush json = decodeFixture("push-traceroute.json");
    DecodedPush xml = decoder().decode(utf8(TRACEROUTE_XML), "application/xml", NOW);
    assertEquals(values(json), values(xml));
    assertEquals(1705320301L, xml.run().timestampSeconds());
    assertEquals("traceroute", xml.run().testType());
  }

  @Test
  void tracerouteXmlPerHop() throws Exception {
    DecodeOptions perHop = new DecodeOptions(true, false, false);
    DecodedPush json = decoder(perHop).decode(Fixtures.bytes("push-traceroute.json"), Decoding.JSON, NOW);
    DecodedPush xml = decoder(perHop).decode(utf8(TRACEROUTE_XML), "application/xml", NOW);
    assertEquals(values(json), values(xml));
    assertEquals(8.5, values(xml).get("catchpoint.traceroute.hop_rtt_avg{hop=2}"));
  }

  @Test
  void tracerouteXmlWithOneHopAndOneProbe() throws Exception {
    String xml = TRACEROUTE_XML.replaceAll("(?s)<Hops>.*</Hops>",
        "<Hops><Hop><RoundTripTimes><RoundTripTime>7</RoundTripTime></RoundTripTimes></Hop></Hops>");
    Map<String, Double> v = values(decoder().decode(utf8(xml), "application/xml", NOW));
    assertEquals(1.0, v.get("catchpoint.traceroute.hop_count"));
    assertEquals(7.0, v.get("catchpoint.traceroute.last_hop_rtt_avg"));
    assertEquals(0.0, v.get("catchpoint.traceroute.last_hop_loss_pct"));
  }

  @Test
  void xmlErrorCodeAndEmptyError() throws Exception {
    String failed = """
        <TestDataWebhook><TestId>100002</TestId><NodeId>313</NodeId><TestDetail><TypeId>5</TypeId></TestDetail>
        <Summary><Timestamp>20240115120512001</Timestamp><Timing/><Error><Code>12007</Code></Error></Summary>
        </TestDataWebhook>""";
    assertEquals(values(decodeFixture("push-dns-error.json")),
        values(decoder().decode(utf8(failed), "application/xml", NOW)));

    String ok = """
        <TestDataWebhook><TestId>100002</TestId><NodeId>312</NodeId><TestDetail><TypeId>5</TypeId></TestDetail>
        <Summary><Timestamp>20240115120449609</Timestamp><Timing><Total>48</Total></Timing><Error/></Summary>
        </TestDataWebhook>""";
    assertEquals(values(decodeFixture("push-dns-v3.json")),
        values(decoder().decode(utf8(ok), "application/xml", NOW)));
  }

  @Test
  void xmlAttributesAreFields() throws Exception {
    String xml = "<run TestId=\"100002\" NodeId=\"312\"><TestDetail TypeId=\"5\"/>"
        + "<Summary Timestamp=\"20240115120449609\"><Timing Total=\"48\"/></Summary></run>";
    assertEquals(values(decodeFixture("push-dns-v3.json")),
        values(decoder().decode(utf8(xml), "application/xml", NOW)));
  }

  @Test
  void xmlTemplate() throws Exception {
    String xml = "<catchpoint><testid>5</testid><nodeid>7</nodeid><timestamp>20240115121005120</timestamp>"
        + "<timingdns>20</timingdns><timingdocumentcomplete>900</timingdocumentcomplete>"
        + "<pingpacketlosspct>1.5</pingpacketlosspct><errorany>False</errorany>"
        + "<timingtotal>${timingtotal}</timingtotal></catchpoint>";
    DecodedPush d = decoder().decode(utf8(xml), "application/xml", NOW);
    assertEquals("template-xml", d.format());
    assertEquals(Map.of("catchpoint.timing.dns", 20.0, "catchpoint.timing.document_complete", 900.0,
        "catchpoint.ping.packet_loss_pct", 1.5, "catchpoint.error.any", 0.0, "catchpoint.run", 1.0), values(d));
    assertEquals(Map.of("timingtotal", SkipReason.EMPTY), skips(d));
    assertEquals(1705320605L, d.run().timestampSeconds());
  }

  @Test
  void cdataIsText() throws Exception {
    String xml = WEB_XML.replace("<Total>2310</Total>", "<Total><![CDATA[2310]]></Total>");
    assertEquals(values(decodeFixture("push-web-default.json")),
        values(decoder().decode(utf8(xml), "application/xml", NOW)));
  }

  @Test
  void externalEntityIsRefused() {
    String xml = """
        <?xml version="1.0"?>
        <!DOCTYPE TestDataWebhook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
        <TestDataWebhook><TestId>&xxe;</TestId><NodeId>1</NodeId>
        <Summary><Timestamp>20240115121433012</Timestamp></Summary></TestDataWebhook>""";
    PushException e = refused(utf8(xml), "application/xml");
    assertRefused(e, 400, "invalid_xml");
    assertFalse(String.valueOf(e.getMessage()).contains("root:"), e.getMessage());
    // sniffed as XML without a content type, too
    assertEquals(400, refused(utf8(xml), null).status());
  }

  @Test
  void doctypeIsRefused() {
    String xml = """
        <?xml version="1.0"?>
        <!DOCTYPE TestDataWebhook SYSTEM "http://127.0.0.1:9/none.dtd">
        <TestDataWebhook><TestId>1</TestId><NodeId>1</NodeId>
        <Summary><Timestamp>20240115121433012</Timestamp></Summary></TestDataWebhook>""";
    assertRefused(refused(utf8(xml), "application/xml"), 400, "invalid_xml");
  }

  /** Found by PushXmlFuzzTest: the JDK's reader threw MissingResourceException (a 500) for a bad character in a DTD. */
  @Test
  void aBadCharacterInADoctypeIsInvalidXml() {
    String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE a [\u0005]>\n<a><TestId>1</TestId></a>";
    assertRefused(refused(utf8(xml), "application/xml"), 400, "invalid_xml");
  }

  @Test
  void entityExpansionIsRefused() {
    String xml = """
        <?xml version="1.0"?>
        <!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
        <r><TestId>&b;</TestId></r>""";
    assertRefused(refused(utf8(xml), "application/xml"), 400, "invalid_xml");
  }

  @ParameterizedTest
  @ValueSource(strings = {"<TestDataWebhook><TestId>1</TestId>", "<a><b></a>", "<a>", "<"})
  void malformedXml(String xml) {
    assertRefused(refused(utf8(xml), "application/xml"), 400, "invalid_xml");
  }

  @Test
  void xmlRootWithoutChildren() {
    assertRefused(refused(utf8("<TestDataWebhook>text</TestDataWebhook>"), "application/xml"), 400,
        "not_catchpoint_payload");
    assertRefused(refused(utf8("<TestDataWebhook/>"), "application/xml"), 400, "not_catchpoint_payload");
  }

  @Test
  void xmlNestedTooDeep() {
    String deep = "<a>".repeat(33) + "<b>1</b>" + "</a>".repeat(33);
    assertRefused(refused(utf8(deep), "application/xml"), 400, "too_deep");
    String huge = "<a>".repeat(100_000);
    assertRefused(refused(utf8(huge), "application/xml"), 400, "too_deep");
  }

  @Test
  void xmlNestedAtTheLimit() {
    String ok = "<a>".repeat(31) + "<b>1</b>" + "</a>".repeat(31);
    // 32 levels parse; the tree is then simply not a run
    assertRefused(refused(utf8(ok), "application/xml"), 400, "not_catchpoint_payload");
  }

  @Test
  void xmlMissingTestId() {
    String xml = WEB_XML.replace("<TestId>100001</TestId>", "");
    assertRefused(refused(utf8(xml), "application/xml"), 400, "missing_field");
  }
}
