#!/usr/bin/env bash
#
# bench.sh - how fast the plugin ingests, side by side with what a user would otherwise use (the
# TSD's own /api/put, with and without sync) and with the most this machine's TSD and HBase can
# store (TSDB.addPoint in a tight loop inside the TSD), what each path costs in CPU, and what a run
# takes in HBase. Issues 5 and 11. One command: it starts its own stack, measures, stops the stack
# and prints the table.
#
# Usage: integration-tests/bench.sh
#        BENCH_QUICK=1 integration-tests/bench.sh         a smoke run (figures not for quoting)
#        BENCH_ONLY=storage integration-tests/bench.sh    one scenario of the stack (see BENCH_ONLY)
#
# What it does:
#   1. Builds the plugin jar and the benchmark code (mvn -Pbench: src/bench/java, compiled beside
#      the tests into target/bench-build, never in the plugin jar nor run by the test suite), and
#      puts that plugin jar in target/, where tsd.sh takes it from.
#   2. JMH: decode + map alone, per push fixture, one thread, with -prof gc (before the stack
#      starts, on a quiet machine).
#   3. Starts its own HBase + TSD through integration-tests/tsd.sh on free loopback ports, with
#      fresh data in target/bench-stack, a generated node catalog, and the benchmark's own plugin
#      jar (target/bench/catchpoint-bench.jar, built here from src/bench, never part of the plugin
#      jar) on the TSD's class path: its route /plugin/catchpoint-bench/addpoint is the addPoint loop.
#      Before it: pull parsing alone (PullParseBench: MB/s of large synthetic v1/v2 raw answers,
#      and a child JVM capped at 64 MB streaming 512 MiB per version to show the heap stays flat).
#   4. Pull: one never-pulled web test per account, whose first pull from the stack's fake
#      Catchpoint is one 67-minute window of every node (300 nodes: 20,100 runs, 8 columns), timed
#      by the plugin's /pull/status from request to HBase's acknowledgement and counted back.
#   4b. Storage: the workload's distinct runs (4,000; 1,000 with BENCH_QUICK) under test ids of
#      their own through the plugin's push (whole-number metrics as integers, since 0.2), then the
#      same runs' datapoints under other test ids through the addPoint route with every value a
#      double (how the plugin wrote them before 0.2); before the first and after each, `tsd.sh
#      compact-table tsdb` flushes and major-compacts the tsdb table and sums its store files:
#      bytes per run = growth / runs. Before the push load, while the table is small (the pull's).
#   5. Pushes every distinct run once, unmeasured (creates the UIDs, warms both JVMs), then
#      measures, repeat after repeat: plugin push, /api/put?sync=true with 50 datapoints a request
#      and with one run's a request (a bridge forwarding each webhook as one /api/put), and /api/put
#      at each concurrency, and the addPoint loop. The native paths carry exactly the plugin's
#      datapoints. CPU seconds of the TSD, HBase and the load generator are read from /proc over
#      each measurement's window: the report gives them per million datapoints, per path and
#      concurrency. 128 clients are 128 threads of the load generator with a keep-alive socket
#      each; the TSD keeps its defaults for them (Netty's 2 x cores I/O threads multiplex the
#      connections, tsd.core.connections.limit = 0: no cap), shown in the report's settings.
#   6. Push again in a restarted TSD without forwarders, then in one restarted with a Graphite, an
#      InfluxDB, a Prometheus, a KairosDB and an OpenTSDB (relay) forwarder whose target accepts
#      connections and never reads (at BENCH_DEADFWD_CLIENTS).
#   6b. The OpenTSDB relay's points/s into a real TSD: the stack's own, under this run's test ids,
#      checked by counting them through /api/query.
#   7. Stops the stack (also on failure or Ctrl-C), starts carbon-cache, InfluxDB, Prometheus and KairosDB
#      (forwarders.sh) and measures each forwarder's points/s into them, checking delivery; then
#      what forwarding costs the threads that write points, with live and with dead targets
#      inside the bench's JVM (ForwardBench's writer section: latency, CPU, collections, heap).
#   8. Writes target/bench/results.md and target/bench/results.json, and prints the table with
#      the targets of issue 5 met or missed.
#
# Environment (defaults in brackets):
#   BENCH_SECONDS    measured seconds per scenario and concurrency              [15]
#   BENCH_WARMUP     warm-up seconds before each measurement                    [3]
#   BENCH_REPEATS    repeats of the whole set (median and min-max over them)     [3]
#   BENCH_CLIENTS    concurrencies, comma-separated                             [1,8,32,128]
#   BENCH_DEADFWD_CLIENTS  concurrencies of step 6's two push loads             [1,8,32]
#   BENCH_QUICK=1    smoke run, about 6 minutes: 2 s per measurement, 1 repeat, a small
#                    workload and a short JMH run. Its figures are not for quoting.
#   BENCH_HTTP       load generator's client: raw (keep-alive sockets) or jdk (HttpClient) [raw]
#   BENCH_JFR=1      record the TSD and HBase with JFR (profile settings) during the load:
#                    target/bench/tsd.jfr and target/bench/hbase.jfr (open with `jfr print` or JMC)
#   BENCH_SKIP_JMH=1 leave out the JMH part
#   BENCH_ONLY       some of the scenarios only, comma-separated: pull (step 4), storage (step 4b),
#                    push (step 5), deadfwd (step 6), forward (steps 6b and 7); no JMH or pull parsing.
#                    With BENCH_JFR=1, e.g. BENCH_ONLY=pull gives a profile of the cold pull in about
#                    a minute
#   BENCH_DEAD_BUFFER  queue_size and retry_buffer of the dead targets of step 6 [the plugin's
#                    defaults]: what a smaller buffer saves the TSD's garbage collector
#   BENCH_FIXTURES   the Catchpoint push fixtures [PROJECT/../shared/catchpoint/fixtures]
#   TSD_HEAP, HBASE_HEAP  heaps of the stack's JVMs (tsd.sh)                   [512m, 1g]
#
# Needs what integration-tests/setup.sh installs (JDK 17+, Maven, carbon-cache, InfluxDB, Prometheus, KairosDB's jars); the rest
# comes from Maven Central. Takes about 28 minutes with the defaults: 4 paths x 4 concurrencies plus
# the limit, 3 repeats, 18 s each (about 16 minutes); the push twice more at 3 concurrencies (about
# 6 minutes: step 6's targets are at 8 and 32 clients, so it leaves out the 128 row); the storage
# step (1-2 minutes); JMH, pulls, forwarders, the stack's start and restarts (about 6 minutes).
# 128 clients for step 6 too would add about 2 minutes. Everything listens on 127.0.0.1 only.

set -euo pipefail

IT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROJECT_ROOT="$(cd "$IT_DIR/.." && pwd)"
cd "$PROJECT_ROOT"

OUT="$PROJECT_ROOT/target/bench"
export STACK_DIR="$PROJECT_ROOT/target/bench-stack"

BENCH_QUICK="${BENCH_QUICK:-0}"
if [[ "$BENCH_QUICK" == 1 ]]; then
  BENCH_SECONDS="${BENCH_SECONDS:-2}"
  BENCH_WARMUP="${BENCH_WARMUP:-1}"
  BENCH_REPEATS="${BENCH_REPEATS:-1}"
  TESTS=100 NODES=100 JMH_ARGS=(-wi 1 -w 500ms -i 1 -r 1s)
else
  TESTS=400 NODES=300 JMH_ARGS=(-wi 3 -w 1s -i 5 -r 1s)
fi
BENCH_SECONDS="${BENCH_SECONDS:-15}"
BENCH_WARMUP="${BENCH_WARMUP:-3}"
BENCH_REPEATS="${BENCH_REPEATS:-3}"
BENCH_CLIENTS="${BENCH_CLIENTS:-1,8,32,128}"
BENCH_DEADFWD_CLIENTS="${BENCH_DEADFWD_CLIENTS:-1,8,32}"
BENCH_HTTP="${BENCH_HTTP:-raw}"
BENCH_JFR="${BENCH_JFR:-0}"
BENCH_SKIP_JMH="${BENCH_SKIP_JMH:-0}"
BENCH_ONLY="${BENCH_ONLY:-}"
BENCH_FIXTURES="${BENCH_FIXTURES:-$PROJECT_ROOT/../shared/catchpoint/fixtures}"

log() { printf '[bench.sh] %s\n' "$*"; }
die() { printf '[bench.sh] ERROR: %s\n' "$*" >&2; exit 1; }

for step in ${BENCH_ONLY//,/ }; do
  [[ "$step" == pull || "$step" == storage || "$step" == push || "$step" == deadfwd || "$step" == forward ]] \
    || die "BENCH_ONLY: no step '$step' (pull, storage, push, deadfwd, forward)"
done
want() { [[ -z "$BENCH_ONLY" || ",$BENCH_ONLY," == *",$1,"* ]]; }

[[ -d "$BENCH_FIXTURES" ]] || die "no push fixtures in $BENCH_FIXTURES (../shared must sit beside the project, or set BENCH_FIXTURES)"
command -v mvn >/dev/null && command -v java >/dev/null || die "run integration-tests/setup.sh first (JDK 17+, Maven)"

# --- 1. build ---------------------------------------------------------------------------------
mkdir -p "$OUT"
rm -f "$OUT"/*.json "$OUT"/results.md
log "building the plugin jar and the benchmark (mvn -Pbench, into target/bench-build)"
BUILD="$PROJECT_ROOT/target/bench-build"
mvn -B -q -ntp -Pbench -DskipTests package \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.outputFile="$OUT/classpath.txt" -Dmdep.includeScope=test \
  || die "build failed"
CP="$BUILD/test-classes:$BUILD/classes:$(cat "$OUT/classpath.txt")"
# tsd.sh runs the plugin jar it finds in target/: put this build's there, by rename, so a TSD that
# runs the previous jar keeps reading the file it opened.
JAR="$(ls "$BUILD"/opentsdb-catchpoint-*.jar | head -n1)"
cp "$JAR" "$PROJECT_ROOT/target/.bench-plugin.jar.tmp"
mv -f "$PROJECT_ROOT/target/.bench-plugin.jar.tmp" "$PROJECT_ROOT/target/$(basename "$JAR")"
bench_java() { java -Xmx1g -XX:+UseSerialGC -cp "$CP" "$@"; }
# The benchmark's own code has tests too (the addPoint loop): they run here, not in the plugin's suite.
bench_java org.junit.platform.console.ConsoleLauncher --disable-banner --select-class=org.opentsdbcatchpoint.tsd.AddPointLoopTest \
  > "$OUT/bench-tests.log" 2>&1 || { tail -40 "$OUT/bench-tests.log"; die "the benchmark's tests failed"; }
# The benchmark's plugin (the addPoint loop): its own jar, loaded beside the plugin's by the TSD.
BENCH_PLUGIN_JAR="$OUT/catchpoint-bench.jar"
(cd "$BUILD/test-classes" && jar --create --file "$BENCH_PLUGIN_JAR" META-INF/services/net.opentsdb.tsd.HttpRpcPlugin \
  org/opentsdbcatchpoint/tsd/BenchAddPointPlugin*.class org/opentsdbcatchpoint/tsd/AddPointLoop*.class \
  org/opentsdbcatchpoint/tsd/PutJsonPoints*.class) || die "could not build $BENCH_PLUGIN_JAR"
export TSD_EXTRA_CLASSPATH="$BENCH_PLUGIN_JAR"

# --- 2. JMH -----------------------------------------------------------------------------------
if [[ "$BENCH_SKIP_JMH" != 1 && -z "$BENCH_ONLY" ]]; then
  log "JMH: decode + map per fixture, one thread, -prof gc"
  bench_java org.openjdk.jmh.Main 'org.opentsdbcatchpoint.bench.jmh.DecodeMapBenchmark' \
    -f 1 -t 1 "${JMH_ARGS[@]}" -prof gc -jvmArgs "-Xmx1g -Dbench.fixtures=$BENCH_FIXTURES" \
    -rf json -rff "$OUT/jmh.json" > "$OUT/jmh.log" 2>&1 \
    || { tail -40 "$OUT/jmh.log"; die "JMH failed (log: $OUT/jmh.log)"; }
fi

# --- 2b. pull parsing alone (the heap part in a child JVM capped at 64 MB) --------------------
if [[ -z "$BENCH_ONLY" ]]; then
  log "pull parsing: MB/s of large synthetic v1/v2 raw answers, and the heap under a 64 MB cap"
  PULL_ARGS=()
  [[ "$BENCH_QUICK" == 1 ]] && PULL_ARGS=(--quick)
  bench_java org.opentsdbcatchpoint.bench.pull.PullParseBench --out="$OUT/pull-parse.json" "${PULL_ARGS[@]}" \
    > "$OUT/pull-parse.log" 2>&1 || { tail -40 "$OUT/pull-parse.log"; die "pull parsing failed (log: $OUT/pull-parse.log)"; }
fi

# --- 3. the stack -----------------------------------------------------------------------------
# Free loopback ports below the ephemeral range, so no outgoing connection takes one meanwhile.
port_in_use() { (exec 3<> "/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORTS=()
while ((${#PORTS[@]} < 14)); do
  p=$((20000 + RANDOM % 12000))
  port_in_use "$p" || [[ " ${PORTS[*]} " == *" $p "* ]] || PORTS+=("$p")
done
export TSD_PORT="${PORTS[0]}" ZK_PORT="${PORTS[1]}" HBASE_MASTER_PORT="${PORTS[2]}" HBASE_RS_PORT="${PORTS[3]}"
# The fake Catchpoint serves the pull scenario; the black hole is the dead forwarding target.
export FAKE_CATCHPOINT_PORT="${PORTS[4]}"
BLACKHOLE_PORT="${PORTS[5]}"
export CATCHPOINT_PUSH_TOKEN="bench-$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')"
PULL_ADMIN_TOKEN="bench-admin-$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')"
export CATALOG_FILE="$OUT/nodes.json"
export TSD_CONF_EXTRA="$OUT/opentsdb-bench.conf"
# The fake serves the same generated nodes as the catalog: each of them has a run a minute.
export FAKE_CATCHPOINT_ARGS="--nodes $CATALOG_FILE"

bench_java org.opentsdbcatchpoint.bench.load.NodeCatalogGenerator "$CATALOG_FILE" "$NODES"
# The pull scenario: accounts of one never-pulled web test each, whose first pull asks for one
# interval back: 67 minutes of every node, a run a minute (300 nodes: 20,100 runs of 8 columns).
PULL_ACCOUNTS=benchpull1,benchpull2,benchpull3
{
  printf '# Written by integration-tests/bench.sh for its own TSD only.\n'
  printf 'tsd.plugin.catchpoint.pull.admin_token = %s\n' "$PULL_ADMIN_TOKEN"
  printf 'tsd.plugin.catchpoint.pull.accounts = %s\n' "$PULL_ACCOUNTS"
  i=0
  for a in ${PULL_ACCOUNTS//,/ }; do
    i=$((i + 1))
    printf 'tsd.plugin.catchpoint.pull.%s.%s\n' \
      "$a" "api = v1" "$a" "client_id = fake-client" "$a" "client_secret = fake-secret" \
      "$a" "base_url = @FAKE_CATCHPOINT_URL@/ui/api" "$a" "windowed = true" "$a" "tests.web = 95000$i" \
      "$a" "interval = 67m" "$a" "lag = 1m" "$a" "window = 2h" "$a" "max_backfill = 2h"
  done
} > "$TSD_CONF_EXTRA"
printf 'tsd.plugin.catchpoint_bench.token = %s\n' "$CATCHPOINT_PUSH_TOKEN" >> "$TSD_CONF_EXTRA"
cat >> "$TSD_CONF_EXTRA" <<'EOF'
# The benchmark's addPoint loop (the limit), from its own jar. Never in production.
tsd.http.rpc.plugins = org.opentsdbcatchpoint.tsd.CatchpointRpcPlugin,org.opentsdbcatchpoint.tsd.BenchAddPointPlugin
# The TSD rewrites every row an hour after its hour; that burst lands in one measurement at random
# and is no cost of any ingestion path, so the benchmark leaves it out.
tsd.storage.enable_compaction = false
# The limit is fed 25,000 points (about 6 MB) a request.
tsd.http.request.max_chunk = 67108864
# The plugin's own counters stay out of the tsdb table, whose growth the storage step measures.
tsd.plugin.catchpoint.stats.write_interval = 0
EOF

stack() { bash "$IT_DIR/tsd.sh" "$@"; }
JFR_ON=0
BLACKHOLE_PID=""
stop_jfr() {
  if [[ "$JFR_ON" == 1 ]]; then
    jcmd "$TSD_PID" JFR.stop name=bench filename="$OUT/tsd.jfr" >/dev/null 2>&1 || true
    jcmd "$HBASE_PID" JFR.stop name=bench filename="$OUT/hbase.jfr" >/dev/null 2>&1 || true
    JFR_ON=0
  fi
}
stop_stack() {
  trap - EXIT INT TERM
  stop_jfr
  if [[ -n "$BLACKHOLE_PID" ]]; then kill "$BLACKHOLE_PID" 2>/dev/null || true; fi
  stack stop >/dev/null 2>&1 || true
  bash "$IT_DIR/forwarders.sh" stop all >/dev/null 2>&1 || true
}
stack stop >/dev/null 2>&1 || true # a stack left by an interrupted run holds the data directory
rm -rf "$STACK_DIR"
trap 'stop_stack' EXIT
trap 'stop_stack; exit 130' INT TERM
log "starting HBase + TSD in $STACK_DIR (TSD on 127.0.0.1:$TSD_PORT)"
stack start > "$OUT/stack-start.log" 2>&1 || { cat "$OUT/stack-start.log"; die "the stack did not start"; }
TSD_PID="$(cat "$STACK_DIR/tsd.pid")"
HBASE_PID="$(cat "$STACK_DIR/hbase.pid")"
if [[ "$BENCH_JFR" == 1 ]]; then
  jcmd "$TSD_PID" JFR.start name=bench settings=profile >/dev/null
  jcmd "$HBASE_PID" JFR.start name=bench settings=profile >/dev/null
  JFR_ON=1
  log "JFR recording the TSD and HBase"
fi

# --- 4. the pull into the TSD (first: every UID and series is new, as on a new install) ---------
if want pull; then
  log "pull: one window of every node's runs per account, from the fake Catchpoint into the TSD"
  bench_java org.opentsdbcatchpoint.bench.load.PullIntoTsd --tsd="127.0.0.1:$TSD_PORT" \
    --fake="http://127.0.0.1:$FAKE_CATCHPOINT_PORT" --admin-token="$PULL_ADMIN_TOKEN" \
    --accounts="$PULL_ACCOUNTS" --out="$OUT/pull.json"
fi

# --- 4b. HBase bytes per run, with compact storage and with every value a double ---------------
if want storage; then
  log "storage: the runs through the push, then as doubles through the addPoint route; the tsdb table compacted and sized"
  bench_java org.opentsdbcatchpoint.bench.load.StorageBench \
    --tsd="127.0.0.1:$TSD_PORT" --token="$CATCHPOINT_PUSH_TOKEN" \
    --fixtures="$BENCH_FIXTURES" --catalog="$CATALOG_FILE" --tests="$TESTS" --nodes-per-test=10 \
    --http="$BENCH_HTTP" --table-size="bash '$IT_DIR/tsd.sh' compact-table tsdb" --out="$OUT/storage.json"
fi

# --- 5. the push load -------------------------------------------------------------------------
push_load() {
  bench_java org.opentsdbcatchpoint.bench.load.LoadBench \
    --tsd="127.0.0.1:$TSD_PORT" --token="$CATCHPOINT_PUSH_TOKEN" \
    --fixtures="$BENCH_FIXTURES" --catalog="$CATALOG_FILE" \
    --seconds="$BENCH_SECONDS" --warmup="$BENCH_WARMUP" --repeats="$BENCH_REPEATS" --clients="$BENCH_CLIENTS" \
    --tests="$TESTS" --nodes-per-test=10 --http="$BENCH_HTTP" \
    --tsd-pid="$TSD_PID" --hbase-pid="$HBASE_PID" --clk-tck="$(getconf CLK_TCK 2>/dev/null || echo 100)" "$@"
}
if want push; then
  push_load --out="$OUT/load.json"
fi

# --- 6. push with dead forwarding targets -----------------------------------------------------
# All three forwarders point at a port that accepts connections and never reads. The plugin's push is
# measured twice more, each time in a TSD just restarted (same JIT state): without forwarders, then
# with the dead ones (restart-tsd reuses the conf that start wrote, so they are appended to it).
stop_jfr
restart_tsd() {
  stack restart-tsd > "$OUT/stack-restart.log" 2>&1 || { cat "$OUT/stack-restart.log"; die "the TSD did not restart"; }
  TSD_PID="$(cat "$STACK_DIR/tsd.pid")"
}
if want deadfwd; then
  log "push again in a restarted TSD, without forwarders"
  restart_tsd
  push_load --out="$OUT/load-nofwd.json" --scenarios=push --clients="$BENCH_DEADFWD_CLIENTS" --start-ago=5400
  log "push again in a restarted TSD, with Graphite, InfluxDB, Prometheus, KairosDB and OpenTSDB forwarders whose target accepts and never reads"
  java -cp "$CP" org.opentsdbcatchpoint.bench.load.BlackHole "$BLACKHOLE_PORT" > "$OUT/blackhole.log" 2>&1 &
  BLACKHOLE_PID=$!
  for _ in $(seq 1 100); do port_in_use "$BLACKHOLE_PORT" && break; sleep 0.1; done
  port_in_use "$BLACKHOLE_PORT" || die "the black hole did not listen on $BLACKHOLE_PORT"
  cat >> "$STACK_DIR/opentsdb.conf" <<EOF
# Added by integration-tests/bench.sh: dead forwarding targets (step 6).
tsd.plugin.catchpoint.forward = deadgraphite,deadinflux,deadprom,deadkairos,deadopentsdb
tsd.plugin.catchpoint.forward.deadgraphite.type = graphite
tsd.plugin.catchpoint.forward.deadgraphite.hosts = 127.0.0.1:$BLACKHOLE_PORT
tsd.plugin.catchpoint.forward.deadinflux.type = influx
tsd.plugin.catchpoint.forward.deadinflux.url = http://127.0.0.1:$BLACKHOLE_PORT
tsd.plugin.catchpoint.forward.deadinflux.database = catchpoint
tsd.plugin.catchpoint.forward.deadprom.type = prometheus
tsd.plugin.catchpoint.forward.deadprom.url = http://127.0.0.1:$BLACKHOLE_PORT/api/v1/write
tsd.plugin.catchpoint.forward.deadkairos.type = kairosdb
tsd.plugin.catchpoint.forward.deadkairos.url = http://127.0.0.1:$BLACKHOLE_PORT/api/v1/datapoints
tsd.plugin.catchpoint.forward.deadopentsdb.type = opentsdb
tsd.plugin.catchpoint.forward.deadopentsdb.url = http://127.0.0.1:$BLACKHOLE_PORT/api/put
EOF
  if [[ -n "${BENCH_DEAD_BUFFER:-}" ]]; then
    for t in deadgraphite deadinflux deadprom deadkairos deadopentsdb; do
      printf 'tsd.plugin.catchpoint.forward.%s.%s = %s\n' "$t" queue_size "$BENCH_DEAD_BUFFER" "$t" retry_buffer "$BENCH_DEAD_BUFFER"
    done >> "$STACK_DIR/opentsdb.conf"
  fi
  restart_tsd
  push_load --out="$OUT/load-deadfwd.json" --scenarios=push --clients="$BENCH_DEADFWD_CLIENTS" --start-ago=9000
  curl -fsS "http://127.0.0.1:$TSD_PORT/plugin/catchpoint/health" > "$OUT/deadfwd-health.json" \
    || die "no /health from the TSD after the dead-forwarder run"
fi

# --- 6b. the OpenTSDB relay into a real TSD: the stack's own, under this run's test ids ------------
FWD_ARGS=()
[[ "$BENCH_QUICK" == 1 ]] && FWD_ARGS=(--quick)
if want forward; then
  log "forwarders: the OpenTSDB relay's points/s into the stack's TSD (/api/put?details&sync)"
  bench_java org.opentsdbcatchpoint.bench.forward.ForwardBench --out="$OUT/forward-relay.json" --targets=opentsdb \
    --opentsdb-url="http://127.0.0.1:$TSD_PORT/api/put" "${FWD_ARGS[@]}" > "$OUT/forward-relay.log" 2>&1 \
    || { tail -40 "$OUT/forward-relay.log"; die "the relay failed (log: $OUT/forward-relay.log)"; }
fi

# --- 7. forwarders to real carbon, InfluxDB, Prometheus and KairosDB (after the stack, so they have the machine) --
log "stopping the stack"
stop_stack
if want forward; then
  trap 'stop_stack' EXIT
  trap 'stop_stack; exit 130' INT TERM
  export FWD_DIR="$PROJECT_ROOT/target/bench-forwarders"
  export CARBON_LINE_PORT="${PORTS[6]}" CARBON_PICKLE_PORT="${PORTS[7]}" CARBON_QUERY_PORT="${PORTS[8]}"
  export INFLUX_HTTP_PORT="${PORTS[9]}" INFLUX_RPC_PORT="${PORTS[10]}" PROM_PORT="${PORTS[13]}"
  export KAIROS_HTTP_PORT="${PORTS[11]}" KAIROS_TELNET_PORT="${PORTS[12]}"
  rm -rf "$FWD_DIR"
  log "forwarders: points/s to a real carbon-cache, InfluxDB, Prometheus and KairosDB"
  bash "$IT_DIR/forwarders.sh" start all > "$OUT/forwarders-start.log" 2>&1 \
    || { cat "$OUT/forwarders-start.log"; die "carbon/influx/prometheus/kairosdb did not start (run integration-tests/setup.sh first)"; }
  bench_java org.opentsdbcatchpoint.bench.forward.ForwardBench --out="$OUT/forward.json" \
    --carbon-line="127.0.0.1:$CARBON_LINE_PORT" --carbon-pickle="127.0.0.1:$CARBON_PICKLE_PORT" \
    --carbon-whisper="$FWD_DIR/carbon-storage/whisper" --influx-url="http://127.0.0.1:$INFLUX_HTTP_PORT" \
    --prom-url="http://127.0.0.1:$PROM_PORT" \
    --kairos-url="http://127.0.0.1:$KAIROS_HTTP_PORT/api/v1/datapoints" --targets=plaintext,pickle,influx,prometheus,kairos,writer \
    "${FWD_ARGS[@]}" > "$OUT/forward.log" 2>&1 || { tail -40 "$OUT/forward.log"; die "forwarders failed (log: $OUT/forward.log)"; }
  stop_stack
fi

# --- 8. report --------------------------------------------------------------------------------
bench_java org.opentsdbcatchpoint.bench.report.BenchReport "$OUT"
