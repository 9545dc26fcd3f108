package org.opentsdbcatchpoint.sink;

import io.airlift.compress.snappy.SnappyCompressor;
import java.util.Arrays;

/**
 * Snappy block compression (not the framed format), as remote write wants it: aircompressor's pure-Java
 * encoder, shaded into the plugin's jar under {@code org.opentsdbcatchpoint.shaded}. One per sender
 * thread.
 */
final class Snappy {
  private final SnappyCompressor compressor = new SnappyCompressor();
  private byte[] out = new byte[0];

  byte[] compress(byte[] in) {
    int max = compressor.maxCompressedLength(in.length);
    if (out.length < max) {
      out = new byte[max];
    }
    int n = compressor.compress(in, 0, in.length, out, 0, max);
    return Arrays.copyOf(out, n);
  }
}
