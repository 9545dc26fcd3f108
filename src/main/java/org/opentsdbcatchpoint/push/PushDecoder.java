package org.opentsdbcatchpoint.push;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Turns a push body into a run: undoes gzip, enforces the size limit, decides the format from the
 * content type (or from the body when the type says nothing), and hands the tree to the default or
 * template decoder. Stateless and thread-safe.
 */
public final class PushDecoder {
  /** The default of {@code push.max_fields}. */
  public static final int DEFAULT_MAX_FIELDS = 5000;

  private final DecodeOptions options;
  private final int maxBodyBytes;
  private final int maxFields;
  private final long maxFutureSeconds;
  private final DefaultFormatDecoder defaultFormat;
  private final TemplateFormatDecoder templateFormat = new TemplateFormatDecoder();

  public PushDecoder(DecodeOptions options, int maxBodyBytes, long maxFutureSeconds) {
    this(options, maxBodyBytes, DEFAULT_MAX_FIELDS, maxFutureSeconds);
  }

  /**
   * @param maxFields most fields (JSON name/value pairs, XML elements and attributes) a body may have:
   *     every field may become a measurement, and a body of many is refused before anything is decoded
   */
  public PushDecoder(DecodeOptions options, int maxBodyBytes, int maxFields, long maxFutureSeconds) {
    this.options = options;
    this.defaultFormat = new DefaultFormatDecoder(options);
    this.maxBodyBytes = maxBodyBytes;
    this.maxFields = maxFields;
    this.maxFutureSeconds = maxFutureSeconds;
  }

  /**
   * @param contentType the request's Content-Type header, may be null
   * @param nowSeconds the current time, to refuse run times far in the future
   */
  public DecodedPush decode(byte[] body, String contentType, long nowSeconds) throws PushException {
    if (body.length > maxBodyBytes) {
      throw tooLarge(body.length);
    }
    if (isGzip(body)) {
      body = gunzip(body);
    }
    int start = firstNonSpace(body);
    if (start >= body.length) {
      throw PushException.badRequest("empty_body", "the body is empty", "body");
    }
    boolean xml = chooseXml(body[start], contentType);
    JsonNode root;
    StreamedSummary summary = null;
    if (xml) {
      root = XmlTrees.parse(body, start, body.length - start, maxFields);
    } else {
      int fields = FieldCount.json(body, start, body.length - start, maxFields);
      if (fields > maxFields) {
        throw tooManyFields();
      }
      JsonBody json = JsonBody.parse(body, start, body.length - start, options);
      root = json.root;
      summary = json.summary;
    }
    if (!root.isObject()) {
      throw PushException.badRequest("not_catchpoint_payload",
          "expected a JSON object (one test run), found " + describe(root), "body");
    }
    DecodedPush decoded;
    if (summary != null) {
      decoded = defaultFormat.decode(root, summary, "default-json");
    } else {
      decoded = DefaultFormatDecoder.accepts(root)
          ? defaultFormat.decode(root, xml ? "default-xml" : "default-json")
          : templateFormat.decode(root, xml ? "template-xml" : "template-json");
    }
    checkTime(decoded.run().timestampSeconds(), nowSeconds);
    return decoded;
  }

  private void checkTime(long t, long now) throws PushException {
    if (t < RunTimes.EARLIEST) {
      throw PushException.badRequest("run_time_out_of_range",
          "the run time " + t + " is before 2000-01-01: not a Catchpoint run time", "run time");
    }
    if (t > now + maxFutureSeconds) {
      throw PushException.badRequest("run_time_out_of_range", "the run time " + t + " is more than "
          + maxFutureSeconds + " s in the future (is the sender's clock or time zone wrong?)", "run time");
    }
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

  private static String describe(JsonNode n) {
    if (n.isArray()) {
      return "an array";
    }
    return n.isTextual() ? "a string" : n.isNumber() ? "a number" : "a " + n.getNodeType().name().toLowerCase(Locale.ROOT);
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
  private byte[] gunzip(byte[] body) throws PushException {
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBodyBytes, body.length * 4));
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        if (out.size() + n > maxBodyBytes) {
          throw tooLarge(out.size() + n);
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw PushException.badRequest("invalid_gzip", "the body looks gzip-compressed but cannot be inflated: "
          + e.getMessage(), "body");
    }
  }

  /** 413 as for a body too large: the sender must change what it sends, and nothing of it was written. */
  PushException tooManyFields() {
    return tooManyFields(maxFields);
  }

  static PushException tooManyFields(int maxFields) {
    return new PushException(413, "too_many_fields", "the body has more than push.max_fields (" + maxFields
        + ") fields; a Catchpoint run has a few hundred at most", "body");
  }

  private PushException tooLarge(long size) {
    return new PushException(413, "body_too_large", "the body is larger than push.max_body_bytes ("
        + maxBodyBytes + " bytes" + (size > 0 ? "; got at least " + size : "") + ")", "body");
  }
}
