package org.opentsdbcatchpoint.sink;

import java.nio.ByteBuffer;

/** Carbon's line protocol: {@code <name> <value> <epoch seconds>\n} per point. */
public final class GraphitePlaintext implements GraphiteFormat {
  private final GraphiteNaming naming;

  public GraphitePlaintext(GraphiteNaming naming) {
    this.naming = naming;
  }

  @Override
  public EncodedPoints encode(PointRing batch) {
    EncodedPoints.Builder b = new EncodedPoints.Builder(batch.size() * 160);
    for (int i = 0; i < batch.size(); i++) {
      double value = batch.value(i);
      String name = Double.isFinite(value) ? naming.name(batch.metric(i), batch.tags(i)) : null;
      if (name == null) {
        continue;
      }
      b.writeText(name).write(' ').writeText(Numbers.plain(value)).write(' ')
          .writeText(Long.toString(batch.seconds(i))).write('\n').endPoint();
    }
    return b.build();
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
