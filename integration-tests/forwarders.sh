#!/usr/bin/env bash
# The real forwarding targets for the end-to-end tests: carbon-cache (Debian graphite-carbon, with
# python3-whisper to read back), InfluxDB 1.x (Debian influxdb), Prometheus (Debian prometheus, as a
# remote-write receiver) and KairosDB 1.3.0 (from Maven Central, H2 datastore), each on loopback ports
# of the caller's choosing, with their configuration and data in one directory.
#
#   forwarders.sh install                 installs the Debian packages when missing (root; apt-get) and
#                                         fetches KairosDB's jars when missing (Maven)
#   forwarders.sh start  carbon|influx|prometheus|kairos|all   starts the server(s) in the background and waits until they answer
#   forwarders.sh stop   carbon|influx|prometheus|kairos|all   SIGTERM (carbon writes its cache out), waits, SIGKILL after 20 s
#   forwarders.sh status carbon|influx|prometheus|kairos|all
#
# Environment:
#   FWD_DIR             configuration, data, logs and pid files (default target/forwarders)
#   CARBON_LINE_PORT    plaintext receiver (default 2003)    CARBON_PICKLE_PORT  pickle receiver (default 2004)
#   CARBON_QUERY_PORT   cache query port (default 7002)
#   INFLUX_HTTP_PORT    /write and /query (default 8086)     INFLUX_RPC_PORT     backup/restore RPC (default 8088)
#   PROM_PORT           Prometheus: /api/v1/write and /api/v1/query (default 9090)
#   KAIROS_HTTP_PORT    KairosDB's REST API (default 8080)   KAIROS_TELNET_PORT  its telnet put port (default 4245)
#   KAIROS_LIB_DIR      KairosDB's jars, shareable by several FWD_DIRs (default .run/lib/kairosdb)
#   KAIROS_HEAP         KairosDB's -Xmx (default 384m)
#
# The configuration is written on every start, the data is kept: stop and start again is an outage,
# not a wipe. Debian's packages try to start their own services on install and fail without an init
# system; that is expected: these servers are always started here, on the ports given.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FWD_DIR="${FWD_DIR:-$ROOT/target/forwarders}"
CARBON_LINE_PORT="${CARBON_LINE_PORT:-2003}"
CARBON_PICKLE_PORT="${CARBON_PICKLE_PORT:-2004}"
CARBON_QUERY_PORT="${CARBON_QUERY_PORT:-7002}"
INFLUX_HTTP_PORT="${INFLUX_HTTP_PORT:-8086}"
INFLUX_RPC_PORT="${INFLUX_RPC_PORT:-8088}"
PROM_PORT="${PROM_PORT:-9090}"
KAIROS_HTTP_PORT="${KAIROS_HTTP_PORT:-8080}"
KAIROS_TELNET_PORT="${KAIROS_TELNET_PORT:-4245}"
KAIROS_LIB_DIR="${KAIROS_LIB_DIR:-$ROOT/.run/lib/kairosdb}"
KAIROS_HEAP="${KAIROS_HEAP:-384m}"
KAIROS_POM="$ROOT/integration-tests/kairosdb/pom.xml"

log() { echo "forwarders: $*" >&2; }

missing_packages() {
  local need=()
  command -v carbon-cache >/dev/null 2>&1 || need+=(graphite-carbon)
  command -v whisper-fetch >/dev/null 2>&1 || command -v whisper-fetch.py >/dev/null 2>&1 || need+=(python3-whisper)
  command -v influxd >/dev/null 2>&1 || need+=(influxdb)
  command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
  echo "${need[@]:-}"
}

install() {
  local need
  fetch_kairos
  need="$(missing_packages)"
  if [ -z "$need" ]; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    log "not root; install these Debian packages first: $need"
    exit 1
  fi
  log "installing $need"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Their post-install scripts try to start the services and cannot without init: not an error.
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $need >/dev/null
  need="$(missing_packages)"
  if [ -n "$need" ]; then
    log "still missing after apt-get: $need"
    exit 1
  fi
}

# KairosDB's jars, fetched by Maven into KAIROS_LIB_DIR once: a marker holding the checksum of
# kairosdb/pom.xml says the copy finished for this pom (a changed pom fetches again). Under a lock, so
# two callers never download into the same directory together.
fetch_kairos() {
  local marker="$KAIROS_LIB_DIR/.complete" sum
  sum="$(cksum < "$KAIROS_POM")"
  if [ -f "$marker" ] && [ "$(cat "$marker")" = "$sum" ]; then
    return 0
  fi
  mkdir -p "$(dirname "$KAIROS_LIB_DIR")"
  (
    if command -v flock >/dev/null 2>&1; then flock 9; fi
    if [ -f "$marker" ] && [ "$(cat "$marker")" = "$sum" ]; then
      exit 0
    fi
    command -v mvn >/dev/null 2>&1 || { log "mvn is not installed: run integration-tests/setup.sh"; exit 1; }
    log "fetching KairosDB 1.3.0's jars into $KAIROS_LIB_DIR (Maven; slow only the first time)"
    rm -rf "$KAIROS_LIB_DIR"
    if ! mvn -B -q -Dstyle.color=never -f "$KAIROS_POM" -Dkairos.lib.dir="$KAIROS_LIB_DIR" validate \
        > "$KAIROS_LIB_DIR.fetch.log" 2>&1; then
      tail -n 40 "$KAIROS_LIB_DIR.fetch.log" >&2
      log "could not fetch KairosDB's jars (log: $KAIROS_LIB_DIR.fetch.log)"
      exit 1
    fi
    printf '%s\n' "$sum" > "$marker"
  ) 9> "$KAIROS_LIB_DIR.lock"
}

pid_of() { # name -> pid of a live process, or nothing
  local f="$FWD_DIR/$1.pid"
  if [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; then
    cat "$f"
  fi
}

wait_port() { # port seconds name
  local port=$1 deadline=$((SECONDS + $2))
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    if [ -z "$(pid_of "$3")" ]; then
      log "$3 exited while starting; its log:"
      tail -n 40 "$FWD_DIR/$3.log" >&2 || true
      exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "$3 did not open port $port within $2 s; its log:"
      tail -n 40 "$FWD_DIR/$3.log" >&2 || true
      exit 1
    fi
    sleep 0.2
  done
}

start_carbon() {
  if [ -n "$(pid_of carbon)" ]; then
    log "carbon-cache already running (pid $(pid_of carbon))"
    return 0
  fi
  if ! command -v carbon-cache >/dev/null 2>&1; then
    log "carbon-cache is not installed: run integration-tests/setup.sh"
    exit 1
  fi
  local conf="$FWD_DIR/carbon"
  mkdir -p "$conf" "$FWD_DIR/carbon-storage/whisper" "$FWD_DIR/carbon-storage/log" "$FWD_DIR/carbon-storage/run"
  # One archive of one-second points reaching five years back: the shared fixtures carry their real
  # run times (2024), and whisper refuses points older than its longest retention. Sparse files: a
  # series costs a few KiB of disk, not its 3.7 GB of addressable slots. Creates unlimited: the
  # default of 50 a minute silently drops new series.
  cat >"$conf/storage-schemas.conf" <<'EOF'
[catchpoint_tests]
pattern = .*
retentions = 1s:5y
EOF
  cat >"$conf/storage-aggregation.conf" <<'EOF'
[default]
pattern = .*
xFilesFactor = 0
aggregationMethod = average
EOF
  cat >"$conf/carbon.conf" <<EOF
[cache]
STORAGE_DIR = $FWD_DIR/carbon-storage/
LOCAL_DATA_DIR = $FWD_DIR/carbon-storage/whisper/
WHITELISTS_DIR = $FWD_DIR/carbon-storage/lists/
CONF_DIR = $conf/
LOG_DIR = $FWD_DIR/carbon-storage/log/
PID_DIR = $FWD_DIR/carbon-storage/run/
DATABASE = whisper
ENABLE_LOGROTATION = False
USER =
MAX_CACHE_SIZE = inf
MAX_UPDATES_PER_SECOND = inf
MAX_CREATES_PER_MINUTE = inf
MIN_TIMESTAMP_RESOLUTION = 1
LINE_RECEIVER_INTERFACE = 127.0.0.1
LINE_RECEIVER_PORT = $CARBON_LINE_PORT
ENABLE_UDP_LISTENER = False
PICKLE_RECEIVER_INTERFACE = 127.0.0.1
PICKLE_RECEIVER_PORT = $CARBON_PICKLE_PORT
PICKLE_RECEIVER_MAX_LENGTH = 1048576
USE_INSECURE_UNPICKLER = False
CACHE_QUERY_INTERFACE = 127.0.0.1
CACHE_QUERY_PORT = $CARBON_QUERY_PORT
USE_FLOW_CONTROL = True
LOG_UPDATES = False
LOG_CREATES = False
LOG_LISTENER_CONNECTIONS = False
CACHE_WRITE_STRATEGY = sorted
WHISPER_AUTOFLUSH = False
WHISPER_SPARSE_CREATE = True
WHISPER_FALLOCATE_CREATE = False
# Tagged series are stored without graphite-web; registering them in its tag database needs a
# graphite-web, which the tests do not run.
ENABLE_TAGS = False
EOF
  log "starting carbon-cache (line $CARBON_LINE_PORT, pickle $CARBON_PICKLE_PORT) in $FWD_DIR"
  # --debug keeps it in the foreground (and logging to stdout); nohup and & put it in the background.
  nohup carbon-cache --config="$conf/carbon.conf" --debug start >>"$FWD_DIR/carbon.log" 2>&1 </dev/null &
  echo $! >"$FWD_DIR/carbon.pid"
  wait_port "$CARBON_LINE_PORT" 60 carbon
  wait_port "$CARBON_PICKLE_PORT" 10 carbon
}

start_influx() {
  if [ -n "$(pid_of influx)" ]; then
    log "influxd already running (pid $(pid_of influx))"
    return 0
  fi
  if ! command -v influxd >/dev/null 2>&1; then
    log "influxd is not installed: run integration-tests/setup.sh"
    exit 1
  fi
  local conf="$FWD_DIR/influxdb.conf"
  mkdir -p "$FWD_DIR/influx/meta" "$FWD_DIR/influx/data" "$FWD_DIR/influx/wal"
  cat >"$conf" <<EOF
reporting-enabled = false
bind-address = "127.0.0.1:$INFLUX_RPC_PORT"
[meta]
  dir = "$FWD_DIR/influx/meta"
  logging-enabled = false
[data]
  dir = "$FWD_DIR/influx/data"
  wal-dir = "$FWD_DIR/influx/wal"
  query-log-enabled = false
  index-version = "inmem"
[monitor]
  store-enabled = false
[subscriber]
  enabled = false
[retention]
  enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:$INFLUX_HTTP_PORT"
  auth-enabled = false
  log-enabled = false
  pprof-enabled = false
  unix-socket-enabled = false
[logging]
  level = "warn"
  suppress-logo = true
[ifql]
  enabled = false
EOF
  log "starting influxd (http $INFLUX_HTTP_PORT) in $FWD_DIR"
  nohup influxd run -config "$conf" >>"$FWD_DIR/influx.log" 2>&1 </dev/null &
  echo $! >"$FWD_DIR/influx.pid"
  wait_port "$INFLUX_HTTP_PORT" 60 influx
  local deadline=$((SECONDS + 30))
  until curl -fsS -o /dev/null "http://127.0.0.1:$INFLUX_HTTP_PORT/ping" 2>/dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || { log "influxd does not answer /ping"; exit 1; }
    sleep 0.2
  done
}

start_kairos() {
  if [ -n "$(pid_of kairos)" ]; then
    log "kairosdb already running (pid $(pid_of kairos))"
    return 0
  fi
  fetch_kairos
  local dir="$FWD_DIR/kairos"
  mkdir -p "$dir/conf" "$dir/webroot" "$dir/h2db" "$dir/queue"
  # Its own conf directory: KairosDB loads every .properties and .conf file beside the one it is given
  # (as plugin settings) and writes its server id there. H2 keeps the data in $dir/h2db, the ingest
  # queue (points taken, not yet written) is a file queue in $dir/queue: both survive a restart.
  cat >"$dir/conf/kairosdb.properties" <<EOF
kairosdb.jetty.port=$KAIROS_HTTP_PORT
kairosdb.jetty.address=127.0.0.1
kairosdb.jetty.static_web_root=$dir/webroot
kairosdb.telnetserver.port=$KAIROS_TELNET_PORT
kairosdb.telnetserver.address=127.0.0.1
kairosdb.service.datastore=org.kairosdb.datastore.h2.H2Module
kairosdb.datastore.h2.database_path=$dir/h2db/kairosdb
kairosdb.queue_processor.queue_path=$dir/queue
EOF
  cat >"$dir/conf/logback.xml" <<EOF
<configuration>
  <appender name="file" class="ch.qos.logback.core.FileAppender">
    <file>$FWD_DIR/kairos.log</file>
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
  </appender>
  <root level="WARN"><appender-ref ref="file"/></root>
  <logger name="org.kairosdb.core.Main" level="INFO"/>
</configuration>
EOF
  log "starting kairosdb (http $KAIROS_HTTP_PORT, telnet $KAIROS_TELNET_PORT) in $dir"
  # java.lang opened for Guice on Java 17, java.util for the query validation (bval). Started from its
  # directory: a few paths of KairosDB's defaults are relative.
  (cd "$dir" && exec nohup java "-Xmx$KAIROS_HEAP" --add-opens java.base/java.lang=ALL-UNNAMED \
    --add-opens java.base/java.util=ALL-UNNAMED \
    -Djava.net.preferIPv4Stack=true -Dlogback.configurationFile="$dir/conf/logback.xml" \
    -cp "$KAIROS_LIB_DIR/*" org.kairosdb.core.Main -c run -p "$dir/conf/kairosdb.properties" \
    >>"$FWD_DIR/kairos.out" 2>&1 </dev/null) &
  echo $! >"$FWD_DIR/kairos.pid"
  wait_port "$KAIROS_HTTP_PORT" 120 kairos
  local deadline=$((SECONDS + 60))
  until curl -fsS -o /dev/null "http://127.0.0.1:$KAIROS_HTTP_PORT/api/v1/version" 2>/dev/null; do
    [ -n "$(pid_of kairos)" ] || { log "kairosdb exited while starting"; tail -n 40 "$FWD_DIR/kairos.out" >&2; exit 1; }
    [ "$SECONDS" -lt "$deadline" ] || { log "kairosdb does not answer /api/v1/version"; exit 1; }
    sleep 0.2
  done
}

start_prometheus() {
  if [ -n "$(pid_of prometheus)" ]; then
    log "prometheus already running (pid $(pid_of prometheus))"
    return 0
  fi
  if ! command -v prometheus >/dev/null 2>&1; then
    log "prometheus is not installed: run integration-tests/setup.sh"
    exit 1
  fi
  mkdir -p "$FWD_DIR/prometheus-data"
  # Nothing is scraped: points only come in by remote write. The shared fixtures carry their real run
  # times (2024) and the tests write later ones too: samples up to 10 years older than the newest go
  # into the out-of-order head (Prometheus 2.39+), and the retention keeps them as long.
  cat >"$FWD_DIR/prometheus.yml" <<'YML'
global:
  scrape_interval: 1h
  evaluation_interval: 1h
storage:
  tsdb:
    out_of_order_time_window: 10y
YML
  log "starting prometheus (http $PROM_PORT) in $FWD_DIR"
  nohup prometheus --config.file="$FWD_DIR/prometheus.yml" --storage.tsdb.path="$FWD_DIR/prometheus-data" \
    --storage.tsdb.retention.time=20y --web.listen-address="127.0.0.1:$PROM_PORT" \
    --web.enable-remote-write-receiver --log.level=warn >>"$FWD_DIR/prometheus.log" 2>&1 </dev/null &
  echo $! >"$FWD_DIR/prometheus.pid"
  wait_port "$PROM_PORT" 60 prometheus
  local deadline=$((SECONDS + 60))
  until curl -fsS -o /dev/null "http://127.0.0.1:$PROM_PORT/-/ready" 2>/dev/null; do
    if [ -z "$(pid_of prometheus)" ]; then
      log "prometheus exited while starting; its log:"
      tail -n 40 "$FWD_DIR/prometheus.log" >&2 || true
      exit 1
    fi
    [ "$SECONDS" -lt "$deadline" ] || { log "prometheus is not ready (/-/ready) within 60 s"; exit 1; }
    sleep 0.2
  done
}

stop_one() { # name
  local pid
  pid="$(pid_of "$1")"
  if [ -z "$pid" ]; then
    rm -f "$FWD_DIR/$1.pid"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 20))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "$1 (pid $pid) did not stop within 20 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
  rm -f "$FWD_DIR/$1.pid"
  log "stopped $1"
}

status_one() {
  if [ -n "$(pid_of "$1")" ]; then
    echo "$1: running (pid $(pid_of "$1"))"
  else
    echo "$1: stopped"
  fi
}

targets() {
  case "${1:-all}" in
    carbon) echo carbon ;;
    influx) echo influx ;;
    prometheus) echo prometheus ;;
    kairos) echo kairos ;;
    all) echo carbon influx prometheus kairos ;;
    *) log "unknown target $1 (carbon, influx, prometheus, kairos or all)"; exit 2 ;;
  esac
}

cmd="${1:-}"
case "$cmd" in
  install) install ;;
  start)
    mkdir -p "$FWD_DIR"
    for t in $(targets "${2:-all}"); do "start_$t"; done
    ;;
  stop) for t in $(targets "${2:-all}"); do stop_one "$t"; done ;;
  status) for t in $(targets "${2:-all}"); do status_one "$t"; done ;;
  *)
    echo "usage: $0 install | start|stop|status [carbon|influx|prometheus|kairos|all]" >&2
    exit 2
    ;;
esac
