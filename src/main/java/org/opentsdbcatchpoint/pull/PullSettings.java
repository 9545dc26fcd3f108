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

  public static final List<Key> KEYS;

  static {
    List<Key> keys = new ArrayList<>(Arrays.asList(ACCOUNTS, CURSOR_FILE, ADMIN_TOKEN));
    keys.addAll(PullAccountSettings.KEYS);
    KEYS = Collections.unmodifiableList(keys);
  }

  /** In the order of {@code pull.accounts}; empty when nothing is pulled. */
  public final List<PullAccountSettings> accounts;
  public final Path cursorFile;
  /** Null: pulling on demand is refused. */
  public final String adminToken;

  public PullSettings(SettingsReader r) {
    List<String> names = r.names(ACCOUNTS, "account");
    List<PullAccountSettings> read = new ArrayList<>();
    for (String name : names) {
      read.add(PullAccountSettings.read(r, name));
    }
    accounts = Collections.unmodifiableList(read);
    cursorFile = r.writableFile(CURSOR_FILE);
    adminToken = r.string(ADMIN_TOKEN);
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
    for (PullAccountSettings a : accounts) {
      for (Map.Entry<String, Object> e : a.summary().entrySet()) {
        m.put("pull." + a.name + "." + e.getKey(), e.getValue());
      }
    }
    return m;
  }
}
