package org.opentsdbcatchpoint.sink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.opentsdbcatchpoint.pipeline.DataPoint;

/** Carbon's line protocol: {@code <name> <value> <epoch seconds>\n} per point. */
public final class GraphitePlaintext implements GraphiteFormat {
  private final GraphiteNaming naming;

  public GraphitePlaintext(GraphiteNaming naming) {
    this.naming = naming;
  }

  @Override
  public Encoded encode(List<DataPoint> batch) {
    StringBuilder b = new StringBuilder(batch.size() * 160);
    List<DataPoint> encoded = new ArrayList<>(batch.size());
    int invalid = 0;
    for (DataPoint p : batch) {
      String name = Double.isFinite(p.value()) ? naming.name(p) : null;
      if (name == null) {
        invalid++;
        continue;
      }
      b.append(name).append(' ').append(Numbers.plain(p.value())).append(' ').append(p.timestampSeconds())
          .append('\n');
      encoded.add(p);
    }
    return new Encoded(b.toString().getBytes(StandardCharsets.UTF_8), encoded, invalid);
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
