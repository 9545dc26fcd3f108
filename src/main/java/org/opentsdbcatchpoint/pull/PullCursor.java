package org.opentsdbcatchpoint.pull;

import java.util.Objects;

/**
 * How far one test of one account has been pulled: every run with a run time before
 * {@link #position()} (epoch seconds, UTC, exclusive) was written and acknowledged by storage. It
 * moves only after a window's points were acknowledged, so a crash repeats a window (harmless: the
 * same run writes the same cells) and never skips one.
 */
public final class PullCursor {
  private final String account;
  private final long testId;
  private final long position;

  public PullCursor(String account, long testId, long position) {
    this.account = Objects.requireNonNull(account, "account");
    this.testId = testId;
    this.position = position;
  }

  public String account() {
    return account;
  }

  public long testId() {
    return testId;
  }

  /** Epoch seconds: runs before this time are stored. */
  public long position() {
    return position;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PullCursor)) {
      return false;
    }
    PullCursor c = (PullCursor) o;
    return account.equals(c.account) && testId == c.testId && position == c.position;
  }

  @Override
  public int hashCode() {
    return Objects.hash(account, testId, position);
  }

  @Override
  public String toString() {
    return account + "/" + testId + "@" + position;
  }
}
