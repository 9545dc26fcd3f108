package org.opentsdbcatchpoint.sink;

import java.nio.ByteBuffer;

/** Carbon's line protocol: {@code <name> <value> <epoch seconds>\n} per point. */
public final class GraphitePlaintext implements GraphiteFormat {
  private final GraphiteNaming naming;

  public GraphitePlaintext(GraphiteNaming naming) {
    this.naming = naming;
  }

  @Override
  public GraphiteNaming naming() {
    return naming;
  }

  @Override
  public void write(EncodedPoints.Builder out, String name, long seconds, double value) {
    out.writeText(name).write(' ').writeText(Numbers.plain(value)).write(' ').writeText(Long.toString(seconds))
        .write('\n');
  }

  @Override
  public ByteBuffer[] wire(EncodedPoints points) {
    return new ByteBuffer[] {ByteBuffer.wrap(points.bytes(), points.start(0), points.end() - points.start(0))};
  }

  @Override
  public String protocol() {
    return "plaintext";
  }

  @Override
  public int defaultPort() {
    return 2003;
  }
}
