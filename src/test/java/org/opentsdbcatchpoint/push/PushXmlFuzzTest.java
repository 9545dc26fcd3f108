package org.opentsdbcatchpoint.push;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.opentsdbcatchpoint.FuzzService;

/**
 * {@code POST /plugin/catchpoint/push} with any XML body (Catchpoint's XML push format, read into the
 * JSON tree shape by {@code XmlTrees}): the contract of {@link PushFuzzTest}. Seeds: the push fixtures
 * written as XML, in {@code PushXmlFuzzTestInputs/xml/}.
 */
class PushXmlFuzzTest {
  static FuzzService service;

  @BeforeAll
  static void start() {
    service = new FuzzService();
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  @FuzzTest(maxDuration = "30s")
  @DictionaryFile(resourcePath = "/org/opentsdbcatchpoint/fuzz-xml.dict")
  void xml(byte[] body) {
    PushFuzzTest.check(service, "application/xml", body);
  }
}
