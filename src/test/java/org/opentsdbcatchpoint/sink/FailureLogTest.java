package org.opentsdbcatchpoint.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A target down for long costs a few log lines: once when it starts, every minute, once when it recovers. */
class FailureLogTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private final Logger logger = (Logger) LoggerFactory.getLogger(Forwarder.class);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final FailureLog log = new FailureLog("t", "carbon 127.0.0.1:2003 (plaintext)");

  @BeforeEach
  void capture() {
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
  }

  /** The lines at INFO and above, as "LEVEL message". */
  private List<String> said() {
    List<String> out = new ArrayList<>();
    for (ILoggingEvent e : lines.list) {
      if (e.getLevel().isGreaterOrEqual(Level.INFO)) {
        out.add(e.getLevel() + " " + e.getFormattedMessage());
      }
    }
    return out;
  }

  @Test
  void aTargetFailingForMinutesIsReportedOnceAMinuteAndWhenItRecovers() {
    for (long s = 0; s <= 150; s += 5) {
      log.failing(Failure.CONNECT, "Connection refused", (int) s / 5 + 1, 100, 7, s * SECOND);
    }
    log.delivered(31, 155 * SECOND);
    assertEquals(java.util.Arrays.asList(
        "WARN forwarder t (carbon 127.0.0.1:2003 (plaintext)): connect: Connection refused; 100 points kept and "
            + "retried with backoff",
        "WARN forwarder t (carbon 127.0.0.1:2003 (plaintext)): still failing (13 attempts): connect: Connection "
            + "refused; 100 points kept, 7 waiting in the queue",
        "WARN forwarder t (carbon 127.0.0.1:2003 (plaintext)): still failing (25 attempts): connect: Connection "
            + "refused; 100 points kept, 7 waiting in the queue",
        "INFO forwarder t (carbon 127.0.0.1:2003 (plaintext)): delivering again after 31 failed attempts over 155 s"),
        said());
    lines.list.clear();
    log.delivered(0, 200 * SECOND);
    assertEquals(0, said().size(), "a delivery after a delivery says nothing");
    log.failing(Failure.TIMEOUT, "timed out", 1, 5, 0, 201 * SECOND);
    log.failing(Failure.TIMEOUT, "timed out", 2, 5, 0, 230 * SECOND);
    assertEquals(1, said().size(), "a new run of failures starts its own minute");
  }

  @Test
  void refusedBatchesAndReplacedConnectionsAreThrottled() {
    for (long s = 0; s < 70; s++) {
      log.dropped(Failure.REJECTED, "HTTP 400: bad line", 10, new HttpStatusException(400, "bad line", 0), s * SECOND);
      log.reconnected("connection to 127.0.0.1:2003 lost (closed by carbon)", s * SECOND);
    }
    List<String> said = said();
    assertEquals(2, said.stream().filter(l -> l.contains("refused a batch of 10 points for good")).count(),
        "once a minute");
    assertEquals(7, said.stream().filter(l -> l.startsWith("INFO") && l.contains("lost (closed by carbon)")).count(),
        "once every ten seconds");
  }
}
