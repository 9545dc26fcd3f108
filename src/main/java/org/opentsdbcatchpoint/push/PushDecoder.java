package org.opentsdbcatchpoint.push;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * Turns a push body into a run: the body as {@link PushBody} reads it (size limit, gzip, JSON or
 * XML), handed to the default or template decoder. Stateless and thread-safe.
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
    PushBody raw = PushBody.of(body, contentType, maxBodyBytes);
    boolean xml = raw.xml;
    JsonNode root;
    StreamedSummary summary = null;
    if (xml) {
      root = raw.tree(maxFields);
    } else {
      int fields = FieldCount.json(raw.bytes, raw.start, raw.length(), maxFields);
      if (fields > maxFields) {
        throw tooManyFields();
      }
      JsonBody json = JsonBody.parse(raw.bytes, raw.start, raw.length(), options);
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
    RunTimes.checkRange(decoded.run().timestampSeconds(), nowSeconds, maxFutureSeconds, "run");
    return decoded;
  }

  private static String describe(JsonNode n) {
    if (n.isArray()) {
      return "an array";
    }
    return n.isTextual() ? "a string" : n.isNumber() ? "a number" : "a " + n.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  /** 413 as for a body too large: the sender must change what it sends, and nothing of it was written. */
  PushException tooManyFields() {
    return tooManyFields(maxFields);
  }

  static PushException tooManyFields(int maxFields) {
    return new PushException(413, "too_many_fields", "the body has more than push.max_fields (" + maxFields
        + ") fields; a Catchpoint run has a few hundred at most", "body");
  }
}
