package org.opentsdbcatchpoint.sink;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A TCP connection to a target without acknowledgements (carbon) turned out dead. The points written
 * on it during the last moments may be lost on the other side: carbon-cache reads them into memory and
 * drops whatever it has not yet written to disk when it stops. They come back to the forwarder, as the
 * bytes that were written, to be sent again, which Graphite makes harmless (a second write of the same
 * second overwrites the first).
 */
public final class ConnectionLostException extends IOException {
  private static final long serialVersionUID = 1L;
  private final transient List<EncodedPoints> resend;
  private final boolean beforeWrite;

  /**
   * @param resend what was written on the dead connection lately, oldest first, to be sent again
   * @param beforeWrite true when the death was noticed before anything of the current batch was written
   *     (the batch itself was not attempted)
   */
  ConnectionLostException(String message, List<EncodedPoints> resend, boolean beforeWrite, Throwable cause) {
    super(message, cause);
    this.resend = Collections.unmodifiableList(new ArrayList<>(resend));
    this.beforeWrite = beforeWrite;
  }

  List<EncodedPoints> resend() {
    return resend;
  }

  /** The points to send again. */
  int points() {
    return EncodedPoints.total(resend);
  }

  public boolean beforeWrite() {
    return beforeWrite;
  }
}
