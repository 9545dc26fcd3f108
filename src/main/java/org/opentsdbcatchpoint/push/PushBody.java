package org.opentsdbcatchpoint.push;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * A webhook body as Catchpoint posts it, before any decoder reads it: within the size limit, gzip
 * undone, a byte order mark and leading white space skipped, JSON or XML chosen from the content type
 * (or from the body when the type says nothing). Shared by the test-data push and the alert webhook, so
 * both refuse a bad body with the same status, kind and message.
 */
public final class PushBody {
  final byte[] bytes;
  /** The first byte of the content. */
  final int start;
  final boolean xml;

  private PushBody(byte[] bytes, int start, boolean xml) {
    this.bytes = bytes;
    this.start = start;
    this.xml = xml;
  }

  /**
   * @param contentType the request's Content-Type header, may be null
   * @param maxBodyBytes the largest body, after gzip is undone ({@code push.max_body_bytes})
   */
  public static PushBody of(byte[] body, String contentType, int maxBodyBytes) throws PushException {
    if (body.length > maxBodyBytes) {
      throw tooLarge(maxBodyBytes, body.length);
    }
    byte[] b = isGzip(body) ? gunzip(body, maxBodyBytes) : body;
    int start = firstNonSpace(b);
    if (start >= b.length) {
      throw PushException.badRequest("empty_body", "the body is empty", "body");
    }
    return new PushBody(b, start, chooseXml(b[start], contentType));
  }

  public boolean isXml() {
    return xml;
  }

  int length() {
    return bytes.length - start;
  }

  /**
   * The whole body as a tree (an XML body's root element as an object), with the depth and field
   * limits of every push: more than {@code maxFields} fields is a 413 before anything is decoded.
   */
  public JsonNode tree(int maxFields) throws PushException {
    if (xml) {
      return XmlTrees.parse(bytes, start, length(), maxFields);
    }
    if (FieldCount.json(bytes, start, length(), maxFields) > maxFields) {
      throw PushDecoder.tooManyFields(maxFields);
    }
    return JsonTrees.parse(bytes, start, length());
  }

  /** JSON or XML: a declared JSON or XML type wins; a generic or missing one is sniffed from the body. */
  private static boolean chooseXml(byte first, String contentType) throws PushException {
    String type = mediaType(contentType);
    if (type.endsWith("json")) {
      return false;
    }
    if (type.endsWith("xml")) {
      return true;
    }
    boolean generic = type.isEmpty() || type.equals("text/plain") || type.equals("application/octet-stream")
        || type.equals("application/x-www-form-urlencoded") || type.equals("*/*");
    if (first == '{' || first == '[') {
      return false;
    }
    if (first == '<') {
      return true;
    }
    if (generic) {
      throw PushException.badRequest("not_json_or_xml",
          "the body is neither JSON nor XML (it starts with " + printable(first) + ")", "body");
    }
    throw new PushException(415, "unsupported_media_type", "the content type " + type
        + " is not supported and the body is neither JSON nor XML: send application/json or application/xml",
        "Content-Type");
  }

  static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semi = contentType.indexOf(';');
    String t = semi >= 0 ? contentType.substring(0, semi) : contentType;
    return t.trim().toLowerCase(Locale.ROOT);
  }

  private static String printable(byte b) {
    return b >= 0x20 && b < 0x7f ? "'" + (char) b + "'" : String.format("byte 0x%02x", b & 0xff);
  }

  private static int firstNonSpace(byte[] b) {
    int i = 0;
    // Skip a UTF-8 byte order mark and leading whitespace.
    if (b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf) {
      i = 3;
    }
    while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
      i++;
    }
    return i;
  }

  private static boolean isGzip(byte[] b) {
    return b.length >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
  }

  /** Inflates a gzip body the TSD did not (no Content-Encoding header), within the same size limit. */
  private static byte[] gunzip(byte[] body, int maxBodyBytes) throws PushException {
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBodyBytes, body.length * 4));
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        if (out.size() + n > maxBodyBytes) {
          throw tooLarge(maxBodyBytes, out.size() + n);
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw PushException.badRequest("invalid_gzip", "the body looks gzip-compressed but cannot be inflated: "
          + e.getMessage(), "body");
    }
  }

  private static PushException tooLarge(int maxBodyBytes, long size) {
    return new PushException(413, "body_too_large", "the body is larger than push.max_body_bytes ("
        + maxBodyBytes + " bytes" + (size > 0 ? "; got at least " + size : "") + ")", "body");
  }
}
