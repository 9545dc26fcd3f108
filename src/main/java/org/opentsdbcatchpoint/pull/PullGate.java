package org.opentsdbcatchpoint.pull;

/**
 * Whether this TSD pulls an account now: always for a lone TSD; while it holds the account's lease
 * when several TSDs share one HBase (the lease package answers then).
 */
public interface PullGate {
  /** May a pull of the account start? Cheap: asked before every scheduled cycle. */
  boolean mayPull(String account);

  /**
   * May the pull write (a window's points, then its cursors)? Asked before each write; may renew a
   * lease it no longer trusts, so it can block for a storage round trip.
   */
  boolean confirm(String account);

  /** Who pulls the account when it is not this TSD (for the answers of /pull/run), or null. */
  default String holder(String account) {
    return null;
  }

  PullGate ALWAYS = new PullGate() {
    @Override
    public boolean mayPull(String account) {
      return true;
    }

    @Override
    public boolean confirm(String account) {
      return true;
    }
  };

  /** {@code pull.mode=never}: a push-only TSD. */
  PullGate NEVER = new PullGate() {
    @Override
    public boolean mayPull(String account) {
      return false;
    }

    @Override
    public boolean confirm(String account) {
      return false;
    }
  };
}
