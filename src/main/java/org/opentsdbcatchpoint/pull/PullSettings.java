package org.opentsdbcatchpoint.pull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentsdbcatchpoint.config.Key;
import org.opentsdbcatchpoint.config.SettingsReader;

/** The REST pulls: which accounts, where the cursors live, who may pull on demand. Immutable. */
public final class PullSettings {
  public static final Key ACCOUNTS = Key.of("pull.accounts", "list", null,
      "Catchpoint accounts (or divisions) to pull from over REST, comma-separated names of your choice; each "
      + "is set up with the pull.<account>.* keys. None: nothing is pulled.");
  public static final Key CURSOR_FILE = Key.of("pull.cursor_file", "path", null,
      "File where the pull cursors (per account and test: pulled up to when) survive a restart. Unset: kept in "
      + "memory only, so a restart pulls from one interval back.");
  public static final Key ADMIN_TOKEN = Key.secret("pull.admin_token", "string",
      "Secret that POST /plugin/catchpoint/pull/run and the operator page (/plugin/catchpoint/ and its data) must "
      + "carry (?token= or header X-Catchpoint-Admin-Token). Unset: pulling on demand is refused and the operator "
      + "page is open to anyone, as /health is. Never logged or shown.");

  public static final Key MODE = Key.of("pull.mode", "lease|always|never", "lease",
      "Which TSDs pull: lease (every TSD on one HBase shares the accounts and the catalog through leases in the "
      + "plugin's table: each window is pulled once), always (this TSD pulls every account, as a lone TSD), never "
      + "(push only).");
  public static final Key LEASE = Key.of("pull.lease", "duration", "60s",
      "How long a pull lease lasts: a TSD that stops renewing loses its accounts to another after this long.");
  public static final Key LEASE_RENEW = Key.of("pull.lease_renew", "duration", "20s",
      "How often a TSD renews its leases (at most half of pull.lease); it trusts a renewal for pull.lease minus this.");

  /** Which TSDs pull. */
  public enum Mode {
    LEASE, ALWAYS, NEVER
  }

  public static final List<Key> KEYS;

  static {
    List<Key> keys = new ArrayList<>(Arrays.asList(ACCOUNTS, CURSOR_FILE, ADMIN_TOKEN, MODE, LEASE, LEASE_RENEW));
    keys.addAll(PullAccountSettings.KEYS);
    KEYS = Collections.unmodifiableList(keys);
  }

  /** In the order of {@code pull.accounts}; empty when nothing is pulled. */
  public final List<PullAccountSettings> accounts;
  public final Path cursorFile;
  /** Null: pulling on demand is refused. */
  public final String adminToken;
  public final Mode mode;
  public final long leaseMillis;
  public final long leaseRenewMillis;

  public PullSettings(SettingsReader r) {
    List<String> names = r.names(ACCOUNTS, "account");
    List<PullAccountSettings> read = new ArrayList<>();
    for (String name : names) {
      read.add(PullAccountSettings.read(r, name));
    }
    accounts = Collections.unmodifiableList(read);
    cursorFile = r.writableFile(CURSOR_FILE);
    adminToken = r.string(ADMIN_TOKEN);
    mode = Mode.valueOf(r.choice(MODE, "lease", "always", "never").toUpperCase(java.util.Locale.ROOT));
    leaseMillis = r.seconds(LEASE, 10, 3600) * 1000;
    leaseRenewMillis = r.seconds(LEASE_RENEW, 1, 1800) * 1000;
    if (leaseRenewMillis * 2 > leaseMillis) {
      r.problem(LEASE_RENEW, "must be at most half of " + LEASE.fullName() + " (" + leaseMillis / 1000 + " s), not "
          + leaseRenewMillis / 1000 + " s");
    }
    // Keys of an account that pull.accounts does not name would be ignored: say so, by name.
    String prefix = Key.PREFIX + "pull.";
    for (String key : r.keysUnder(prefix)) {
      String rest = key.substring(prefix.length());
      int dot = rest.indexOf('.');
      if (dot > 0 && !names.contains(rest.substring(0, dot))) {
        r.handled(key);
        r.problem(key, "is set, but " + rest.substring(0, dot) + " is not in " + ACCOUNTS.fullName());
      }
    }
  }

  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    for (PullAccountSettings a : accounts) {
      names.add(a.name);
    }
    m.put(ACCOUNTS.name, names.isEmpty() ? "(none)" : String.join(",", names));
    m.put(CURSOR_FILE.name, cursorFile == null ? "(none)" : cursorFile.toString());
    m.put(ADMIN_TOKEN.name, adminToken == null ? "(none)" : "****");
    m.put(MODE.name, mode.name().toLowerCase(java.util.Locale.ROOT));
    m.put(LEASE.name, leaseMillis / 1000 + "s");
    m.put(LEASE_RENEW.name, leaseRenewMillis / 1000 + "s");
    for (PullAccountSettings a : accounts) {
      for (Map.Entry<String, Object> e : a.summary().entrySet()) {
        m.put("pull." + a.name + "." + e.getKey(), e.getValue());
      }
    }
    return m;
  }
}
