#!/usr/bin/env bash
#
# tsd.sh - a real local OpenTSDB 2.4.1 + HBase 2.5 stack for trying and testing the
# opentsdb-catchpoint plugin. Everything comes from Maven Central; everything listens
# on 127.0.0.1 only.
#
# Usage: integration-tests/tsd.sh COMMAND [NAME [SIGNAL]]
#
# Commands:
#   start        Build the plugin jar when target/ has none or src/main is newer, fetch the stack's jars (once),
#                start HBase, create the OpenTSDB tables if missing, start the TSD and
#                wait until it answers on TSD_READY_PATH. A no-op on a running stack.
#   stop         Stop the extra TSDs, the TSD, then HBase (SIGTERM, then SIGKILL after 30 s).
#                Idempotent. Also stops the fake Catchpoint when one runs.
#   status       Show whether HBase and the TSD run, and list the extra TSDs. Exit 0 if HBase
#                and the TSD run, 3 otherwise (the extra TSDs do not count).
#   stop-hbase   Stop only HBase, leaving the TSD up (to simulate a storage outage).
#   start-hbase  Start only HBase again (and create missing tables).
#   pause-hbase  Freeze HBase (SIGSTOP): its connections stay open and nothing answers, as
#                when a region server stalls in a long GC.
#   resume-hbase Let a paused HBase run again (SIGCONT).
#   restart-tsd  Restart only the TSD with the opentsdb.conf written by the last start
#                (picks up a rebuilt plugin jar).
#   logs         Show the tail of HBase's, the TSD's and each extra TSD's log (LOG_LINES lines
#                each, default 40).
#   create-tables SPEC...  Create each HBase table TABLE:FAMILY[,FAMILY...] that is missing, as start
#                creates OpenTSDB's: a second set of tables for a TSD that must not share the stack's
#                data (tsd.storage.hbase.data_table, uid_table, tree_table, meta_table in its conf).
#   compact-table NAME  Flush the HBase table NAME, major-compact it, wait until that is done and
#                print the size of its store files: "NAME: N bytes in F store files ..." (the
#                benchmark's bytes per run).
#
# Extra TSDs: more TSDs on the same running HBase, each called NAME (a-z, 0-9, -) with its
# own port, opentsdb.conf, cache dir, logs and pid in STACK_DIR/tsds/NAME/.
#   tsd-start NAME   Start the extra TSD NAME on EXTRA_TSD_PORT, or restart it if it runs, and wait
#                until it answers on TSD_READY_PATH as start does. Its opentsdb.conf is written anew
#                each time, as start writes the TSD's: the same lines but its own port and cache
#                dir, the TSD's push token and catalog file (read from STACK_DIR/opentsdb.conf) unless
#                CATCHPOINT_PUSH_TOKEN or CATALOG_FILE is set, then TSD_CONF_EXTRA applied.
#                TSD_EXTRA_CLASSPATH, TSD_HEAP and TSD_START_TIMEOUT as for the TSD. The TSD's own
#                files are left alone.
#   tsd-stop NAME    Stop it (SIGTERM, then SIGKILL after 30 s).
#   tsd-signal NAME SIGNAL  Send KILL, STOP, CONT or TERM to its JVM (after KILL, wait until it is
#                gone and remove its pid file).
#   tsd-list     One line per extra TSD ever started here: NAME PORT PID STATE, where STATE is
#                running, paused (after STOP) or stopped (PID is then -).
#
# Environment (defaults in brackets). A stack remembers the ports and token of the
# start that created it in STACK_DIR/stack.env; an explicit variable overrides that.
#   STACK_DIR          where this stack keeps data, config, logs, pids [PROJECT/.run/stack]
#   STACK_LIB_DIR      jars, shareable by several stacks             [PROJECT/.run/lib]
#   TSD_PORT           TSD HTTP/telnet port                           [4242]
#   ZK_PORT            ZooKeeper client port (inside the HBase JVM)   [2181]
#   HBASE_MASTER_PORT  HBase master RPC port                          [16000]
#   HBASE_RS_PORT      HBase region server RPC port                   [16020]
#   TSD_HEAP           TSD -Xmx                                       [512m]
#   JAVA_HOME          the JDK the TSDs run on: JAVA_HOME/bin/java   [java on PATH]
#   TSD_JAVA_HOME      the same, and it wins over JAVA_HOME: the tests' second pass on
#                      another JDK sets it. The java a stack's first start chose is kept in
#                      stack.env, so restart-tsd and tsd-start use it again unless one of
#                      these two says otherwise. HBase and the fake stay on java from PATH.
#   HBASE_HEAP         HBase -Xmx                                     [1g]
#   CATCHPOINT_PUSH_TOKEN  push token; otherwise one is generated once and kept in
#                      STACK_DIR/push-token
#   CATALOG_FILE       node catalog for the plugin [PROJECT/plugin-config/nodes-sample.json
#                      if that exists, else the key is left out]
#   TSD_CONF_EXTRA     a file of extra opentsdb.conf lines; a key it sets replaces the
#                      generated line for that key. @TSD_DIR@ in it becomes the TSD's own
#                      directory (STACK_DIR, or STACK_DIR/tsds/NAME for an extra TSD)
#   EXTRA_TSD_PORT     tsd-start NAME's port: needed at NAME's first start, then remembered in
#                      STACK_DIR/tsds/NAME/port (setting it again moves NAME to the new port)
#   TSD_EXTRA_CLASSPATH  jars put on the TSD's class path after the plugin's (the benchmark's
#                      own plugin jar); give it to every command that starts the TSD
#   TSD_READY_PATH     path polled until it answers 200 [/plugin/catchpoint/health, or
#                      /api/version when opentsdb.conf does not load the plugin]
#   HBASE_START_TIMEOUT, TSD_START_TIMEOUT  seconds to wait for readiness [120, 60]
#   STACK_NO_PLUGIN=1  debugging escape hatch: run a bare TSD without the plugin (no
#                      build, no plugin jar, no plugin lines in opentsdb.conf)
#   FAKE_CATCHPOINT=1  start also a fake Catchpoint (stack/FakeCatchpoint.java with the run
#                      generator it shares with the benchmark, stack/java: REST v1 and
#                      v2 with synthetic data about now), before the TSD, to try REST pulls
#                      without an account. Setting FAKE_CATCHPOINT_PORT implies it. In the
#                      TSD_CONF_EXTRA file, @FAKE_CATCHPOINT_URL@ becomes its URL
#                      (http://127.0.0.1:PORT; v1 base_url is that + /ui/api, v2's + /api/v2).
#   FAKE_CATCHPOINT_PORT  its port                                    [4280]
#   FAKE_CATCHPOINT_ARGS  more arguments for it, e.g. "--types 1002:ping" (see its header)
#
# Files in STACK_DIR: hbase.log, tsd.log (logback) and tsd.out (the TSD's stdout/stderr),
# hbase.pid, tsd.pid, opentsdb.conf, logback.xml, cache/, hbase-conf/, hbase-data/, push-token,
# fake-catchpoint.log, fake-catchpoint.pid and fake-catchpoint-classes/ when the fake runs, and
# tsds/NAME/ for each extra TSD: port, opentsdb.conf, logback.xml, tsd.log, tsd.out, tsd.pid, cache/.

set -euo pipefail

IT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROJECT_ROOT="$(cd "$IT_DIR/.." && pwd)"
STACK_SRC="$IT_DIR/stack"

# Relative directories are taken from the caller's cwd, then made absolute: the JVMs
# and the generated configs must not depend on where the script was run from.
abs_path() {
  if command -v realpath >/dev/null 2>&1; then
    realpath -m -- "$1"
  else
    case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac
  fi
}
STACK_DIR="$(abs_path "${STACK_DIR:-$PROJECT_ROOT/.run/stack}")"
STACK_LIB_DIR="$(abs_path "${STACK_LIB_DIR:-$PROJECT_ROOT/.run/lib}")"
HBASE_LIB="$STACK_LIB_DIR/hbase"
TSD_LIB="$STACK_LIB_DIR/tsd"

HBASE_CONF_DIR="$STACK_DIR/hbase-conf"
HBASE_PID="$STACK_DIR/hbase.pid"
HBASE_LOG="$STACK_DIR/hbase.log"
# The main TSD's files (tsd_pidfile, tsd_logfile, tsd_conf of STACK_DIR), for the commands.
TSD_PID="$STACK_DIR/tsd.pid"
TSD_LOG="$STACK_DIR/tsd.log"
TSD_CONF="$STACK_DIR/opentsdb.conf"
STACK_ENV="$STACK_DIR/stack.env"
TOKEN_FILE="$STACK_DIR/push-token"
FAKE_PID="$STACK_DIR/fake-catchpoint.pid"
FAKE_LOG="$STACK_DIR/fake-catchpoint.log"

HBASE_MAIN="org.apache.hadoop.hbase.master.HMaster"
TSD_MAIN="net.opentsdb.tools.TSDMain"
# The fake's class (default package). live_pid looks for it on the command line, which also finds a
# fake started by an older tsd.sh from FakeCatchpoint.java with the single-file launcher.
FAKE_MAIN="FakeCatchpoint"
FAKE_CLASSES="$STACK_DIR/fake-catchpoint-classes"
# Decided before load_settings fills in a remembered port: only the caller's environment asks for it.
FAKE_WANTED=0
[[ "${FAKE_CATCHPOINT:-0}" == 1 || -n "${FAKE_CATCHPOINT_PORT:-}" ]] && FAKE_WANTED=1

STACK_NO_PLUGIN="${STACK_NO_PLUGIN:-0}"
HBASE_HEAP="${HBASE_HEAP:-1g}"
TSD_HEAP="${TSD_HEAP:-512m}"
HBASE_START_TIMEOUT="${HBASE_START_TIMEOUT:-120}"
TSD_START_TIMEOUT="${TSD_START_TIMEOUT:-60}"
STOP_TIMEOUT="${STOP_TIMEOUT:-30}"
LOG_LINES="${LOG_LINES:-40}"

# HBase 2.5 on JDK 17: without java.nio opened it still runs, but its check of
# java.nio.Bits.unaligned() fails (InaccessibleObjectException in the log) and it falls
# back to slower byte-by-byte reads and writes instead of Unsafe. With this one flag the
# log is clean; no other --add-opens turned out to be needed for this stack.
HBASE_JDK_FLAGS=(--add-opens java.base/java.nio=ALL-UNNAMED)

log() { printf '[tsd.sh] %s\n' "$*"; }
die() { printf '[tsd.sh] ERROR: %s\n' "$*" >&2; exit 1; }

usage() { sed -n '3,/^$/{s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

# ---------------------------------------------------------------------------------------
# Settings: explicit environment, else what this stack was started with, else defaults.
# ---------------------------------------------------------------------------------------

load_settings() {
  local saved_TSD_PORT="" saved_ZK_PORT="" saved_HBASE_MASTER_PORT="" saved_HBASE_RS_PORT=""
  local saved_FAKE_CATCHPOINT_PORT="" saved_TSD_JAVA=""
  if [[ -f "$STACK_ENV" ]]; then
    # Only simple KEY=digits lines and the TSD_JAVA path are read: the file is data, not a script
    # to source.
    local key value
    while IFS='=' read -r key value; do
      if [[ "$key" == TSD_JAVA && "$value" =~ ^/[A-Za-z0-9._/+-]+$ ]]; then
        saved_TSD_JAVA="$value"
        continue
      fi
      [[ "$value" =~ ^[0-9]+$ ]] || continue
      case "$key" in
        TSD_PORT|ZK_PORT|HBASE_MASTER_PORT|HBASE_RS_PORT|FAKE_CATCHPOINT_PORT) printf -v "saved_$key" '%s' "$value" ;;
      esac
    done < "$STACK_ENV"
  fi
  TSD_PORT="${TSD_PORT:-${saved_TSD_PORT:-4242}}"
  ZK_PORT="${ZK_PORT:-${saved_ZK_PORT:-2181}}"
  HBASE_MASTER_PORT="${HBASE_MASTER_PORT:-${saved_HBASE_MASTER_PORT:-16000}}"
  HBASE_RS_PORT="${HBASE_RS_PORT:-${saved_HBASE_RS_PORT:-16020}}"
  FAKE_CATCHPOINT_PORT="${FAKE_CATCHPOINT_PORT:-${saved_FAKE_CATCHPOINT_PORT:-4280}}"
  if [[ -n "${TSD_JAVA_HOME:-}" ]]; then
    TSD_JAVA="$TSD_JAVA_HOME/bin/java"
  elif [[ -n "$saved_TSD_JAVA" ]]; then
    TSD_JAVA="$saved_TSD_JAVA"
  elif [[ -n "${JAVA_HOME:-}" ]]; then
    TSD_JAVA="$JAVA_HOME/bin/java"
  else
    TSD_JAVA="$(command -v java)" || die "no java on PATH and no JAVA_HOME"
  fi
  TSD_JAVA="$(abs_path "$TSD_JAVA")"
}

save_settings() {
  mkdir -p "$STACK_DIR"
  printf 'TSD_PORT=%s\nZK_PORT=%s\nHBASE_MASTER_PORT=%s\nHBASE_RS_PORT=%s\nFAKE_CATCHPOINT_PORT=%s\nTSD_JAVA=%s\n' \
    "$TSD_PORT" "$ZK_PORT" "$HBASE_MASTER_PORT" "$HBASE_RS_PORT" "$FAKE_CATCHPOINT_PORT" "$TSD_JAVA" > "$STACK_ENV"
}

# The push token survives restarts so a configured Catchpoint webhook keeps working.
push_token() {
  if [[ -n "${CATCHPOINT_PUSH_TOKEN:-}" ]]; then
    printf '%s\n' "$CATCHPOINT_PUSH_TOKEN"
    return
  fi
  if [[ ! -s "$TOKEN_FILE" ]]; then
    mkdir -p "$STACK_DIR"
    local token
    if command -v openssl >/dev/null 2>&1; then
      token="$(openssl rand -hex 16)"
    else
      token="$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
    fi
    (umask 077 && printf '%s\n' "$token" > "$TOKEN_FILE")
  fi
  head -n1 "$TOKEN_FILE"
}

# ---------------------------------------------------------------------------------------
# Processes
# ---------------------------------------------------------------------------------------

# Prints the pid from PIDFILE if that process is alive and still runs MAIN_CLASS (a pid
# file left by a crash may name a pid the kernel has since given to something else).
live_pid() {
  local pidfile="$1" main_class="$2" pid
  [[ -f "$pidfile" ]] || return 1
  pid="$(head -n1 "$pidfile" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    [[ "$(tr '\0' ' ' < "/proc/$pid/cmdline")" == *"$main_class"* ]] || return 1
  fi
  printf '%s\n' "$pid"
}

# Starts a command detached from this shell (own session, no stdin, output to LOGFILE)
# and records its pid. The inner shell writes its own pid and then execs the command,
# so the recorded pid is the JVM's whether or not setsid had to fork.
spawn() {
  local pidfile="$1" logfile="$2"; shift 2
  local launcher=()
  command -v setsid >/dev/null 2>&1 && launcher=(setsid) || launcher=(nohup)
  rm -f "$pidfile"
  # shellcheck disable=SC2016 # $$ and $@ belong to the inner shell
  "${launcher[@]}" bash -c 'echo $$ > "$0"; exec "$@"' "$pidfile" "$@" \
    < /dev/null >> "$logfile" 2>&1 &
  local i
  for i in $(seq 1 50); do
    [[ -s "$pidfile" ]] && return 0
    sleep 0.1
  done
  die "could not start $*"
}

# SIGTERM, wait up to STOP_TIMEOUT seconds, then SIGKILL. A SIGCONT follows the SIGTERM, so that
# a process paused with SIGSTOP stops as cleanly as a running one.
stop_process() {
  local name="$1" pidfile="$2" main_class="$3" pid i
  if ! pid="$(live_pid "$pidfile" "$main_class")"; then
    rm -f "$pidfile"
    log "$name: not running"
    return 0
  fi
  log "$name: stopping (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  kill -CONT "$pid" 2>/dev/null || true
  for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name: still running after ${STOP_TIMEOUT}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$pidfile"
  log "$name: stopped"
}

# True if something accepts connections on 127.0.0.1:PORT. Uses bash's /dev/tcp, so no
# curl or nc is needed.
port_open() {
  (exec 3<> "/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

require_free_port() {
  local what="$1" port="$2"
  if port_open "$port"; then
    die "$what port $port on 127.0.0.1 is already in use (another stack? set a different port)"
  fi
}

# Prints the HTTP status code of GET http://127.0.0.1:PORT/PATH, or 000 if there is no
# answer. curl when it is there; otherwise a bare HTTP/1.0 request over /dev/tcp.
http_status() {
  local port="$1" path="$2"
  if command -v curl >/dev/null 2>&1; then
    curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port$path" || true
    return 0
  fi
  local code
  code="$(
    exec 2>/dev/null
    exec 3<> "/dev/tcp/127.0.0.1/$port" || exit 0
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$path" "$port" >&3
    local line=""
    IFS= read -r -t 5 line <&3 || true
    exec 3<&-
    # "HTTP/1.1 200 OK" -> 200
    line="${line#* }"
    printf '%s' "${line%% *}"
  )" || true
  printf '%s' "${code:-000}"
}

show_tail() {
  local file="$1" lines="${2:-$LOG_LINES}"
  if [[ -f "$file" ]]; then
    printf -- '----- last %s lines of %s -----\n' "$lines" "$file"
    tail -n "$lines" "$file"
    printf -- '-----\n'
  else
    printf -- '----- %s: no such file -----\n' "$file"
  fi
}

# Keeps the previous run's log as FILE.1, so the tail printed on failure is this run's.
rotate_log() {
  [[ -f "$1" ]] && mv -f "$1" "$1.1"
  : > "$1"
}

# ---------------------------------------------------------------------------------------
# Jars
# ---------------------------------------------------------------------------------------

# The plugin jar in target/, ignoring the shade plugin's original-*, sources, javadoc
# and test jars. Prints nothing if there is none.
find_plugin_jar() {
  local jar
  for jar in "$PROJECT_ROOT"/target/opentsdb-catchpoint-*.jar; do
    [[ -f "$jar" ]] || continue
    case "$(basename "$jar")" in
      original-*|*-sources.jar|*-tests.jar|*-javadoc.jar) continue ;;
    esac
    printf '%s\n' "$jar"
    return 0
  done
}

ensure_plugin_jar() {
  [[ "$STACK_NO_PLUGIN" == 1 ]] && return 0
  local jar
  jar="$(find_plugin_jar)"
  # Build when there is no jar, or when a source is newer than it (a stale jar is a trap).
  if [[ -z "$jar" ]] || [[ -n "$(find "$PROJECT_ROOT/pom.xml" "$PROJECT_ROOT/src/main" -newer "$jar" -print -quit)" ]]; then
    log "building the plugin jar (mvn -DskipTests package)"
    mkdir -p "$STACK_DIR"
    run_mvn "$STACK_DIR/plugin-build.log" -f "$PROJECT_ROOT/pom.xml" -DskipTests package \
      || die "plugin build failed (full output: $STACK_DIR/plugin-build.log)"
  fi
  [[ -n "$(find_plugin_jar)" ]] || die "the build made no target/opentsdb-catchpoint-*.jar"
}

# Runs Maven quietly with its output in LOGFILE, shown only when it fails (even with -q,
# Maven 3.8 prints colour codes to a terminal-less stdout).
run_mvn() {
  local logfile="$1"; shift
  if ! mvn -B -q -Dstyle.color=never "$@" > "$logfile" 2>&1; then
    show_tail "$logfile" 60 >&2
    return 1
  fi
}

# Copies one profile's jars into STACK_LIB_DIR/NAME. A marker holding the checksum of
# stack/pom.xml says the copy finished for this pom, so a later start (or another stack
# sharing the lib dir) skips Maven, and a changed pom fetches again.
fetch_libs() {
  local name="$1" dir="$STACK_LIB_DIR/$1" marker="$STACK_LIB_DIR/$1/.complete" sum
  sum="$(cksum < "$STACK_SRC/pom.xml")"
  if [[ -f "$marker" && "$(cat "$marker")" == "$sum" ]]; then
    return 0
  fi
  log "fetching $name jars into $dir (Maven; slow only the first time)"
  rm -rf "$dir"
  run_mvn "$STACK_LIB_DIR/fetch-$name.log" -f "$STACK_SRC/pom.xml" -P "$name" \
    -Dstack.lib.dir="$STACK_LIB_DIR" validate \
    || die "could not fetch the $name jars (full output: $STACK_LIB_DIR/fetch-$name.log)"
  printf '%s\n' "$sum" > "$marker"
}

ensure_libs() {
  fetch_libs hbase
  fetch_libs tsd
}

# Runs a command holding a lock on STACK_LIB_DIR: two stacks started at once share the
# lib dir and the project, and must not download into, or build, the same files together.
# In a subshell, so the lock's descriptor is not inherited by the servers started later.
with_lock() {
  mkdir -p "$STACK_LIB_DIR"
  if command -v flock >/dev/null 2>&1; then
    (
      if ! flock -n 9; then
        log "waiting for another tsd.sh preparing $STACK_LIB_DIR"
        flock 9
      fi
      "$@"
    ) 9> "$STACK_LIB_DIR/.lock"
  else
    "$@"
  fi
}

prepare() {
  ensure_plugin_jar
  ensure_libs
}

# ---------------------------------------------------------------------------------------
# HBase
# ---------------------------------------------------------------------------------------

prop() { printf '  <property><name>%s</name><value>%s</value></property>\n' "$1" "$2"; }

write_hbase_conf() {
  mkdir -p "$HBASE_CONF_DIR" "$STACK_DIR/hbase-data" "$STACK_DIR/hbase-tmp"
  {
    printf '<?xml version="1.0"?>\n<!-- Written by integration-tests/tsd.sh; rewritten at every HBase start. -->\n<configuration>\n'
    prop hbase.cluster.distributed false
    prop hbase.rootdir "file://$STACK_DIR/hbase-data/hbase"
    prop hbase.tmp.dir "$STACK_DIR/hbase-tmp"
    prop hbase.zookeeper.quorum 127.0.0.1
    prop hbase.zookeeper.property.clientPort "$ZK_PORT"
    prop hbase.zookeeper.property.clientPortAddress 127.0.0.1
    prop hbase.zookeeper.property.dataDir "$STACK_DIR/hbase-data/zookeeper"
    prop hbase.unsafe.stream.capability.enforce false
    prop hbase.master.port "$HBASE_MASTER_PORT"
    prop hbase.master.info.port -1
    prop hbase.master.hostname localhost
    prop hbase.master.ipc.address 127.0.0.1
    prop hbase.regionserver.port "$HBASE_RS_PORT"
    prop hbase.regionserver.info.port -1
    prop hbase.regionserver.hostname localhost
    prop hbase.regionserver.ipc.address 127.0.0.1
    printf '</configuration>\n'
  } > "$HBASE_CONF_DIR/hbase-site.xml"
  cp "$STACK_SRC/hbase-log4j.properties" "$HBASE_CONF_DIR/log4j.properties"
  cp "$STACK_SRC/client-log4j.properties" "$HBASE_CONF_DIR/client-log4j.properties"
}

start_hbase() {
  local pid
  if pid="$(live_pid "$HBASE_PID" "$HBASE_MAIN")"; then
    log "hbase: already running (pid $pid)"
    return 0
  fi
  require_free_port ZooKeeper "$ZK_PORT"
  require_free_port "HBase master" "$HBASE_MASTER_PORT"
  require_free_port "HBase region server" "$HBASE_RS_PORT"
  write_hbase_conf
  rotate_log "$HBASE_LOG"
  log "hbase: starting (zk 127.0.0.1:$ZK_PORT, master $HBASE_MASTER_PORT, rs $HBASE_RS_PORT)"
  spawn "$HBASE_PID" "$HBASE_LOG" \
    java "-Xmx$HBASE_HEAP" "${HBASE_JDK_FLAGS[@]}" -Djava.net.preferIPv4Stack=true \
    -Dlog4j.configuration="file:$HBASE_CONF_DIR/log4j.properties" \
    -cp "$HBASE_CONF_DIR:$HBASE_LIB/*" "$HBASE_MAIN" start
  wait_for_hbase
}

# The master logs this line once meta and namespace are online and it accepts DDL.
wait_for_hbase() {
  local start=$SECONDS
  while ((SECONDS - start < HBASE_START_TIMEOUT)); do
    if ! live_pid "$HBASE_PID" "$HBASE_MAIN" >/dev/null; then
      show_tail "$HBASE_LOG"
      die "hbase exited during startup (log: $HBASE_LOG)"
    fi
    if grep -q "Master has completed initialization" "$HBASE_LOG"; then
      log "hbase: ready after $((SECONDS - start))s"
      return 0
    fi
    sleep 1
  done
  show_tail "$HBASE_LOG"
  # Stopped so that the next start begins afresh instead of finding it "running".
  stop_process hbase "$HBASE_PID" "$HBASE_MAIN" >&2
  die "hbase not ready after ${HBASE_START_TIMEOUT}s (log: $HBASE_LOG)"
}

# OpenTSDB's create_table.sh needs the HBase shell (JRuby), which the jars lack: a single-file
# Java program (stack/HBaseTables.java) does the same through the Admin API, and flushes and
# major-compacts a table for the benchmark. Compiling it takes a few seconds, so it runs only when
# HBase has just been started, or when asked.
hbase_tables() {
  java "${HBASE_JDK_FLAGS[@]}" -Djava.net.preferIPv4Stack=true \
    -Dlog4j.configuration="file:$HBASE_CONF_DIR/client-log4j.properties" \
    -cp "$HBASE_CONF_DIR:$HBASE_LIB/*" "$STACK_SRC/HBaseTables.java" "$@"
}

create_tables() {
  log "hbase: creating missing tables"
  hbase_tables create tsdb-uid:id,name tsdb:t tsdb-tree:t tsdb-meta:name catchpoint-plugin:c \
    || { show_tail "$HBASE_LOG" 20; die "could not create the tables"; }
}

cmd_create_tables() {
  (($# > 0)) || die "create-tables needs TABLE:FAMILY[,FAMILY...] arguments"
  live_pid "$HBASE_PID" "$HBASE_MAIN" >/dev/null || die "hbase is not running: run start first"
  hbase_tables create "$@" || { show_tail "$HBASE_LOG" 20; die "could not create the tables $*"; }
}

# Flushes and major-compacts TABLE, waits until that is done, and prints its store files' size.
cmd_compact_table() {
  [[ -n "${1:-}" ]] || die "compact-table needs a TABLE"
  live_pid "$HBASE_PID" "$HBASE_MAIN" >/dev/null || die "hbase is not running: run start first"
  hbase_tables compact "$1" || { show_tail "$HBASE_LOG" 20; die "could not compact $1"; }
}

# ---------------------------------------------------------------------------------------
# Fake Catchpoint (FAKE_CATCHPOINT=1)
# ---------------------------------------------------------------------------------------

fake_url() { printf 'http://127.0.0.1:%s\n' "$FAKE_CATCHPOINT_PORT"; }

# The fake and the synthetic-run generator it shares with the benchmark (stack/java), compiled
# by javac into STACK_DIR at every start (a second or two): JDK only, so the fake needs
# neither Maven nor the stack's jars. Output goes to the fake's log.
compile_fake() {
  local sources=("$STACK_SRC/$FAKE_MAIN.java") f
  while IFS= read -r f; do
    sources+=("$f")
  done < <(find "$STACK_SRC/java" -name '*.java' | sort)
  rm -rf "$FAKE_CLASSES"
  mkdir -p "$FAKE_CLASSES"
  if ! javac -encoding UTF-8 -d "$FAKE_CLASSES" "${sources[@]}" >> "$FAKE_LOG" 2>&1; then
    show_tail "$FAKE_LOG"
    die "fake catchpoint: does not compile (log: $FAKE_LOG)"
  fi
}

# Started before the TSD: the plugin fetches the node catalog from it as soon as it is ready.
start_fake() {
  local pid start=$SECONDS code=""
  if pid="$(live_pid "$FAKE_PID" "$FAKE_MAIN")"; then
    log "fake catchpoint: already running (pid $pid, $(fake_url))"
    return 0
  fi
  require_free_port "fake Catchpoint" "$FAKE_CATCHPOINT_PORT"
  rotate_log "$FAKE_LOG"
  compile_fake
  log "fake catchpoint: starting on $(fake_url)"
  # FAKE_CATCHPOINT_ARGS is split into words on purpose; its --nodes, if any, wins over ours.
  # shellcheck disable=SC2086
  spawn "$FAKE_PID" "$FAKE_LOG" \
    java -Xmx256m -Djava.net.preferIPv4Stack=true -cp "$FAKE_CLASSES" "$FAKE_MAIN" \
    --port "$FAKE_CATCHPOINT_PORT" --nodes "$PROJECT_ROOT/plugin-config/nodes-sample.json" \
    ${FAKE_CATCHPOINT_ARGS:-}
  while ((SECONDS - start < 60)); do
    if ! live_pid "$FAKE_PID" "$FAKE_MAIN" >/dev/null; then
      show_tail "$FAKE_LOG"
      die "fake catchpoint exited during startup (log: $FAKE_LOG)"
    fi
    code="$(http_status "$FAKE_CATCHPOINT_PORT" /__fake/requests)"
    if [[ "$code" == 200 ]]; then
      log "fake catchpoint: ready after $((SECONDS - start))s"
      return 0
    fi
    sleep 0.5
  done
  show_tail "$FAKE_LOG"
  stop_process "fake catchpoint" "$FAKE_PID" "$FAKE_MAIN" >&2
  die "fake catchpoint: not ready within 60s (log: $FAKE_LOG)"
}

# ---------------------------------------------------------------------------------------
# TSD
# ---------------------------------------------------------------------------------------

# Every TSD of the stack keeps its files in its own directory DIR: the main TSD in STACK_DIR,
# an extra TSD NAME in STACK_DIR/tsds/NAME. These print one of them.
tsd_conf() { printf '%s/opentsdb.conf\n' "$1"; }
tsd_pidfile() { printf '%s/tsd.pid\n' "$1"; }
tsd_logfile() { printf '%s/tsd.log\n' "$1"; }
tsd_outfile() { printf '%s/tsd.out\n' "$1"; }
# What live_pid looks for on the JVM's command line: the main class and this TSD's own conf, so
# that a stale pid file never takes another TSD of the stack for this one.
tsd_proc() { printf '%s --config=%s\n' "$TSD_MAIN" "$(tsd_conf "$1")"; }

# Writes DIR/opentsdb.conf for a TSD on PORT with the push TOKEN. WRITER says which command
# wrote it (a comment in the file). Its cache dir is DIR/cache; the static root, which the TSD
# only reads, is the stack's.
write_tsd_conf() {
  local dir="$1" port="$2" token="$3" writer="$4" catalog="${CATALOG_FILE:-}"
  if [[ -z "$catalog" && -f "$PROJECT_ROOT/plugin-config/nodes-sample.json" ]]; then
    catalog="$PROJECT_ROOT/plugin-config/nodes-sample.json"
  fi
  mkdir -p "$STACK_DIR/static" "$dir/cache"

  local base
  base="$(
    cat <<EOF
tsd.network.port = $port
tsd.network.bind = 127.0.0.1
tsd.storage.hbase.zk_quorum = 127.0.0.1:$ZK_PORT
tsd.http.staticroot = $STACK_DIR/static
tsd.http.cachedir = $dir/cache
tsd.core.auto_create_metrics = true
tsd.http.request.enable_chunked = true
tsd.http.request.max_chunk = 16777216
hbase.rpcs.buffered_flush_interval = 20
EOF
    if [[ "$STACK_NO_PLUGIN" != 1 ]]; then
      cat <<EOF
tsd.http.rpc.plugins = org.opentsdbcatchpoint.tsd.CatchpointRpcPlugin
tsd.startup.enable = true
tsd.startup.plugin = org.opentsdbcatchpoint.tsd.CatchpointStartupPlugin
tsd.plugin.catchpoint.push.token = $token
EOF
      if [[ -n "$catalog" ]]; then
        printf 'tsd.plugin.catchpoint.catalog.file = %s\n' "$catalog"
      fi
    fi
  )"

  {
    printf '# Written by integration-tests/tsd.sh %s.\n' "$writer"
    if [[ -n "${TSD_CONF_EXTRA:-}" ]]; then
      [[ -f "$TSD_CONF_EXTRA" ]] || die "TSD_CONF_EXTRA=$TSD_CONF_EXTRA is not a file"
      # OpenTSDB loads the file with java.util.Properties, where the last duplicate wins,
      # but a file with one line per key is easier to read: drop the generated lines whose
      # key the extra file sets, then append the extra file.
      local overridden
      overridden="$(conf_keys < "$TSD_CONF_EXTRA")"
      printf '%s\n' "$base" | awk -v keys="$overridden" '
        BEGIN { n = split(keys, k, "\n"); for (i = 1; i <= n; i++) skip[k[i]] = 1 }
        { key = $0; sub(/^[ \t]*/, "", key); sub(/[ \t]*[=:].*$/, "", key); if (!(key in skip)) print }'
      printf '# From TSD_CONF_EXTRA=%s\n' "$TSD_CONF_EXTRA"
      extra_conf "$dir"
    else
      printf '%s\n' "$base"
    fi
  } > "$(tsd_conf "$dir")"

}

# TSD_CONF_EXTRA with its placeholders replaced: @FAKE_CATCHPOINT_URL@ by the fake's URL, so a pull
# account's base_url follows the fake's port, and @TSD_DIR@ by the TSD's own directory DIR, so one
# file can give several TSDs each a file of its own (catalog.cache_file = @TSD_DIR@/catalog.json).
# Without the fake the URL would reach the plugin as a bad URL: say so here.
extra_conf() {
  if grep -q '@FAKE_CATCHPOINT_URL@' "$TSD_CONF_EXTRA" && ((!FAKE_WANTED)) \
      && ! live_pid "$FAKE_PID" "$FAKE_MAIN" >/dev/null; then
    die "$TSD_CONF_EXTRA uses @FAKE_CATCHPOINT_URL@: set FAKE_CATCHPOINT=1 to start the fake"
  fi
  sed -e "s|@FAKE_CATCHPOINT_URL@|$(fake_url)|g" -e "s|@TSD_DIR@|$1|g" "$TSD_CONF_EXTRA"
}

# The keys set in a Properties-style file on stdin, one a line.
conf_keys() {
  awk '/^[ \t]*([#!]|$)/ { next }
       { key = $0; sub(/^[ \t]*/, "", key); sub(/[ \t]*[=: \t].*$/, "", key); print key }'
}

# The value of KEY in a Properties-style FILE (its last line for KEY), or nothing.
conf_value() {
  [[ -f "$2" ]] || return 0
  { grep -E "^[[:space:]]*${1//./\\.}[[:space:]]*[=:]" "$2" || true; } | tail -n1 \
    | sed -E 's/^[^=:]*[=:][[:space:]]*//'
}

# A TSD's class path: its own jars, plus the plugin jar if its opentsdb.conf CONF names the
# plugin (decided by the conf, so restart-tsd runs what start configured).
tsd_classpath() {
  local cp="$TSD_LIB/*" jar
  if grep -q 'org\.opentsdbcatchpoint\.' "$1"; then
    jar="$(find_plugin_jar)"
    [[ -n "$jar" ]] || die "no plugin jar in $PROJECT_ROOT/target (run mvn package, or start)"
    cp="$cp:$jar"
  fi
  [[ -n "${TSD_EXTRA_CLASSPATH:-}" ]] && cp="$cp:$TSD_EXTRA_CLASSPATH"
  printf '%s\n' "$cp"
}

# Starts the TSD called NAME (in messages) whose files are in DIR, on PORT, with the
# opentsdb.conf already written there, and waits until it is ready.
start_tsd() {
  local name="$1" dir="$2" port="$3" pid cp conf pidfile logfile outfile
  conf="$(tsd_conf "$dir")" pidfile="$(tsd_pidfile "$dir")"
  logfile="$(tsd_logfile "$dir")" outfile="$(tsd_outfile "$dir")"
  if pid="$(live_pid "$pidfile" "$(tsd_proc "$dir")")"; then
    log "$name: already running (pid $pid)"
    return 0
  fi
  [[ -f "$conf" ]] || die "no $conf: run start first"
  require_free_port "$name" "$port"
  cp="$(tsd_classpath "$conf")"
  sed "s|@TSD_LOG@|$logfile|g" "$STACK_SRC/logback.xml" > "$dir/logback.xml"
  rotate_log "$logfile"
  rotate_log "$outfile"
  [[ -x "$TSD_JAVA" ]] || die "$name: no java at $TSD_JAVA (TSD_JAVA_HOME / JAVA_HOME)"
  log "$name: starting on 127.0.0.1:$port with $TSD_JAVA ($("$TSD_JAVA" -version 2>&1 | head -1)) (classpath: $cp)"
  # The plugin goes on -cp, not in tsd.core.plugin_path: the 2.4.1 plugin loader casts
  # the system class loader to URLClassLoader and fails on Java 9+. ServiceLoader finds
  # the plugin through the jar's META-INF/services either way.
  spawn "$pidfile" "$outfile" \
    "$TSD_JAVA" "-Xmx$TSD_HEAP" -Djava.net.preferIPv4Stack=true \
    -Dlogback.configurationFile="$dir/logback.xml" \
    -cp "$cp" "$TSD_MAIN" --config="$conf"
  wait_for_tsd "$name" "$dir" "$port"
}

# Without TSD_READY_PATH: the plugin's health if the opentsdb.conf CONF loads the plugin, else
# a core endpoint (a bare TSD started with STACK_NO_PLUGIN=1).
ready_path() {
  if [[ -n "${TSD_READY_PATH:-}" ]]; then
    printf '%s\n' "$TSD_READY_PATH"
  elif grep -q 'org\.opentsdbcatchpoint\.' "$1"; then
    printf '%s\n' /plugin/catchpoint/health
  else
    printf '%s\n' /api/version
  fi
}

# Waits until the TSD NAME of DIR answers 200 on PORT; stops it if it does not in time.
wait_for_tsd() {
  local name="$1" dir="$2" port="$3" start=$SECONDS code="" path logs
  path="$(ready_path "$(tsd_conf "$dir")")"
  logs="$(tsd_logfile "$dir"), $(tsd_outfile "$dir")"
  while ((SECONDS - start < TSD_START_TIMEOUT)); do
    if ! live_pid "$(tsd_pidfile "$dir")" "$(tsd_proc "$dir")" >/dev/null; then
      show_tail "$(tsd_outfile "$dir")"
      die "$name exited during startup (logs: $logs)"
    fi
    code="$(http_status "$port" "$path")"
    if [[ "$code" == 200 ]]; then
      log "$name: ready after $((SECONDS - start))s ($path answers 200)"
      return 0
    fi
    sleep 0.5
  done
  show_tail "$(tsd_outfile "$dir")"
  stop_process "$name" "$(tsd_pidfile "$dir")" "$(tsd_proc "$dir")" >&2
  die "$name: $path did not answer 200 within ${TSD_START_TIMEOUT}s (last: ${code:-none}; logs: $logs)"
}

# ---------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------

cmd_start() {
  local hbase_pid tsd_pid token
  if hbase_pid="$(live_pid "$HBASE_PID" "$HBASE_MAIN")" && tsd_pid="$(live_pid "$TSD_PID" "$(tsd_proc "$STACK_DIR")")"; then
    log "already running (hbase pid $hbase_pid, tsd pid $tsd_pid, http://127.0.0.1:$TSD_PORT)"
    return 0
  fi
  local t0=$SECONDS hbase_up=0 tsd_up=0
  live_pid "$HBASE_PID" "$HBASE_MAIN" >/dev/null && hbase_up=1
  live_pid "$TSD_PID" "$(tsd_proc "$STACK_DIR")" >/dev/null && tsd_up=1
  # Check the ports before building or downloading anything: a clash with another stack
  # is the likeliest failure and should not cost a minute to find.
  if ((!hbase_up)); then
    require_free_port ZooKeeper "$ZK_PORT"
    require_free_port "HBase master" "$HBASE_MASTER_PORT"
    require_free_port "HBase region server" "$HBASE_RS_PORT"
  fi
  ((tsd_up)) || require_free_port TSD "$TSD_PORT"
  if ((FAKE_WANTED)) && ! live_pid "$FAKE_PID" "$FAKE_MAIN" >/dev/null; then
    require_free_port "fake Catchpoint" "$FAKE_CATCHPOINT_PORT"
  fi
  with_lock prepare
  save_settings
  token="$(push_token)"
  if ((!hbase_up)); then
    start_hbase
    create_tables
  fi
  if ((FAKE_WANTED)); then
    start_fake
  fi
  if ((!tsd_up)); then
    write_tsd_conf "$STACK_DIR" "$TSD_PORT" "$token" "start; restart-tsd reuses it as it is"
    start_tsd tsd "$STACK_DIR" "$TSD_PORT"
  fi
  log "stack up in $((SECONDS - t0))s"
  print_summary "$token"
}

print_summary() {
  local token="$1" url="http://127.0.0.1:$TSD_PORT"
  local fixture="$PROJECT_ROOT/../shared/catchpoint/fixtures/push-web-default.json"
  [[ -f "$fixture" ]] && fixture="$(cd "$(dirname "$fixture")" && pwd)/$(basename "$fixture")"
  cat <<EOF

  TSD:        $url
EOF
  if [[ "$STACK_NO_PLUGIN" != 1 ]]; then
    cat <<EOF
  Push URL:   $url/plugin/catchpoint/push?token=$token
  Try it:     curl -sS -X POST -H 'Content-Type: application/json' \\
                --data-binary @$fixture \\
                '$url/plugin/catchpoint/push?token=$token'
EOF
  else
    printf '  (STACK_NO_PLUGIN=1: bare TSD, no plugin loaded)\n'
  fi
  if live_pid "$FAKE_PID" "$FAKE_MAIN" >/dev/null; then
    printf '  Fake Catchpoint: %s/ui/api (v1), %s/api/v2 (v2); log %s\n' "$(fake_url)" "$(fake_url)" "$FAKE_LOG"
  fi
  cat <<EOF
  Logs:       $TSD_LOG  $HBASE_LOG
  Stop with:  ${BASH_SOURCE[0]} stop   (STACK_DIR=$STACK_DIR)

EOF
}

cmd_stop() {
  local name
  # The extra TSDs first, so none is left without HBase; quietly for those already stopped.
  for name in $(extra_tsds); do
    if [[ -f "$(tsd_pidfile "$(extra_dir "$name")")" ]]; then
      cmd_tsd_stop "$name"
    fi
  done
  stop_process tsd "$TSD_PID" "$(tsd_proc "$STACK_DIR")"
  # Quietly when there is none: most stacks never start it.
  if [[ -f "$FAKE_PID" ]]; then
    stop_process "fake catchpoint" "$FAKE_PID" "$FAKE_MAIN"
  fi
  stop_process hbase "$HBASE_PID" "$HBASE_MAIN"
}

cmd_status() {
  local pid rc=0
  if pid="$(live_pid "$HBASE_PID" "$HBASE_MAIN")"; then
    log "hbase: running (pid $pid, zk 127.0.0.1:$ZK_PORT, master $HBASE_MASTER_PORT, rs $HBASE_RS_PORT)"
  else
    log "hbase: not running"
    rc=3
  fi
  if pid="$(live_pid "$TSD_PID" "$(tsd_proc "$STACK_DIR")")"; then
    log "tsd:   running (pid $pid, http://127.0.0.1:$TSD_PORT)"
  else
    log "tsd:   not running"
    rc=3
  fi
  # The extra TSDs are listed, but do not count for the exit code.
  local line
  while IFS= read -r line; do
    log "extra tsd: $line"
  done < <(cmd_tsd_list)
  if pid="$(live_pid "$FAKE_PID" "$FAKE_MAIN")"; then
    log "fake catchpoint: running (pid $pid, $(fake_url))"
  fi
  log "stack dir: $STACK_DIR"
  return "$rc"
}

cmd_start_hbase() {
  with_lock ensure_libs
  if live_pid "$HBASE_PID" "$HBASE_MAIN" >/dev/null; then
    start_hbase  # says "already running"
    return 0
  fi
  start_hbase
  create_tables
}

# Sends SIGNAL to the process NAME of PIDFILE running MAIN_CLASS and says WHAT happened. After
# KILL, waits until it is gone and removes its pid file. SIGSTOP/SIGCONT of HBase: a stalled HBase,
# not a dead one (the TSD's connections stay open).
signal_process() {
  local name="$1" pidfile="$2" main_class="$3" signal="$4" what="$5" pid i
  pid="$(live_pid "$pidfile" "$main_class")" || die "$name is not running"
  kill "-$signal" "$pid"
  if [[ "$signal" == KILL ]]; then
    # live_pid, not kill -0: a zombie nobody reaps yet counts as gone.
    for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do
      live_pid "$pidfile" "$main_class" >/dev/null || break
      sleep 0.1
    done
    rm -f "$pidfile"
  fi
  log "$name: $what (pid $pid)"
}

cmd_restart_tsd() {
  stop_process tsd "$TSD_PID" "$(tsd_proc "$STACK_DIR")"
  start_tsd tsd "$STACK_DIR" "$TSD_PORT"
}

cmd_logs() {
  local name
  show_tail "$HBASE_LOG"
  show_tail "$TSD_LOG"
  for name in $(extra_tsds); do
    show_tail "$(tsd_logfile "$(extra_dir "$name")")"
  done
}

# ---------------------------------------------------------------------------------------
# Extra TSDs on the same HBase (tsd-start NAME ...), each in STACK_DIR/tsds/NAME
# ---------------------------------------------------------------------------------------

extra_dir() { printf '%s/tsds/%s\n' "$STACK_DIR" "$1"; }

# The names of the extra TSDs this stack has started at least once, sorted.
extra_tsds() {
  local dir
  for dir in "$STACK_DIR"/tsds/*/; do
    [[ -d "$dir" ]] && basename "$dir"
  done
  return 0
}

# Dies unless NAME is a valid name; with "known", also unless that TSD was ever started.
check_extra_name() {
  [[ "${1:-}" =~ ^[a-z0-9-]+$ ]] || die "an extra TSD needs a NAME of a-z, 0-9 and - (got '${1:-}')"
  if [[ "${2:-}" == known && ! -d "$(extra_dir "$1")" ]]; then
    die "no extra TSD called $1 in $STACK_DIR/tsds (start it with tsd-start $1)"
  fi
}

# The port of the extra TSD NAME: EXTRA_TSD_PORT, remembered in its port file (which makes its
# directory), else the one remembered there by an earlier tsd-start.
extra_port() {
  local portfile
  portfile="$(extra_dir "$1")/port"
  if [[ -n "${EXTRA_TSD_PORT:-}" ]]; then
    if ! [[ "$EXTRA_TSD_PORT" =~ ^[0-9]{1,5}$ ]] || ((10#$EXTRA_TSD_PORT < 1 || 10#$EXTRA_TSD_PORT > 65535)); then
      die "EXTRA_TSD_PORT=$EXTRA_TSD_PORT is not a port"
    fi
    [[ "$EXTRA_TSD_PORT" != "$TSD_PORT" ]] || die "EXTRA_TSD_PORT=$EXTRA_TSD_PORT is the main TSD's port"
    mkdir -p "$(dirname "$portfile")"
    printf '%s\n' "$EXTRA_TSD_PORT" > "$portfile"
  fi
  [[ -s "$portfile" ]] || die "set EXTRA_TSD_PORT for the first tsd-start $1"
  head -n1 "$portfile"
}

# Starts (or restarts) the extra TSD NAME. Its opentsdb.conf is written anew from the environment,
# as start writes the main TSD's; the push token and the catalog file are the main TSD's (from its
# opentsdb.conf) unless CATCHPOINT_PUSH_TOKEN or CATALOG_FILE say otherwise, so that the TSDs of a
# stack take the same pushes and tag them alike.
cmd_tsd_start() {
  local name="$1" dir port token
  check_extra_name "$name"
  live_pid "$HBASE_PID" "$HBASE_MAIN" >/dev/null || die "hbase is not running: run start first"
  port="$(extra_port "$name")"
  dir="$(extra_dir "$name")"
  token="${CATCHPOINT_PUSH_TOKEN:-$(conf_value tsd.plugin.catchpoint.push.token "$TSD_CONF")}"
  [[ -n "$token" ]] || token="$(push_token)"
  CATALOG_FILE="${CATALOG_FILE:-$(conf_value tsd.plugin.catchpoint.catalog.file "$TSD_CONF")}" \
    write_tsd_conf "$dir" "$port" "$token" "tsd-start $name, anew at each of its starts"
  if live_pid "$(tsd_pidfile "$dir")" "$(tsd_proc "$dir")" >/dev/null; then
    cmd_tsd_stop "$name"
  fi
  start_tsd "tsd $name" "$dir" "$port"
}

cmd_tsd_stop() {
  local dir
  check_extra_name "$1" known
  dir="$(extra_dir "$1")"
  stop_process "tsd $1" "$(tsd_pidfile "$dir")" "$(tsd_proc "$dir")"
}

cmd_tsd_signal() {
  local dir signal="${2:-}"
  check_extra_name "$1" known
  case "$signal" in
    KILL|STOP|CONT|TERM) ;;
    *) die "tsd-signal $1 needs a SIGNAL: KILL, STOP, CONT or TERM (got '$signal')" ;;
  esac
  dir="$(extra_dir "$1")"
  signal_process "tsd $1" "$(tsd_pidfile "$dir")" "$(tsd_proc "$dir")" "$signal" "sent SIG$signal"
}

# One line per extra TSD: NAME PORT PID STATE, STATE being running, paused (SIGSTOP) or stopped
# (then PID is -).
cmd_tsd_list() {
  local name dir port pid state stat
  for name in $(extra_tsds); do
    dir="$(extra_dir "$name")"
    port="$(head -n1 "$dir/port" 2>/dev/null || true)"
    if pid="$(live_pid "$(tsd_pidfile "$dir")" "$(tsd_proc "$dir")")"; then
      state=running
      # /proc/PID/stat: "PID (COMM) STATE ..."; T is stopped by a signal.
      stat="$(cat "/proc/$pid/stat" 2>/dev/null || true)"
      [[ "${stat##*) }" == T* ]] && state=paused
    else
      pid=- state=stopped
    fi
    printf '%s %s %s %s\n' "$name" "${port:--}" "$pid" "$state"
  done
}

main() {
  local cmd="${1:-}"
  load_settings
  case "$cmd" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    stop-hbase) stop_process hbase "$HBASE_PID" "$HBASE_MAIN" ;;
    start-hbase) cmd_start_hbase ;;
    pause-hbase) signal_process hbase "$HBASE_PID" "$HBASE_MAIN" STOP paused ;;
    resume-hbase) signal_process hbase "$HBASE_PID" "$HBASE_MAIN" CONT resumed ;;
    restart-tsd) cmd_restart_tsd ;;
    logs) cmd_logs ;;
    compact-table) cmd_compact_table "${2:-}" ;;
    create-tables) shift; cmd_create_tables "$@" ;;
    tsd-start) cmd_tsd_start "${2:-}" ;;
    tsd-stop) cmd_tsd_stop "${2:-}" ;;
    tsd-signal) cmd_tsd_signal "${2:-}" "${3:-}" ;;
    tsd-list) cmd_tsd_list ;;
    -h|--help|help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
