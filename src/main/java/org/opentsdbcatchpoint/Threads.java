package org.opentsdbcatchpoint;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Where the plugin's threads come from: handed to the service by the TSD glue (daemon threads named
 * for what they do), and by tests (threads they control). Whoever asks for an executor shuts it down.
 */
public interface Threads {
  /** {@code threads} threads and a queue of {@code queue} tasks; a task beyond it is rejected, never waited for. */
  ExecutorService bounded(String name, int threads, int queue);

  ScheduledExecutorService scheduled(String name, int threads);
}
