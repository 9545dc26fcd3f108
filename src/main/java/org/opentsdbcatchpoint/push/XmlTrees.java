package org.opentsdbcatchpoint.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.MissingResourceException;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads Catchpoint's XML push format into the same tree shape as JSON, so one decoder serves both.
 * Best effort: Catchpoint's XML schema was not available, so elements are assumed to be named as the
 * JSON fields are. An element with child elements becomes an object, a repeated child name an
 * array, text becomes a string, attributes become fields. DTDs and external entities are refused.
 */
final class XmlTrees {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final String ATTRIBUTE_LIMIT = "http://www.oracle.com/xml/jaxp/properties/elementAttributeLimit";
  private static final XMLInputFactory FACTORY = newFactory();

  private XmlTrees() {}

  private static XMLInputFactory newFactory() {
    XMLInputFactory f = XMLInputFactory.newInstance();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_COALESCING, true);
    // The JDK's own cap on one element's attributes is 10,000 up to JDK 23 and 200 from JDK 24: pinned, so
    // that push.max_fields (413 too_many_fields) decides on every JDK the TSD runs on. Other StAX
    // implementations do not know the property.
    try {
      f.setProperty(ATTRIBUTE_LIMIT, "10000");
    } catch (IllegalArgumentException otherImplementation) {
      // its own limits apply
    }
    return f;
  }

  /** Root element's content as an object (the root element's own name is not part of the data). */
  static JsonNode parse(byte[] body, int offset, int length, int maxFields) throws PushException {
    XMLStreamReader r = null;
    int fields = 0;
    try {
      r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(body, offset, length));
      Deque<Frame> stack = new ArrayDeque<>();
      Frame root = null;
      while (r.hasNext()) {
        int event = next(r);
        switch (event) {
          case XMLStreamConstants.START_ELEMENT: {
            if (stack.size() >= JsonTrees.MAX_DEPTH) {
              throw PushException.badRequest("too_deep",
                  "the XML is nested deeper than " + JsonTrees.MAX_DEPTH + " levels", where(r.getLocation()));
            }
            fields += 1 + r.getAttributeCount();
            if (fields > maxFields) {
              throw PushDecoder.tooManyFields(maxFields);
            }
            Frame f = new Frame(r.getLocalName());
            for (int i = 0; i < r.getAttributeCount(); i++) {
              f.object().put(r.getAttributeLocalName(i), r.getAttributeValue(i));
            }
            stack.push(f);
            break;
          }
          case XMLStreamConstants.CHARACTERS:
          case XMLStreamConstants.CDATA:
            if (!stack.isEmpty()) {
              stack.peek().text.append(r.getText());
            }
            break;
          case XMLStreamConstants.END_ELEMENT: {
            Frame done = stack.pop();
            if (stack.isEmpty()) {
              root = done;
            } else {
              stack.peek().addChild(done.name, done.value());
            }
            break;
          }
          case XMLStreamConstants.DTD:
            throw PushException.badRequest("invalid_xml", "DTDs are not accepted", where(r.getLocation()));
          default:
            break;
        }
      }
      if (root == null) {
        throw PushException.badRequest("invalid_xml", "the XML has no root element", "body");
      }
      JsonNode value = root.value();
      if (!value.isObject()) {
        throw PushException.badRequest("not_catchpoint_payload",
            "the XML root element <" + root.name + "> has no child elements", "body");
      }
      return value;
    } catch (XMLStreamException e) {
      throw PushException.badRequest("invalid_xml", "the body is not well-formed XML: " + firstLine(e.getMessage()),
          where(e.getLocation()));
    } finally {
      if (r != null) {
        try {
          r.close();
        } catch (XMLStreamException ignored) {
          // nothing left to release
        }
      }
    }
  }

  /**
   * The next event; the JDK's reader throws {@code MissingResourceException} (its message for some bad
   * characters in a DTD is missing; found by PushXmlFuzzTest) where it means the XML is not well-formed.
   */
  private static int next(XMLStreamReader r) throws XMLStreamException, PushException {
    try {
      return r.next();
    } catch (MissingResourceException e) {
      throw PushException.badRequest("invalid_xml", "the body is not well-formed XML (at " + e.getKey() + ")",
          where(r.getLocation()));
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    String msg = s;
    int idx = msg.indexOf("Message: ");
    if (idx >= 0) {
      msg = msg.substring(idx + 9);
    }
    int nl = msg.indexOf('\n');
    return nl >= 0 ? msg.substring(0, nl) : msg;
  }

  private static String where(Location loc) {
    return loc == null ? "body" : "line " + loc.getLineNumber() + ", column " + loc.getColumnNumber();
  }

  private static final class Frame {
    final String name;
    final StringBuilder text = new StringBuilder();
    ObjectNode object;

    Frame(String name) {
      this.name = name;
    }

    ObjectNode object() {
      if (object == null) {
        object = NODES.objectNode();
      }
      return object;
    }

    void addChild(String childName, JsonNode child) {
      ObjectNode o = object();
      JsonNode existing = o.get(childName);
      if (existing == null) {
        o.set(childName, child);
      } else if (existing.isArray() && Boolean.TRUE.equals(repeated(childName))) {
        ((ArrayNode) existing).add(child);
      } else {
        ArrayNode a = NODES.arrayNode();
        a.add(existing);
        a.add(child);
        o.set(childName, a);
        markRepeated(childName);
      }
    }

    private java.util.Set<String> repeatedNames;

    private Boolean repeated(String n) {
      return repeatedNames != null && repeatedNames.contains(n);
    }

    private void markRepeated(String n) {
      if (repeatedNames == null) {
        repeatedNames = new java.util.HashSet<>();
      }
      repeatedNames.add(n);
    }

    JsonNode value() {
      if (object != null) {
        return object;
      }
      String t = text.toString().trim();
      return NODES.textNode(t);
    }
  }
}
