package dev.taskq.dashboard;

import java.time.Duration;

/**
 * Tells the dashboard that the queue changed, so the page updates without polling the store. A seam
 * for the store's own change signal (log growth on files, LISTEN/NOTIFY on PostgreSQL).
 */
interface ChangeSignal {
  /** An opaque value that moves whenever the queue changes. */
  long mark();

  /**
   * Blocks until the mark differs from {@code mark} or {@code timeout} passes; returns the mark
   * then (equal to {@code mark} on a timeout).
   */
  long awaitChange(long mark, Duration timeout) throws InterruptedException;
}
