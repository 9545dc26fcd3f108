package org.opentsdbcatchpoint.push;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentsdbcatchpoint.config.Key;
import org.opentsdbcatchpoint.config.SettingsReader;

/** The push endpoint's settings ({@code tsd.plugin.catchpoint.push.*}). Immutable. */
public final class PushSettings {
  public static final Key TOKEN = Key.secret("push.token", "string",
      "Secret that every push must carry (?token= or /push/SECRET). Required unless push.allow_anonymous=true.");
  public static final Key PREVIOUS_TOKEN = Key.secret("push.previous_token", "string",
      "During a rotation of push.token: the token it replaces, still accepted (pushes and alerts); each request "
      + "that carries it counts in catchpoint.push.previous_token_used. Unset it once that counter stops growing.");
  public static final Key ALLOW_ANONYMOUS = Key.of("push.allow_anonymous", "boolean", "false",
      "Accept pushes without a token. Only for a TSD that nothing untrusted can reach.");
  public static final Key MAX_BODY = Key.of("push.max_body_bytes", "integer", "1048576",
      "Largest push body accepted, after gzip is undone; larger bodies get 413.");
  public static final Key MAX_FIELDS = Key.of("push.max_fields", "integer", "5000",
      "Most fields (JSON name/value pairs, XML elements and attributes) a push body may have; more get 413 before "
      + "anything is decoded. A Catchpoint run has a few hundred at most.");
  public static final Key ACK_TIMEOUT = Key.of("push.ack_timeout_ms", "integer", "10000",
      "The deadline of a push, from its arrival: a push whose points storage has not all acknowledged by then is "
      + "answered 503 (Catchpoint waits 20 s).");
  public static final Key MAX_FUTURE = Key.of("push.max_future_seconds", "integer", "86400",
      "Run times further in the future than this are refused with 400 (a wrong clock or time zone).");
  public static final Key WRITE_THREADS = Key.of("push.write_threads", "integer", "4",
      "Threads that hand points to the TSD (new tag values cost a blocking lookup; kept off Netty's threads).");
  public static final Key WRITE_QUEUE = Key.of("push.write_queue", "integer", "1000",
      "Pushes waiting for a write thread; beyond this a push gets 503 and Catchpoint retries.");
  public static final Key TRACEROUTE_PER_HOP = Key.of("push.traceroute.per_hop", "boolean", "false",
      "Also write catchpoint.traceroute.hop_rtt_avg and hop_loss_pct per hop (tag hop): one series per hop.");
  public static final Key HOST_COLLECTIONS = Key.of("push.host_collections", "boolean", "false",
      "Write Summary.HostCollections as catchpoint.host.* tagged host (high cardinality).");
  public static final Key CONTENT_ZONES = Key.of("push.content_zones", "boolean", "false",
      "Write Summary.ContentZones as catchpoint.zone.* tagged zone (high cardinality).");

  public static final List<Key> KEYS = Collections.unmodifiableList(Arrays.asList(TOKEN, PREVIOUS_TOKEN, ALLOW_ANONYMOUS, MAX_BODY,
      MAX_FIELDS, ACK_TIMEOUT, MAX_FUTURE, WRITE_THREADS, WRITE_QUEUE, TRACEROUTE_PER_HOP, HOST_COLLECTIONS,
      CONTENT_ZONES));

  /** Null when anonymous pushes are allowed. */
  public final String token;
  /** The token push.token replaces, accepted too during a rotation; null outside one. */
  public final String previousToken;
  public final boolean allowAnonymous;
  public final int maxBodyBytes;
  public final int maxFields;
  public final long ackTimeoutMillis;
  public final long maxFutureSeconds;
  public final int writeThreads;
  public final int writeQueue;
  public final DecodeOptions decodeOptions;

  public PushSettings(SettingsReader r) {
    token = r.string(TOKEN);
    previousToken = r.string(PREVIOUS_TOKEN);
    allowAnonymous = r.bool(ALLOW_ANONYMOUS);
    maxBodyBytes = (int) r.integer(MAX_BODY, 1024, 64L * 1024 * 1024);
    maxFields = (int) r.integer(MAX_FIELDS, 10, 1_000_000);
    ackTimeoutMillis = r.integer(ACK_TIMEOUT, 100, 19_000);
    maxFutureSeconds = r.integer(MAX_FUTURE, 0, 366L * 86400);
    writeThreads = (int) r.integer(WRITE_THREADS, 1, 256);
    writeQueue = (int) r.integer(WRITE_QUEUE, 1, 1_000_000);
    decodeOptions = new DecodeOptions(r.bool(TRACEROUTE_PER_HOP), r.bool(HOST_COLLECTIONS), r.bool(CONTENT_ZONES));
    if (token == null && !allowAnonymous) {
      r.problem(TOKEN, "is not set: set a secret, or set " + ALLOW_ANONYMOUS.fullName()
          + "=true to accept pushes from anyone");
    }
    if (previousToken != null && token == null) {
      r.problem(PREVIOUS_TOKEN, "is set without " + TOKEN.fullName() + ": set the new token there");
    } else if (previousToken != null && previousToken.equals(token)) {
      r.problem(PREVIOUS_TOKEN, "is the same as " + TOKEN.fullName() + ": set the token it replaces, or unset it");
    }
  }

  public PushDecoder decoder() {
    return new PushDecoder(decodeOptions, maxBodyBytes, maxFields, maxFutureSeconds);
  }

  /** For display: the token masked. */
  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(TOKEN.name, token == null ? "(none)" : "****");
    m.put(PREVIOUS_TOKEN.name, previousToken == null ? "(none)" : "****");
    m.put(ALLOW_ANONYMOUS.name, allowAnonymous);
    m.put(MAX_BODY.name, maxBodyBytes);
    m.put(MAX_FIELDS.name, maxFields);
    m.put(ACK_TIMEOUT.name, ackTimeoutMillis);
    m.put(MAX_FUTURE.name, maxFutureSeconds);
    m.put(WRITE_THREADS.name, writeThreads);
    m.put(WRITE_QUEUE.name, writeQueue);
    m.put(TRACEROUTE_PER_HOP.name, decodeOptions.traceroutePerHop);
    m.put(HOST_COLLECTIONS.name, decodeOptions.hostCollections);
    m.put(CONTENT_ZONES.name, decodeOptions.contentZones);
    return m;
  }
}
