package org.opentsdbcatchpoint.sink;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import org.opentsdbcatchpoint.pipeline.DataPoint;

/**
 * A TCP connection to a target without acknowledgements (carbon) turned out dead. The points written
 * on it during the last moments may be lost on the other side: carbon-cache reads them into memory and
 * drops whatever it has not yet written to disk when it stops. They come back to the forwarder to be
 * sent again, which Graphite makes harmless (a second write of the same second overwrites the first).
 */
public final class ConnectionLostException extends IOException {
  private static final long serialVersionUID = 1L;
  private final transient List<DataPoint> resend;
  private final boolean beforeWrite;

  /**
   * @param resend points written on the dead connection lately, oldest first, to be sent again
   * @param beforeWrite true when the death was noticed before anything of the current batch was written
   *     (the batch itself was not attempted)
   */
  public ConnectionLostException(String message, List<DataPoint> resend, boolean beforeWrite, Throwable cause) {
    super(message, cause);
    this.resend = Collections.unmodifiableList(resend);
    this.beforeWrite = beforeWrite;
  }

  public List<DataPoint> resend() {
    return resend;
  }

  public boolean beforeWrite() {
    return beforeWrite;
  }
}
